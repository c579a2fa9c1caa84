// The encoding suite for every redirect target a request can choose: whatever bytes arrive in
// redirectTo, the answer is a redirect to a path on this site, never a 500, and the sign-in or
// join it belongs to completes (a session is set).
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { eventForm, postFields } from './events-support'
import { openServerDatabase, setCookie, signedIn, signIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const PAYLOADS = [
  '/\u3002evil.com',
  '/\u2028x',
  '/\u2029x',
  '/\u0085x',
  '/\u00a0/evil.example',
  '/caf\u00e9',
  '/\uff0f\uff0fevil.example',
  '/\u{1f600}',
  '/\ud800',
  '/\ufeff/evil.example',
  '/\u200b/evil.example',
  '/\t/evil.example',
  '/\r\nSet-Cookie: a=b',
  '/%0d%0aSet-Cookie:%20a=b',
  '/\u0000',
  '/\u007f',
  '//evil.example',
  '/\\evil.example',
  '/%2f%2fevil.example',
  '///evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  ' /settings',
  'x'.repeat(10_000),
  '/' + 'a'.repeat(10_000),
  '',
]

/** Where a browser would go: a path on this site, a header that parsed. */
function expectSameSitePath(response: Response, payload: string) {
  expect(response.status, JSON.stringify(payload)).toBe(302)
  const location = response.headers.get('location') ?? ''
  expect(location, JSON.stringify(payload)).toMatch(/^\/(?![/\\])/)
  expect(new URL(location, 'http://probe.invalid').origin).toBe('http://probe.invalid')
  expect(location).not.toMatch(/[^\x21-\x7e]/)
}

describe('redirect targets, whatever their encoding', () => {
  it('sign-in with every redirectTo: a redirect on this site and a session', async () => {
    const member = await joinAsNewMember(new HttpClient())
    for (const payload of PAYLOADS) {
      const response = await signIn(new HttpClient(), member.email, member.password, { redirectTo: payload })
      expectSameSitePath(response, payload)
      expect(setCookie(response, 'sp_session')?.value, JSON.stringify(payload)).toBeTruthy()
    }
  })

  it('following with every redirectTo: a redirect on this site', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const category = (await db.one(sql`select id from categories limit 1`)) as { id: number }
    for (const payload of PAYLOADS) {
      const follow = { targetType: 'category', targetId: String(category.id), level: 'watching', redirectTo: payload }
      expectSameSitePath(await client.post('/follow', follow), payload)
    }
  })

  it('the sign-in and join pages render with every redirectTo in their address', async () => {
    for (const page of ['/login', '/join']) {
      for (const payload of PAYLOADS) {
        const response = await new HttpClient().get(`${page}?${new URLSearchParams({ redirectTo: payload })}`)
        expect(response.status, `${page} ${JSON.stringify(payload)}`).toBe(200)
      }
    }
  })

  it('answering an event posted at an address with any characters in its slug: back to a path on this site', async () => {
    const organizer = await signedIn(db, 'moderator')
    const created = await postFields(organizer.client, '/events/new', eventForm())
    const path = created.headers.get('location')!
    expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
    const eventId = path.split('/')[2]
    const member = await signedIn(db)
    for (const slug of ['\u3002evil.com', '\u2028x', 'caf\u00e9', '%2F%2Fevil.example', '..%2F..%2Flogin']) {
      const response = await member.client.post(`/events/${eventId}/${encodeURIComponent(slug)}`, { intent: 'interested' })
      expectSameSitePath(response, slug)
      expect(response.headers.get('location'), slug).toMatch(new RegExp(`^/events/${eventId}(/[a-z0-9-]+)?(#rsvp)?$`))
    }
  })

  it('a members-only page asked for at an odd address sends the visitor to sign in, and back', async () => {
    for (const query of ['?q=%E3%80%82evil.com', '?q=%E2%80%A8', '?%00=%0d%0a', '?q=\u3002']) {
      const response = await new HttpClient().get(`/settings${query}`)
      expectSameSitePath(response, query)
      const back = new URL(response.headers.get('location')!, 'http://probe.invalid').searchParams.get('redirectTo')!
      expect(back.startsWith('/settings')).toBe(true)
    }
  })
})
