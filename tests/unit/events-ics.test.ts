// The iCalendar files: every one is parsed back with ical.js, as a calendar app would read it.
import ICAL from 'ical.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { seedContent } from '../../db/seed'
import { eventInputSchema } from '../../app/lib/event-fields'
import { buildCalendar } from '../../app/lib/ics'
import { type Actor, cancelEvent, createEvent, updateEvent } from '../../app/models/event.server'
import { type CalendarEvent, getCalendarEvent, listCalendarEvents, listGoingCalendarEvents } from '../../app/models/event-calendar.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { insertMember, must } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

const SITE = 'https://sectorpulse.example.org'


let organizer: Actor
beforeAll(async () => {
  organizer = await insertMember('moderator')
})

let titles = 0
function input(overrides: Record<string, string | string[]> = {}) {
  return eventInputSchema.parse({
    title: `Calendar test event ${++titles}`,
    kind: 'workshop',
    description: 'A plain description.',
    starts: '2031-04-02T09:00',
    ends: '2031-04-02T11:00',
    timeZone: 'Europe/London',
    format: 'in-person',
    venue: 'Guildhall',
    address: 'Gresham Street, London',
    ...overrides,
  })
}


async function published(overrides: Record<string, string | string[]> = {}): Promise<number> {
  return must(await createEvent(organizer, input(overrides), { status: 'published' })).id
}

const calendarEvent = async (id: number) => (await getCalendarEvent(id))!
const eventRow = (id: number) => db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Parses a calendar file as a calendar app would, and checks the framing every file needs. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  expect(calendar.name).toBe('vcalendar')
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0')
  expect(String(calendar.getFirstPropertyValue('prodid'))).toMatch(/^-\/\/.+\/\/.+\/\/[A-Z]{2}$/)
  const vevents = calendar.getAllSubcomponents('vevent')
  return { calendar, vevents, events: vevents.map((v) => new ICAL.Event(v)) }
}

/** RFC 5545 §3.1: CRLF after every line, none longer than 75 octets. */
function expectWellFolded(ics: string) {
  expect(ics.endsWith('\r\n')).toBe(true)
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  const lines = ics.split('\r\n').slice(0, -1)
  for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75)
  // Folding never splits a character: each physical line is valid UTF-8 on its own.
  for (const line of lines) expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line)
}

const utc = (time: ICAL.Time) => {
  expect(time.zone?.tzid).toBe('UTC')
  return time.toJSDate().toISOString()
}

