// Calendar files over real HTTP, each parsed with ical.js: one event's file, the public feed,
// and a member's private feed at a secret address.
import { sql } from 'kysely'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { openServerDatabase, type Person, signedIn } from './support'
import { eventForm, type Fields, framingProblems, parseCalendar, postFields, sha256Hex, utcOf } from './events-support'

const db = openServerDatabase()
/** UIDs carry the configured site's host name (the test server's SITE_URL). */
const HOST = new URL(new HttpClient().baseUrl).hostname
afterAll(() => db.close())

interface EventRow {
  id: number
  slug: string
  title: string
  status: string
  sequence: number
  starts_at: string
  ends_at: string
  join_url: string | null
}
const eventRow = async (id: number) => (await db.one(sql`select * from events where id = ${id}`)) as EventRow

/** Creates an event through the organizer form; publishes it unless told not to. */
async function createEvent(organizer: Person, overrides: Fields = {}, publish = true) {
  const created = await postFields(organizer.client, '/events/new', eventForm(overrides))
  expect(created.status, await created.clone().text()).toBe(302)
  const [, id, slug] = /^\/events\/(\d+)\/([a-z0-9-]+)$/.exec(created.headers.get('location')!)!
  const path = `/events/${id}/${slug}`
  if (publish) expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
  return { id: Number(id), slug, path }
}

async function getCalendar(client: HttpClient, path: string) {
  const response = await client.get(path)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/)
  const ics = await response.text()
  expect(framingProblems(ics)).toEqual([])
  const parsed = parseCalendar(ics)
  expect(parsed.calendar.getFirstPropertyValue('version')).toBe('2.0')
  expect(parsed.calendar.getFirstPropertyValue('prodid')).toBeTruthy()
  return { ics, response, ...parsed }
}

let organizer: Person
beforeAll(async () => {
  organizer = await signedIn(db, 'moderator')
})

describe('one event’s calendar file', () => {
  it('gives the DST-crossing demo workshop its stored UTC instants and every required property', async () => {
    const demo = (await db.one(sql`select * from events where source_key = 'demo/events/workshop-cutover-weekend-rehearsal'`)) as EventRow & { venue: string }
    expect(demo).toMatchObject({ starts_at: '2027-03-12T14:00:00.000Z', ends_at: '2027-03-15T17:00:00.000Z', status: 'published' })

    const { ics, vevents, events, response } = await getCalendar(new HttpClient(), `/events/${demo.id}.ics`)
    expect(response.headers.get('content-disposition')).toContain('.ics')
    expect(vevents).toHaveLength(1)
    const [vevent] = vevents
    const [event] = events
    expect(event.uid).toBe(`event-${demo.id}@${HOST}`)
    expect(typeof event.sequence).toBe('number')
    const dtstamp = vevent.getFirstPropertyValue('dtstamp') as ICAL.Time
    expect(utcOf(dtstamp)).toMatch(/Z$/)
    expect(Math.abs(dtstamp.toJSDate().getTime() - Date.now())).toBeLessThan(5 * 60_000)
    expect(utcOf(event.startDate)).toBe('2027-03-12T14:00:00.000Z')
    expect(utcOf(event.endDate)).toBe('2027-03-15T17:00:00.000Z')
    expect(ics).toContain('\r\nDTSTART:20270312T140000Z\r\n')
    expect(ics).toContain('\r\nDTEND:20270315T170000Z\r\n')
    expect(event.summary).toBe(demo.title)
    expect(event.description).toContain('cutover')
    expect(event.location).toContain(demo.venue)
    expect(String(vevent.getFirstPropertyValue('url'))).toMatch(new RegExp(`/events/${demo.id}/${demo.slug}$`))
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
  })

  it('keeps the UID and bumps SEQUENCE after an edit, says CANCELLED after cancelling, and round-trips special characters', async () => {
    const title = 'Budget, scope; and C:\\legacy — 🚀 launch review'
    const description = 'First line, with a comma; and a semicolon.\nSecond line with a backslash \\ and emoji 🎉.'
    const venue = 'Hall 3, East; Wing \\ B 🏛️'
    const event = await createEvent(organizer, { title, description, venue })
    const anonymous = new HttpClient()

    const before = await getCalendar(anonymous, `/events/${event.id}.ics`)
    const [first] = before.events
    expect(first.uid).toBe(`event-${event.id}@${HOST}`)
    expect(first.sequence).toBe((await eventRow(event.id)).sequence)
    expect(first.summary).toBe(title)
    expect(first.description.startsWith(description)).toBe(true)
    expect(first.location).toBe(`${venue}, 2 Capitol Square, Springfield`)
    // 10:00 in Chicago on 8 October 2030 is CDT (UTC-5).
    expect(utcOf(first.startDate)).toBe('2030-10-08T15:00:00.000Z')
    expect(utcOf(first.startDate)).toBe((await eventRow(event.id)).starts_at)
    expect(utcOf(first.endDate)).toBe((await eventRow(event.id)).ends_at)

    const edited = await postFields(organizer.client, `/events/${event.id}/edit`, eventForm({ title: `${title} (moved)`, description, venue, starts: '2030-11-05T10:00', ends: '2030-11-05T12:00' }))
    expect(edited.status).toBe(302)
    const after = await getCalendar(anonymous, `/events/${event.id}.ics`)
    const [second] = after.events
    expect(second.uid).toBe(first.uid)
    expect(second.sequence).toBe(first.sequence + 1)
    expect(second.summary).toBe(`${title} (moved)`)
    // 10:00 in Chicago on 5 November 2030 is CST (UTC-6): the clock change is applied.
    expect(utcOf(second.startDate)).toBe('2030-11-05T16:00:00.000Z')
    expect(after.vevents[0].getFirstPropertyValue('status')).toBe('CONFIRMED')

    expect((await organizer.client.post(event.path.replace(/\/[^/]+$/, `/${(await eventRow(event.id)).slug}`), { intent: 'cancel' })).status).toBe(302)
    const cancelled = await getCalendar(anonymous, `/events/${event.id}.ics`)
    expect(cancelled.events[0].uid).toBe(first.uid)
    expect(cancelled.events[0].sequence).toBe(first.sequence + 2)
    expect(cancelled.vevents[0].getFirstPropertyValue('status')).toBe('CANCELLED')
  })

  it('never carries the join link of a virtual event', async () => {
    const secret = `ics-secret-${Date.now().toString(36)}`
    const event = await createEvent(organizer, { format: 'virtual', venue: '', address: '', joinUrl: `https://meet.example.org/${secret}` })
    const { ics, events } = await getCalendar(new HttpClient(), `/events/${event.id}.ics`)
    expect(ics).not.toContain(secret)
    expect(events[0].location).toMatch(/^Online/)
  })

  it('is 404 for a draft, an unknown event and a malformed address', async () => {
    const draft = await createEvent(organizer, {}, false)
    const anonymous = new HttpClient()
    expect((await anonymous.get(`/events/${draft.id}.ics`)).status).toBe(404)
    expect((await organizer.client.get(`/events/${draft.id}.ics`)).status).toBe(404)
    expect((await anonymous.get('/events/999999999.ics')).status).toBe(404)
    expect((await anonymous.get('/events/12x.ics')).status).toBe(404)
  })
})

