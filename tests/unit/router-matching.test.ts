// The server's route matching, with the patch that tests each branch's whole path before trying
// it route by route (app/patches/@remix-run+router+1.23.3.patch): every kind of route the app
// uses still answers the addresses it answered, and only those.
import { createRequire } from 'node:module'
import type { AgnosticRouteObject } from '@remix-run/router'
import { describe, expect, it } from 'vitest'

// The CommonJS build, the one the server runs and the patch changes.
const { matchRoutes } = createRequire(import.meta.url)('@remix-run/router') as typeof import('@remix-run/router')

const routes: AgnosticRouteObject[] = [
  {
    id: 'root',
    path: '',
    children: [
      { id: 'home', index: true },
      { id: 'feed', path: 'feed.xml' },
      {
        id: 'discussions',
        path: 'discussions',
        children: [
          { id: 'discussions-index', index: true },
          { id: 'thread', path: ':id/:slug' },
          { id: 'thread-history', path: ':id/:slug/history' },
          { id: 'new-thread', path: 'new' },
        ],
      },
      // A pathless layout: its children's paths are the whole path.
      { id: 'account-layout', children: [{ id: 'settings', path: 'settings/:section?' }] },
      { id: 'case', path: 'cases/:slug', caseSensitive: true },
      { id: 'files', path: 'files/*' },
      { id: 'not-found', path: '*' },
    ],
  },
]

const matched = (path: string) => matchRoutes(routes, path)?.map((match) => match.route.id)
const paramsOf = (path: string) => matchRoutes(routes, path)?.at(-1)?.params

describe('route matching', () => {
  it('answers each address with the route that owns it, static segments before parameters', () => {
    expect(matched('/')).toEqual(['root', 'home'])
    expect(matched('/feed.xml')).toEqual(['root', 'feed'])
    expect(matched('/discussions')).toEqual(['root', 'discussions', 'discussions-index'])
    expect(matched('/discussions/new')).toEqual(['root', 'discussions', 'new-thread'])
    expect(matched('/discussions/7/scope-creep')).toEqual(['root', 'discussions', 'thread'])
    expect(matched('/discussions/7/scope-creep/history')).toEqual(['root', 'discussions', 'thread-history'])
    expect(paramsOf('/discussions/7/scope-creep')).toEqual({ id: '7', slug: 'scope-creep' })
  })

  it('keeps trailing slashes, letter case, optional segments and pathless layouts as before', () => {
    expect(matched('/discussions/7/scope-creep/')).toEqual(['root', 'discussions', 'thread'])
    expect(matched('/DISCUSSIONS/New')).toEqual(['root', 'discussions', 'new-thread'])
    expect(matched('/settings')).toEqual(['root', 'account-layout', 'settings'])
    expect(paramsOf('/settings/email')).toEqual({ section: 'email' })
    // A case-sensitive route refuses another case, and the catch-all takes the address.
    expect(matched('/cases/Broken-Handoffs')).toEqual(['root', 'case'])
    expect(matched('/CASES/broken-handoffs')).toEqual(['root', 'not-found'])
  })

  it('gives splats the rest of the path and sends unknown addresses to the catch-all', () => {
    expect(paramsOf('/files/reports/2026/q3.pdf')).toEqual({ '*': 'reports/2026/q3.pdf' })
    expect(matched('/feed.xmlx')).toEqual(['root', 'not-found'])
    expect(matched('/discussions/7')).toEqual(['root', 'not-found'])
    expect(matched('/discussions/7/scope-creep/history/more')).toEqual(['root', 'not-found'])
    expect(paramsOf('/no/such/page')).toEqual({ '*': 'no/such/page' })
  })

  it('decodes percent-encoded segments into the parameters', () => {
    expect(paramsOf('/discussions/7/%C3%A9tude')).toEqual({ id: '7', slug: 'étude' })
  })
})