describe('a single event file', () => {
  it('has VERSION, PRODID and one VEVENT with UID, SEQUENCE, DTSTAMP, UTC times, SUMMARY, DESCRIPTION, LOCATION, URL, STATUS', async () => {
    const id = await published({
      title: 'Workshop: cutover weekend rehearsal',
      starts: '2027-03-12T09:00',
      ends: '2027-03-15T13:00',
      timeZone: 'America/New_York',
      description: 'Four days, one clock change.',
    })
    const now = new Date('2026-12-01T08:30:00.000Z')
    const ics = buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'One event', now })
    expectWellFolded(ics)
    const { vevents, events } = parse(ics)
    expect(vevents).toHaveLength(1)
    const [vevent] = vevents
    const [event] = events
    const row = await eventRow(id)

    expect(event.uid).toBe(`event-${id}@sectorpulse.example.org`)
    expect(event.sequence).toBe(0)
    expect(utc(vevent.getFirstPropertyValue('dtstamp') as ICAL.Time)).toBe(now.toISOString())
    // The instants stored in UTC, across the 2027-03-14 US clock change.
    expect(utc(event.startDate)).toBe('2027-03-12T14:00:00.000Z')
    expect(utc(event.endDate)).toBe('2027-03-15T17:00:00.000Z')
    expect(utc(event.startDate)).toBe(row.starts_at)
    expect(utc(event.endDate)).toBe(row.ends_at)
    expect(event.summary).toBe('Workshop: cutover weekend rehearsal')
    expect(event.description).toContain('Four days, one clock change.')
    expect(event.description).toContain(`${SITE}/events/${id}/${row.slug}`)
    expect(event.location).toBe('Guildhall, Gresham Street, London')
    expect(vevent.getFirstPropertyValue('url')).toBe(`${SITE}/events/${id}/${row.slug}`)
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(vevent.getFirstPropertyValue('x-sectorpulse-time-zone')).toBe('America/New_York')
  })

  it('writes the Markdown description as plain text, and takes the UID domain from the configured site', async () => {
    const id = await published({
      description: 'We compare **runbooks** & _rollback_ triggers.\n\n- See [the checklist](https://example.org/list?a=1&b=2)\n- Bring `notes`\n\n## Agenda\n\nhttps://example.org/agenda',
    })
    const ics = buildCalendar([await calendarEvent(id)], { siteUrl: 'https://community.agency.example.gov:8443', name: 'x' })
    const [event] = parse(ics).events
    expect(event.uid).toBe(`event-${id}@community.agency.example.gov`)
    expect(event.description).toMatch(
      /^We compare runbooks & rollback triggers\.\n\n- See the checklist \(https:\/\/example\.org\/list\?a=1&b=2\)\n- Bring notes\n\nAgenda\n\nhttps:\/\/example\.org\/agenda\n\nhttps:\/\/community/,
    )
    expect(event.description).not.toMatch(/[*_`#<>]|\]\(/)
  })

  it('announces an hourly refresh in subscription feeds only', async () => {
    const id = await published()
    const feed = parse(buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'Feed', subscription: true }))
    expect(feed.calendar.getFirstPropertyValue('refresh-interval')?.toString()).toBe('PT1H')
    expect(feed.calendar.getFirstPropertyValue('x-published-ttl')).toBe('PT1H')
    const single = parse(buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'One' }))
    expect(single.calendar.getFirstPropertyValue('refresh-interval')).toBeNull()
  })

  it('keeps the UID and raises SEQUENCE when the event is edited; says CANCELLED after cancelling', async () => {
    const id = await published({ title: 'An event that changes' })
    const first = parse(buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'x' })).events[0]

    must(await updateEvent(organizer, id, input({ title: 'An event that changed', starts: '2031-04-03T09:00', ends: '2031-04-03T11:00' })))
    const second = parse(buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'x' }))
    expect(second.events[0].uid).toBe(first.uid)
    expect(second.events[0].sequence).toBe(first.sequence + 1)
    expect(second.events[0].summary).toBe('An event that changed')
    // 09:00 in London on 3 April 2031 is summer time (UTC+1).
    expect(utc(second.events[0].startDate)).toBe('2031-04-03T08:00:00.000Z')

    must(await cancelEvent(organizer, id))
    const third = parse(buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'x' }))
    expect(third.events[0].uid).toBe(first.uid)
    expect(third.events[0].sequence).toBe(first.sequence + 2)
    expect(third.vevents[0].getFirstPropertyValue('status')).toBe('CANCELLED')
  })

  it('round-trips commas, semicolons, backslashes, newlines and emoji through the parser', async () => {
    const title = 'Data, migration; and C:\\legacy\\path — 🚀 launch 🇺🇸'
    const description = 'Line one, with a comma; and a semicolon.\nLine two: C:\\temp\\ and "quotes".\r\nLine three 🎉 done\\n (literal backslash-n)'
    const id = await published({ title, description, venue: 'Hall 3, East; Wing \\ B', address: 'Mühlenstraße 1,\n10243 Berlin 🏛️' })
    const ics = buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'Special, chars; here\\ 📅' })
    expectWellFolded(ics)
    const { calendar, events } = parse(ics)
    const [event] = events
    expect(event.summary).toBe(title)
    expect(event.description.startsWith(description.replace(/\r\n/g, '\n'))).toBe(true)
    // The address is a one-line field: the line break it was typed with is stored as a space.
    expect(event.location).toBe('Hall 3, East; Wing \\ B, Mühlenstraße 1, 10243 Berlin 🏛️')
    // ical.js leaves X- properties unescaped (their type is unknown to it); the escaped text is right.
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Special\\, chars\\; here\\\\ 📅')
  })

  it('escapes a lone carriage return too, so no content line is broken by a bare CR', async () => {
    // Browsers send CRLF from a textarea, but a hand-made form post can carry a lone CR.
    const id = await published({ title: 'Carriage\rreturn in the title', description: 'One\rTwo' })
    const ics = buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: 'x' })
    expectWellFolded(ics)
    const [event] = parse(ics).events
    expect(event.summary).not.toContain('\r')
    expect(event.description).not.toContain('\r')
  })

  it('folds long lines of multi-byte text at every offset without breaking a character', async () => {
    for (let pad = 0; pad < 8; pad++) {
      const title = `${'x'.repeat(pad)}Événements 🚀🚀🚀 — ${'日本語のテキスト'.repeat(4)} ${'🎉'.repeat(20)}`.slice(0, 150)
      const description = `${'a'.repeat(pad)}${'ü€😀'.repeat(120)}`
      const id = await published({ title, description })
      const ics = buildCalendar([await calendarEvent(id)], { siteUrl: SITE, name: title })
      expectWellFolded(ics)
      const [event] = parse(ics).events
      expect(event.summary).toBe(title.trim())
      expect(event.description.startsWith(description)).toBe(true)
    }
  })

  it('never puts the join link of a virtual or hybrid event in the file', async () => {
    const secret = 'https://meet.example.org/secret-room-4471'
    const virtual = await published({ format: 'virtual', venue: '', address: '', joinUrl: secret })
    const hybrid = await published({ format: 'hybrid', joinUrl: secret })
    const ics = buildCalendar([await calendarEvent(virtual), await calendarEvent(hybrid)], { siteUrl: SITE, name: 'x' })
    expect(ics).not.toContain('secret-room-4471')
    const { events, vevents } = parse(ics)
    expect(events[0].location).toMatch(/^Online/)
    expect(events[1].location).toBe('Guildhall, Gresham Street, London')
    for (const vevent of vevents) expect(vevent.getFirstPropertyValue('url')).toMatch(new RegExp(`^${SITE}/events/\\d+/`))
  })

  it('is not available for a draft', async () => {
    const { id } = must(await createEvent(organizer, input()))
    expect(await getCalendarEvent(id)).toBeNull()
  })
})

describe('feeds', () => {
  it('the public feed has the published and cancelled events, upcoming and of the last 90 days, soonest first, and no drafts or older events', async () => {
    const now = new Date('2045-01-01T00:00:00.000Z')
    const at = (day: string) => ({ starts: `${day}T10:00`, ends: `${day}T11:00`, timeZone: 'UTC' })
    const past = await published(at('2044-09-01'))
    const recent = await published(at('2044-12-01'))
    const later = await published(at('2045-03-01'))
    const sooner = await published(at('2045-02-01'))
    const cancelled = await published(at('2045-02-15'))
    must(await cancelEvent(organizer, cancelled))
    const draft = must(await createEvent(organizer, input(at('2045-02-10')))).id

    const events = await listCalendarEvents(now)
    const ids = events.map((e) => e.id)
    expect(ids).not.toContain(past)
    expect(ids).not.toContain(draft)
    expect(ids.filter((id) => [recent, sooner, cancelled, later].includes(id))).toEqual([recent, sooner, cancelled, later])

    const ics = buildCalendar(events, { siteUrl: SITE, name: 'SectorPulse events', now })
    expectWellFolded(ics)
    const parsed = parse(ics)
    const byUid = new Map(parsed.vevents.map((v) => [v.getFirstPropertyValue('uid'), v]))
    expect(byUid.size).toBe(events.length)
    expect(byUid.get(`event-${cancelled}@sectorpulse.example.org`)!.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(byUid.get(`event-${sooner}@sectorpulse.example.org`)!.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(byUid.has(`event-${draft}@sectorpulse.example.org`)).toBe(false)
  })

  it("a member's feed has only the events they are going to (not waitlisted, interested or not going)", async () => {
    const member = await insertMember()
    const someoneElse = await insertMember()
    const goingTo = await published()
    const full = await published({ capacity: '1' })
    const interestedIn = await published()
    const leftEvent = await published()
    const notAnswered = await published()
    must(await rsvpToEvent(member, goingTo, 'going'))
    must(await rsvpToEvent(someoneElse, full, 'going'))
    must(await rsvpToEvent(member, full, 'going'))
    must(await rsvpToEvent(member, interestedIn, 'interested'))
    must(await rsvpToEvent(member, leftEvent, 'going'))
    must(await rsvpToEvent(member, leftEvent, 'not-going'))
    must(await rsvpToEvent(someoneElse, notAnswered, 'going'))

    const events: CalendarEvent[] = await listGoingCalendarEvents(member.id)
    expect(events.map((e) => e.id)).toEqual([goingTo])
    const { events: parsed } = parse(buildCalendar(events, { siteUrl: SITE, name: 'My SectorPulse events' }))
    expect(parsed.map((e) => e.uid)).toEqual([`event-${goingTo}@sectorpulse.example.org`])
  })

  it('an empty feed is still a valid calendar', () => {
    const ics = buildCalendar([], { siteUrl: SITE, name: 'Nothing yet' })
    expectWellFolded(ics)
    expect(parse(ics).vevents).toHaveLength(0)
  })
})