describe('the public feed', () => {
  it('lists every published event upcoming or of the last 90 days (and cancelled ones, as cancelled) and no drafts, and asks to be refreshed hourly', async () => {
    const draft = await createEvent(organizer, { title: `A draft that must stay hidden ${Date.now()}` }, false)
    const published = await createEvent(organizer)
    const now = new Date().toISOString()
    const windowStart = new Date(Date.now() - 90 * 86_400_000).toISOString()
    const expected = (await db.all(sql`select id, status from events where status in ('published', 'cancelled') and ends_at >= ${now}`)) as { id: number; status: string }[]

    const { vevents, ics, calendar } = await getCalendar(new HttpClient(), '/events/feed.ics')
    expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n')
    expect(calendar.getFirstPropertyValue('x-published-ttl')).toBe('PT1H')
    const byUid = new Map(vevents.map((v) => [String(v.getFirstPropertyValue('uid')), v]))
    expect(byUid.size).toBe(vevents.length)
    for (const event of expected) expect(byUid.has(`event-${event.id}@${HOST}`), `event ${event.id}`).toBe(true)
    expect(byUid.has(`event-${published.id}@${HOST}`)).toBe(true)
    expect(byUid.has(`event-${draft.id}@${HOST}`)).toBe(false)

    // Nothing in it is a draft or over for more than 90 days, whatever other tests add meanwhile.
    const ids = [...byUid.keys()].map((uid) => Number(/^event-(\d+)@/.exec(uid)![1]))
    const rows = (await db.all(sql`select id, status, ends_at from events where id in (${sql.join(ids)})`)) as {
      id: number
      status: string
      ends_at: string
    }[]
    expect(rows).toHaveLength(ids.length)
    for (const row of rows) {
      expect(row.status).not.toBe('draft')
      expect(row.ends_at >= windowStart).toBe(true)
      expect(byUid.get(`event-${row.id}@${HOST}`)!.getFirstPropertyValue('status')).toBe(row.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED')
    }
    // Past events of the last 90 days stay (a calendar keeps what members went to); older ones go.
    const pastEvents = (await db.all(sql`select id, ends_at from events where status = 'published' and ends_at < ${now}`)) as { id: number; ends_at: string }[]
    expect(pastEvents.some((e) => e.ends_at >= windowStart)).toBe(true)
    expect(pastEvents.some((e) => e.ends_at < windowStart)).toBe(true)
    for (const event of pastEvents) expect(byUid.has(`event-${event.id}@${HOST}`), `past event ${event.id}`).toBe(event.ends_at >= windowStart)
    // The upcoming demo events are there; the demo workshop across the clock change among them.
    const demo = (await db.one(sql`select id from events where source_key = 'demo/events/workshop-cutover-weekend-rehearsal'`)) as { id: number }
    const workshop = new ICAL.Event(byUid.get(`event-${demo.id}@${HOST}`)!)
    expect(utcOf(workshop.startDate)).toBe('2027-03-12T14:00:00.000Z')
    expect(utcOf(workshop.endDate)).toBe('2027-03-15T17:00:00.000Z')
  })
})

describe('a member’s private feed', () => {
  /** Asks /settings for a new address; returns the token in it. */
  async function newFeed(person: Person): Promise<{ token: string; url: string }> {
    const response = await person.client.post('/settings', { intent: 'calendar-new' })
    expect(response.status).toBe(200)
    const html = await response.text()
    const match = /(https?:\/\/[^\s"<]+\/events\/calendar\/([a-z2-7]+)\.ics)/.exec(html)
    expect(match, 'the page shows the new address').not.toBeNull()
    return { url: match![1], token: match![2] }
  }

  const tokenRows = async (userId: number) => (await db.all(sql`select * from calendar_tokens where user_id = ${userId}`)) as Record<string, unknown>[]

  it('holds only the events the member is going to, at a secret address stored only as its SHA-256', async () => {
    const member = await signedIn(db)
    const other = await signedIn(db)
    const goingTo = await createEvent(organizer)
    const interestedIn = await createEvent(organizer)
    const full = await createEvent(organizer, { capacity: '1' })
    const leftEvent = await createEvent(organizer)
    expect((await member.client.post(goingTo.path, { intent: 'going' })).status).toBe(302)
    expect((await member.client.post(interestedIn.path, { intent: 'interested' })).status).toBe(302)
    expect((await other.client.post(full.path, { intent: 'going' })).status).toBe(302)
    expect((await member.client.post(full.path, { intent: 'going' })).status).toBe(302)
    expect((await member.client.post(leftEvent.path, { intent: 'going' })).status).toBe(302)
    expect((await member.client.post(leftEvent.path, { intent: 'not-going' })).status).toBe(302)

    const { token, url } = await newFeed(member)
    expect(new URL(url).pathname).toBe(`/events/calendar/${token}.ics`)
    // At least 128 bits: base32 carries 5 bits a character.
    expect(token.length * 5).toBeGreaterThanOrEqual(128)

    const rows = await tokenRows(member.id)
    expect(rows).toHaveLength(1)
    expect(rows[0].token_hash).toBe(sha256Hex(token))
    expect(JSON.stringify(rows)).not.toContain(token)

    const feed = await getCalendar(new HttpClient(), `/events/calendar/${token}.ics`)
    expect(feed.response.headers.get('cache-control')).toBe('private, no-store')
    expect(feed.events.map((e) => e.uid)).toEqual([`event-${goingTo.id}@${HOST}`])

    // When a place opens and the member is promoted, the event joins their feed.
    expect((await other.client.post(full.path, { intent: 'not-going' })).status).toBe(302)
    const promoted = await getCalendar(new HttpClient(), `/events/calendar/${token}.ics`)
    expect(promoted.events.map((e) => e.uid).sort()).toEqual([`event-${goingTo.id}@${HOST}`, `event-${full.id}@${HOST}`].sort())
  })

  it('stops working when a new address is made, and when it is revoked', async () => {
    const member = await signedIn(db)
    const first = await newFeed(member)
    expect((await new HttpClient().get(`/events/calendar/${first.token}.ics`)).status).toBe(200)

    const second = await newFeed(member)
    expect(second.token).not.toBe(first.token)
    expect((await new HttpClient().get(`/events/calendar/${first.token}.ics`)).status).toBe(404)
    expect((await new HttpClient().get(`/events/calendar/${second.token}.ics`)).status).toBe(200)
    expect((await tokenRows(member.id)).map((r) => r.token_hash)).toEqual([sha256Hex(second.token)])

    const revoked = await member.client.post('/settings', { intent: 'calendar-revoke' })
    expect(revoked.status).toBe(302)
    expect(revoked.headers.get('location')).toBe('/settings')
    expect((await new HttpClient().get(`/events/calendar/${second.token}.ics`)).status).toBe(404)
    expect(await tokenRows(member.id)).toEqual([])
  })

  it('answers 404 for made-up addresses', async () => {
    const anonymous = new HttpClient()
    expect((await anonymous.get('/events/calendar/abcdefghijklmnopqrstuvwxyz234567.ics')).status).toBe(404)
    expect((await anonymous.get('/events/calendar/short.ics')).status).toBe(404)
    expect((await anonymous.get('/events/calendar/NOT-BASE32-AT-ALL-0000000000000.ics')).status).toBe(404)
  })
})
