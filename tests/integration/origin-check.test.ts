// server.ts refuses state-changing requests that a page of another site could have sent (CSRF).
import { afterAll, describe, expect, inject, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import { openServerDatabase, rawPost, sessionIdOf, signIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const baseUrl = inject('server').baseUrl
const port = new URL(baseUrl).port

describe('origin check on writes', () => {
  it('refuses a join posted from another site, and writes no account', async () => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await client.post('/join', fields, { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('Forbidden')
    expect(response.headers.getSetCookie()).toEqual([])
    expect(await db.userByEmail(fields.email)).toBeUndefined()
    expect(await db.userByHandle(fields.handle)).toBeUndefined()
  })

  it.each([
    ['neither Origin nor Sec-Fetch-Site', {}],
    ['Sec-Fetch-Site: cross-site without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain) without Origin', { 'Sec-Fetch-Site': 'same-site' }],
    ['Origin: null (sandboxed frame, data: URL)', { Origin: 'null' }],
    ['an Origin that is not a URL', { Origin: 'not a url' }],
    ['the same host on another port', { Origin: 'http://127.0.0.1:1' }],
    ['a look-alike host', { Origin: `http://127.0.0.1:${port}.evil.example` }],
    ['a cross-site Origin with a forged Sec-Fetch-Site: same-origin', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' }],
  ])('refuses a join sent with %s', async (_, headers: Record<string, string>) => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await rawPost(client, '/join', fields, headers)
    expect(response.status).toBe(403)
    expect(await db.userByEmail(fields.email)).toBeUndefined()
  })

  it('lets a same-site form through', async () => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await client.post('/join', fields)
    expect(response.status).toBe(302)
    expect((await db.userByEmail(fields.email))?.handle).toBe(fields.handle)
  })

  it('lets a browser that sends only Sec-Fetch-Site: same-origin through', async () => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await rawPost(client, '/join', fields, { 'Sec-Fetch-Site': 'same-origin' })
    expect(response.status).toBe(302)
    expect(await db.userByEmail(fields.email)).toBeDefined()
  })

  it.each(['PUT', 'PATCH', 'DELETE'])('refuses a cross-origin %s', async (method) => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    for (const path of ['/settings', '/join', '/logout']) {
      const response = await client.request(path, {
        method,
        body: new URLSearchParams({ intent: 'profile', displayName: 'Hacked' }),
        headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      })
      expect(response.status, `${method} ${path}`).toBe(403)
    }
  })

  it('refuses a cross-site sign-out: the session survives', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)
    const response = await client.post('/logout', {}, { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(await db.sessionById(sessionId)).toBeDefined()
    expect((await client.get('/settings')).status).toBe(200)
  })

  it('refuses a cross-site password change: the old password still works', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post(
      '/settings',
      {
        intent: 'password',
        currentPassword: member.password,
        newPassword: 'attacker chosen password',
        confirmPassword: 'attacker chosen password',
      },
      { Origin: 'https://evil.example' },
    )
    expect(response.status).toBe(403)
    expect((await signIn(new HttpClient(), member.email, member.password)).status).toBe(302)
  })
})

describe('GET never changes state', () => {
  it('GET /logout with a session cookie does not end the session', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)

    const response = await client.get('/logout')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/')
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('sp_session='))).toEqual([])

    expect(await db.sessionById(sessionId)).toBeDefined()
    expect((await client.get('/settings')).status).toBe(200)
  })

  it('GET /join with the form fields in the query string creates no account', async () => {
    const fields = memberFields()
    const response = await new HttpClient().get(`/join?${new URLSearchParams(fields)}`)
    expect(response.status).toBe(200)
    expect(await db.userByEmail(fields.email)).toBeUndefined()
  })
})

describe('origin check compares the whole origin with SITE_URL', () => {
  it.each([
    ['https for an http site', `https://127.0.0.1:${port}`],
    ['another host name for the same address', `http://localhost:${port}`],
    ['a trailing path', `${baseUrl}/`],
  ])('refuses a join whose Origin is %s', async (_, origin) => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await rawPost(client, '/join', fields, { Origin: origin })
    expect(response.status).toBe(403)
    expect(await db.userByEmail(fields.email)).toBeUndefined()
  })

  it('a forged Host or X-Forwarded-Host cannot make a foreign Origin look like this site', async () => {
    const client = new HttpClient()
    const fields = memberFields()
    const response = await rawPost(client, '/join', fields, { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' })
    expect(response.status).toBe(403)
    expect(await db.userByEmail(fields.email)).toBeUndefined()
  })
})
