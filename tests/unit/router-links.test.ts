// Links keep the addresses React Router gives them, with the patch that resolves absolute paths
// without serializing the route matches (app/patches/react-router+6.30.4.patch): in the builds the
// server renders with (production) and develops with, an absolute link is written as given and
// a relative one still resolves against the route it is rendered in.
import { createRequire } from 'node:module'
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const builds = {
  production: require('react-router/dist/umd/react-router.production.min.js'),
  development: require('react-router/dist/umd/react-router.development.js'),
} as Record<string, typeof import('react-router')>

function hrefsAt(router: typeof import('react-router'), location: string, targets: string[]): string[] {
  const Hrefs = () => h('ul', null, ...targets.map((to) => h('li', { key: to }, router.useHref(to))))
  const html = renderToString(
    h(
      router.Router,
      { location, navigator: { createHref: (to: import('react-router').To) => router.createPath(to as never) } as never, static: true },
      h(router.Routes, null, h(router.Route, { path: 'discussions' }, h(router.Route, { path: ':id/:slug', element: h(Hrefs) }))),
    ),
  )
  return [...html.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1].replaceAll('&amp;', '&'))
}

describe.each(Object.entries(builds))('links in the %s build', (_name, router) => {
  it('writes an absolute path as given, with its query and fragment, from any page', () => {
    const targets = ['/cases?theme=broken-handoffs&phase=build#results', '/discussions/12/scope-creep', '/', '/events/']
    expect(hrefsAt(router, '/discussions/7/vendor-lock-in', targets)).toEqual(targets)
    expect(hrefsAt(router, '/discussions/99/another-thread?page=3', targets)).toEqual(targets)
    // Dot segments are resolved as React Router always has.
    expect(hrefsAt(router, '/discussions/7/vendor-lock-in', ['/cases/../events', '/events/./past'])).toEqual(['/events', '/events/past'])
  })

  it('still resolves a relative path against the route it is rendered in', () => {
    expect(hrefsAt(router, '/discussions/7/vendor-lock-in', ['history', '..', '../8/other?x=1', '.'])).toEqual([
      '/discussions/7/vendor-lock-in/history',
      '/discussions',
      '/discussions/8/other?x=1',
      '/discussions/7/vendor-lock-in',
    ])
  })
})
