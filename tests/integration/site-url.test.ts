// Absolute links come from SITE_URL, never from the headers of whoever asked first: a poisoned
// request must neither see its own host in a page nor leave a page in the cache for others.
import { afterAll, describe, expect, inject, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { openServerDatabase, rawGet, signedIn } from './support'

const baseUrl = inject('server').baseUrl
const db = openServerDatabase()
afterAll(() => db.close())

// Calendar files fold long lines (RFC 5545): unfold before reading addresses.
const absoluteLinks = (text: string) => [...text.replace(/\r\n[ \t]/g, '').matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'))

describe('absolute links come from SITE_URL', () => {
  it.each([
    ['X-Forwarded-Host', { 'X-Forwarded-Host': 'x:6666' }],
    ['X-Forwarded-Host and X-Forwarded-Proto', { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' }],
    ['a foreign Host', { Host: 'evil.example:6666' }],
    ['Forwarded', { Forwarded: 'host=evil.example;proto=https' }],
  ])('a feed asked for with %s links to SITE_URL, and so does the next plain request', async (_, headers) => {
    for (const feed of ['/discussions/feed.atom', '/cases/feed.atom', '/events/feed.atom', '/events/feed.ics']) {
      const poisoned = await rawGet(feed, headers)
      expect(poisoned.status, feed).toBe(200)
      const links = absoluteLinks(poisoned.body)
      expect(links.length, feed).toBeGreaterThan(0)
      for (const link of links) expect(link.startsWith(`${baseUrl}/`), `${feed}: ${link}`).toBe(true)

      const plain = await new HttpClient().get(feed)
      const text = await plain.text()
      expect(text).not.toContain('6666')
      expect(text).not.toContain('evil.example')
      for (const link of absoluteLinks(text)) expect(link.startsWith(`${baseUrl}/`), `${feed}: ${link}`).toBe(true)
    }
  })

  it('the private calendar address shown in settings is on SITE_URL whatever Host the member used', async () => {
    const member = await signedIn(db)
    const response = await member.client.post('/settings', { intent: 'calendar-new' }, { 'X-Forwarded-Host': 'evil.example:6666' })
    const html = await response.text()
    expect(html).toContain(`${baseUrl}/events/calendar/`)
    expect(html).not.toContain('evil.example')
  })
})
