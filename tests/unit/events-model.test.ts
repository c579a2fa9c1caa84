// The Events models: time zones, what an organizer may create, how lists split and filter,
// RSVPs with capacity and a first-come waitlist, cancellation, and who sees what.
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import type { Role } from '../../db/schema'
import { seedContent } from '../../db/seed'
import { type EventInput, eventInputSchema } from '../../app/lib/event-fields'
import { utcToZonedInput, zonedToUtc } from '../../app/lib/time-zones'
import { type Actor, cancelEvent, createEvent, getEventForEditing, publishEvent, updateEvent } from '../../app/models/event.server'
import { type Attendee, attendeesCsv, listAttendees } from '../../app/models/event-attendance.server'
import { getEvent, listEvents } from '../../app/models/event-listing.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { getNotificationForRecipient } from '../../app/models/notification.server'
import { fanOutPendingActivities } from '../../app/models/notification-fanout.server'
import { insertMember, must } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

// ---------------------------------------------------------------------------------------------
// Fixtures



// One after another, so each joined after the one before (ids ascend in that order on both databases).
async function newPeople(count: number, role: Role = 'member') {
  const people = []
  for (let i = 0; i < count; i++) people.push(await insertMember(role))
  return people
}

/** What an organizer types into the form (the raw form values), before validation. */
type RawInput = Record<string, string | string[] | undefined>

let titles = 0
function raw(overrides: RawInput = {}): RawInput {
  return {
    title: `Roundtable on cutover planning ${++titles}`,
    kind: 'roundtable',
    description: 'We compare **runbooks** and rollback triggers.',
    starts: '2030-05-14T10:00',
    ends: '2030-05-14T12:00',
    timeZone: 'America/New_York',
    format: 'in-person',
    venue: 'City Hall, Room 4',
    address: '1 Civic Plaza, Springfield',
    joinUrl: '',
    capacity: '',
    rsvpDeadline: '',
    hosts: 'SectorPulse team',
    speakers: '',
    themes: [],
    recap: '',
    ...overrides,
  }
}

/** The validated input, as the route hands it to the model. */
function input(overrides: RawInput = {}): EventInput {
  return eventInputSchema.parse(raw(overrides))
}


let organizer: Actor
beforeAll(async () => {
  organizer = await insertMember('moderator')
})

/** A published event; returns its id. */
async function publishedEvent(overrides: RawInput = {}): Promise<number> {
  const { id } = must(await createEvent(organizer, input(overrides), { status: 'published' }))
  return id
}

const eventRow = (id: number) => db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const rsvpOf = (eventId: number, userId: number) =>
  db.selectFrom('rsvps').selectAll().where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst()
/** What a member was told about an event, once the fan-out has run: each notification as they read it. */
async function noticesOf(userId: number, eventId: number) {
  await fanOutPendingActivities({ limit: 1000 })
  const rows = await db.selectFrom('notifications').select(['id', 'kind', 'read_at']).where('user_id', '=', userId).where('event_id', '=', eventId).orderBy('id').execute()
  return Promise.all(rows.map(async (row) => ({ ...row, message: (await getNotificationForRecipient(row.id))?.view?.text ?? '' })))
}
const countRows = async (table: 'events' | 'rsvps' | 'notifications' | 'event_themes') =>
  Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

/** The waitlist as the database ranks it: user ids by ticket. */
async function waitlist(eventId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('rsvps')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlist_ticket')
    .execute()
  return rows.map((r) => r.user_id)
}

async function going(eventId: number): Promise<number[]> {
  const rows = await db.selectFrom('rsvps').select('user_id').where('event_id', '=', eventId).where('status', '=', 'going').orderBy('user_id').execute()
  return rows.map((r) => r.user_id)
}

// ---------------------------------------------------------------------------------------------

describe('time zones', () => {
  it.each([
    // New York, before and after the 2027-03-14 clock change (EST -5, then EDT -4).
    ['2027-03-12T09:00', 'America/New_York', '2027-03-12T14:00:00.000Z'],
    ['2027-03-15T13:00', 'America/New_York', '2027-03-15T17:00:00.000Z'],
    ['2027-03-14T01:59', 'America/New_York', '2027-03-14T06:59:00.000Z'],
    ['2027-03-14T03:00', 'America/New_York', '2027-03-14T07:00:00.000Z'],
    // Sydney in daylight time (AEDT +11) and in standard time (AEST +10).
    ['2026-10-15T08:00', 'Australia/Sydney', '2026-10-14T21:00:00.000Z'],
    ['2027-06-10T09:30', 'Australia/Sydney', '2027-06-09T23:30:00.000Z'],
    // London in summer (BST +1) and winter (GMT).
    ['2027-07-01T12:00', 'Europe/London', '2027-07-01T11:00:00.000Z'],
    ['2027-02-03T16:00', 'Europe/London', '2027-02-03T16:00:00.000Z'],
    // A leap day.
    ['2028-02-29T08:15', 'UTC', '2028-02-29T08:15:00.000Z'],
  ])('%s in %s is %s, and converts back to the same wall clock', (local, zone, utc) => {
    expect(zonedToUtc(local, zone)).toBe(utc)
    expect(utcToZonedInput(utc, zone)).toBe(local)
  })

  it('keeps a New York event that spans the 2027-03-14 clock change one hour shorter than its wall-clock span', () => {
    const starts = zonedToUtc('2027-03-12T09:00', 'America/New_York')!
    const ends = zonedToUtc('2027-03-15T13:00', 'America/New_York')!
    const hours = (Date.parse(ends) - Date.parse(starts)) / 3_600_000
    // 09:00 Friday to 13:00 Monday is 76 wall-clock hours; the lost hour makes it 75 real ones.
    expect(hours).toBe(75)
  })

  it('resolves a wall-clock time the spring clock change skips to an instant an hour away, not null', () => {
    const skipped = zonedToUtc('2027-03-14T02:30', 'America/New_York')
    expect(skipped).not.toBeNull()
    expect(['2027-03-14T06:30:00.000Z', '2027-03-14T07:30:00.000Z']).toContain(skipped)
  })

  it('gives the first of the two 01:30s on the autumn clock change, and round-trips it', () => {
    const repeated = zonedToUtc('2027-11-07T01:30', 'America/New_York')!
    expect(['2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z']).toContain(repeated)
    expect(utcToZonedInput(repeated, 'America/New_York')).toBe('2027-11-07T01:30')
  })

  it.each([
    ['2027-02-30T10:00', 'no February 30'],
    ['2027-02-29T10:00', 'no February 29 in 2027'],
    ['2027-04-31T10:00', 'no April 31'],
    ['2027-13-01T10:00', 'no month 13'],
    ['2027-00-10T10:00', 'no month 0'],
    ['2027-03-00T10:00', 'no day 0'],
    ['2027-03-12T24:00', 'no hour 24'],
    ['2027-03-12T09:60', 'no minute 60'],
    ['2027-03-12 09:00', 'a space, not T'],
    ['2027-03-12T09:00:00', 'seconds'],
    ['12/03/2027 09:00', 'another format'],
    ['', 'empty'],
    ['not a date', 'words'],
  ])('turns %s (%s) into null', (local) => {
    expect(zonedToUtc(local, 'America/New_York')).toBeNull()
  })

  it('does not turn a year below 100 into a year of the 1900s', () => {
    // Date.UTC maps years 0-99 to 1900-1999: "0027-03-12T09:00" must not become 1927.
    const result = zonedToUtc('0027-03-12T09:00', 'UTC')
    expect(result === null || result.startsWith('0027-')).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------

describe('createEvent', () => {
  it('stores a draft with UTC instants, its zone, rendered description and themes', async () => {
    const created = must(
      await createEvent(
        organizer,
        input({
          title: 'Cutover weekend rehearsal',
          starts: '2027-03-12T09:00',
          ends: '2027-03-15T13:00',
          themes: ['testing-cutover-stabilization', 'broken-handoffs'],
          capacity: '40',
          rsvpDeadline: '2027-03-05T17:00',
        }),
      ),
    )
    expect(created.slug).toBe('cutover-weekend-rehearsal')
    const row = await eventRow(created.id)
    expect(row).toMatchObject({
      status: 'draft',
      starts_at: '2027-03-12T14:00:00.000Z',
      ends_at: '2027-03-15T17:00:00.000Z',
      rsvp_deadline: '2027-03-05T22:00:00.000Z',
      time_zone: 'America/New_York',
      capacity: 40,
      sequence: 0,
      created_by_id: organizer.id,
      join_url: null,
    })
    expect(row.description_html).toContain('<strong>runbooks</strong>')
    const themes = await db
      .selectFrom('event_themes as et')
      .innerJoin('taxonomy_terms as t', 't.id', 'et.term_id')
      .select('t.slug')
      .where('et.event_id', '=', created.id)
      .orderBy('t.slug')
      .execute()
    expect(themes.map((t) => t.slug)).toEqual(['broken-handoffs', 'testing-cutover-stabilization'])
    // The edit form shows the times as they were typed.
    const editable = must(await getEventForEditing(organizer, created.id))
    expect(editable.input).toMatchObject({ starts: '2027-03-12T09:00', ends: '2027-03-15T13:00', rsvpDeadline: '2027-03-05T17:00' })
  })

  it('lets an admin create events too', async () => {
    const admin = await insertMember('admin')
    expect((await createEvent(admin, input())).ok).toBe(true)
  })

  it('refuses a member with 403 and writes nothing', async () => {
    const member = await insertMember()
    const before = await countRows('events')
    expect(await createEvent(member, input())).toMatchObject({ ok: false, status: 403 })
    expect(await countRows('events')).toBe(before)
  })

  it.each([
    ['an end before the start', { starts: '2030-05-14T12:00', ends: '2030-05-14T10:00' }, 'ends'],
    ['an end equal to the start', { starts: '2030-05-14T12:00', ends: '2030-05-14T12:00' }, 'ends'],
    ['a start that is not a real date', { starts: '2030-02-30T12:00', ends: '2030-03-01T12:00' }, 'starts'],
    ['an end that is not a real date', { ends: '2030-05-32T12:00' }, 'ends'],
    ['an RSVP deadline after the start', { rsvpDeadline: '2030-05-14T10:30' }, 'rsvpDeadline'],
    ['an unknown theme', { themes: ['sponsorship-fades', 'no-such-theme'] }, 'themes'],
    ['a theme from another facet', { themes: ['federal'] }, 'themes'],
  ])('refuses %s with 400 on the right field, and writes nothing', async (_, overrides, field) => {
    const [events, themes] = [await countRows('events'), await countRows('event_themes')]
    const outcome = await createEvent(organizer, input(overrides as RawInput))
    expect(outcome).toMatchObject({ ok: false, status: 400, field })
    expect(await countRows('events')).toBe(events)
    expect(await countRows('event_themes')).toBe(themes)
  })

  it.each([
    ['a virtual event without a join link', { format: 'virtual', venue: '', address: '', joinUrl: '' }, ['joinUrl']],
    ['a hybrid event without a join link', { format: 'hybrid', joinUrl: '' }, ['joinUrl']],
    ['an in-person event without a venue', { format: 'in-person', venue: '' }, ['venue']],
    ['an in-person event without venue or address', { format: 'in-person', venue: '', address: '' }, ['venue', 'address']],
    ['a join link that is not https', { format: 'virtual', joinUrl: 'http://meet.example.org/x' }, ['joinUrl']],
    ['six themes', { themes: ['big-bang-scope', 'broken-handoffs', 'capability-gaps', 'legacy-integration', 'rushed-requirements', 'sponsorship-fades'] }, ['themes']],
    ['capacity zero', { capacity: '0' }, ['capacity']],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
  ])('refuses %s on the right field before the model is reached', (_, overrides, fields) => {
    const parsed = eventInputSchema.safeParse(raw(overrides as RawInput))
    expect(parsed.success).toBe(false)
    const paths = parsed.error!.issues.map((issue) => issue.path.join('.'))
    expect(paths.sort()).toEqual([...fields].sort())
  })

  it('keeps no join link for an in-person event and no venue for a virtual one', async () => {
    const inPerson = must(await createEvent(organizer, input({ joinUrl: 'https://meet.example.org/leftover' })))
    expect((await eventRow(inPerson.id)).join_url).toBeNull()
    const virtual = must(
      await createEvent(organizer, input({ format: 'virtual', venue: 'Old venue', address: 'Old address', joinUrl: 'https://meet.example.org/v' })),
    )
    expect(await eventRow(virtual.id)).toMatchObject({ venue: null, address: null, join_url: 'https://meet.example.org/v' })
  })
})

// ---------------------------------------------------------------------------------------------

describe('listEvents', () => {
  // This block's events live in 2040, clear of every other block's.
  const now = new Date('2040-06-15T12:00:00.000Z')
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    const at = (day: string, extra: RawInput = {}) => ({ starts: `${day}T10:00`, ends: `${day}T12:00`, timeZone: 'UTC', ...extra })
    ids.pastEarly = await publishedEvent(at('2040-05-02', { themes: ['broken-handoffs'] }))
    ids.pastLate = await publishedEvent(at('2040-06-01', { format: 'virtual', joinUrl: 'https://meet.example.org/p' }))
    // Started before `now`, ends after it: still upcoming.
    ids.ongoing = await publishedEvent({ starts: '2040-06-15T09:00', ends: '2040-06-15T17:00', timeZone: 'UTC' })
    ids.soon = await publishedEvent(at('2040-06-20', { themes: ['broken-handoffs', 'capability-gaps'] }))
    ids.july = await publishedEvent(at('2040-07-04', { format: 'virtual', joinUrl: 'https://meet.example.org/j' }))
    ids.august = await publishedEvent(at('2040-08-09', { format: 'hybrid', joinUrl: 'https://meet.example.org/h', themes: ['broken-handoffs'] }))
    ids.cancelled = await publishedEvent(at('2040-07-20'))
    must(await cancelEvent(organizer, ids.cancelled))
    ids.draft = must(await createEvent(organizer, input(at('2040-07-10')))).id
  })

  const idsOf = (events: { id: number }[]) => events.map((e) => e.id).filter((id) => Object.values(ids).includes(id))

  it('splits upcoming (soonest first, including one under way) from past (latest first), without drafts', async () => {
    const upcoming = await listEvents({ when: 'upcoming', now })
    expect(idsOf(upcoming)).toEqual([ids.ongoing, ids.soon, ids.july, ids.cancelled, ids.august])
    const past = await listEvents({ when: 'past', now })
    expect(idsOf(past)).toEqual([ids.pastLate, ids.pastEarly])
    expect([...upcoming, ...past].map((e) => e.id)).not.toContain(ids.draft)
  })

  it('still lists a cancelled event, marked cancelled', async () => {
    const upcoming = await listEvents({ when: 'upcoming', now })
    expect(upcoming.find((e) => e.id === ids.cancelled)).toMatchObject({ status: 'cancelled' })
    expect(upcoming.find((e) => e.id === ids.soon)).toMatchObject({ status: 'published' })
  })

  it('filters by theme, with the themes on each card', async () => {
    const upcoming = await listEvents({ when: 'upcoming', theme: 'broken-handoffs', now })
    expect(idsOf(upcoming)).toEqual([ids.soon, ids.august])
    expect(upcoming.find((e) => e.id === ids.soon)!.themes.map((t) => t.slug).sort()).toEqual(['broken-handoffs', 'capability-gaps'])
    expect(idsOf(await listEvents({ when: 'past', theme: 'broken-handoffs', now }))).toEqual([ids.pastEarly])
    expect(idsOf(await listEvents({ when: 'upcoming', theme: 'no-such-theme', now }))).toEqual([])
  })

  it('filters by format', async () => {
    expect(idsOf(await listEvents({ when: 'upcoming', format: 'virtual', now }))).toEqual([ids.july])
    expect(idsOf(await listEvents({ when: 'upcoming', format: 'hybrid', now }))).toEqual([ids.august])
    expect(idsOf(await listEvents({ when: 'past', format: 'virtual', now }))).toEqual([ids.pastLate])
  })

  it('filters by month', async () => {
    expect(idsOf(await listEvents({ when: 'upcoming', month: '2040-07', now }))).toEqual([ids.july, ids.cancelled])
    expect(idsOf(await listEvents({ when: 'upcoming', month: '2040-06', now }))).toEqual([ids.ongoing, ids.soon])
    expect(idsOf(await listEvents({ when: 'past', month: '2040-05', now }))).toEqual([ids.pastEarly])
    expect(idsOf(await listEvents({ when: 'upcoming', month: '2040-07', format: 'virtual', now }))).toEqual([ids.july])
  })

  it("shows the viewer's own answer on each card", async () => {
    const member = await insertMember()
    must(await rsvpToEvent(member, ids.soon, 'going', { now: new Date('2040-06-01T00:00:00Z') }))
    const upcoming = await listEvents({ when: 'upcoming', now, viewerId: member.id })
    expect(upcoming.find((e) => e.id === ids.soon)).toMatchObject({ viewerStatus: 'going', goingCount: 1 })
    expect(upcoming.find((e) => e.id === ids.july)).toMatchObject({ viewerStatus: null })
  })
})

// ---------------------------------------------------------------------------------------------

describe('rsvpToEvent', () => {
  it('puts members on the going list up to capacity, then on the waitlist at places 1, 2, 3', async () => {
    const eventId = await publishedEvent({ capacity: '3' })
    const members = await newPeople(6)
    const answers = []
    for (const member of members) answers.push(must(await rsvpToEvent(member, eventId, 'going')))
    expect(answers).toEqual([
      { status: 'going', position: null },
      { status: 'going', position: null },
      { status: 'going', position: null },
      { status: 'waitlisted', position: 1 },
      { status: 'waitlisted', position: 2 },
      { status: 'waitlisted', position: 3 },
    ])
    expect(await waitlist(eventId)).toEqual(members.slice(3).map((m) => m.id))
    expect(await eventRow(eventId)).toMatchObject({ going_count: 3, waitlist_count: 3, interested_count: 0 })
    // Saying "going" again changes nothing and repeats the place.
    expect(must(await rsvpToEvent(members[4], eventId, 'going'))).toEqual({ status: 'waitlisted', position: 2 })
    expect(must(await rsvpToEvent(members[0], eventId, 'going'))).toEqual({ status: 'going', position: null })
    expect(await eventRow(eventId)).toMatchObject({ going_count: 3, waitlist_count: 3 })
  })

  it('has no limit without a capacity', async () => {
    const eventId = await publishedEvent()
    for (const member of await newPeople(5)) expect(must(await rsvpToEvent(member, eventId, 'going')).status).toBe('going')
    expect(await eventRow(eventId)).toMatchObject({ going_count: 5, waitlist_count: 0 })
  })

  it('promotes waitlist #1 in the same call when a going member says not going, and tells them', async () => {
    const eventId = await publishedEvent({ capacity: '2' })
    const [a, b, c, d, e] = await newPeople(5)
    for (const member of [a, b, c, d, e]) must(await rsvpToEvent(member, eventId, 'going'))
    expect(await waitlist(eventId)).toEqual([c.id, d.id, e.id])

    expect(must(await rsvpToEvent(a, eventId, 'not-going'))).toEqual({ status: 'not-going', position: null })

    expect(await going(eventId)).toEqual([b.id, c.id].sort((x, y) => x - y))
    expect(await rsvpOf(eventId, c.id)).toMatchObject({ status: 'going', waitlist_ticket: null })
    expect(await waitlist(eventId)).toEqual([d.id, e.id])
    expect(await eventRow(eventId)).toMatchObject({ going_count: 2, waitlist_count: 2 })
    const notices = await noticesOf(c.id, eventId)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ kind: 'waitlist_promoted', read_at: null })
    expect(notices[0].message).toContain('now going')
    // No one else was told anything.
    for (const member of [a, b, d, e]) expect(await noticesOf(member.id, eventId)).toEqual([])
    // The rest of the waitlist moved up one place each.
    expect((await getEvent(eventId, d))!.viewerPosition).toBe(1)
    expect((await getEvent(eventId, e))!.viewerPosition).toBe(2)
  })

  it('also promotes when a going member switches to interested', async () => {
    const eventId = await publishedEvent({ capacity: '1' })
    const [a, b] = await newPeople(2)
    must(await rsvpToEvent(a, eventId, 'going'))
    must(await rsvpToEvent(b, eventId, 'going'))
    must(await rsvpToEvent(a, eventId, 'interested'))
    expect(await rsvpOf(eventId, b.id)).toMatchObject({ status: 'going' })
    expect(await eventRow(eventId)).toMatchObject({ going_count: 1, waitlist_count: 0, interested_count: 1 })
    expect(await noticesOf(b.id, eventId)).toHaveLength(1)
  })

  it('does not promote anyone when a waitlisted member leaves; later places move up', async () => {
    const eventId = await publishedEvent({ capacity: '1' })
    const [a, b, c, d] = await newPeople(4)
    for (const member of [a, b, c, d]) must(await rsvpToEvent(member, eventId, 'going'))
    must(await rsvpToEvent(b, eventId, 'not-going'))
    expect(await going(eventId)).toEqual([a.id])
    expect(await waitlist(eventId)).toEqual([c.id, d.id])
    expect((await getEvent(eventId, c))!.viewerPosition).toBe(1)
    expect(await eventRow(eventId)).toMatchObject({ going_count: 1, waitlist_count: 2 })
    // Coming back puts b at the end of the line, not at its old place.
    expect(must(await rsvpToEvent(b, eventId, 'going'))).toEqual({ status: 'waitlisted', position: 3 })
    expect(await noticesOf(c.id, eventId)).toEqual([])
  })

  it('promotes the waitlist in order when updateEvent raises the capacity', async () => {
    const overrides = { capacity: '1', title: 'Capacity grows later' }
    const eventId = await publishedEvent(overrides)
    const [a, b, c, d] = await newPeople(4)
    for (const member of [a, b, c, d]) must(await rsvpToEvent(member, eventId, 'going'))
    expect(await waitlist(eventId)).toEqual([b.id, c.id, d.id])

    expect(must(await updateEvent(organizer, eventId, input({ ...overrides, capacity: '2' })))).toMatchObject({ promoted: 1 })
    expect(await going(eventId)).toEqual([a.id, b.id])
    expect(await waitlist(eventId)).toEqual([c.id, d.id])

    expect(must(await updateEvent(organizer, eventId, input({ ...overrides, capacity: '4' })))).toMatchObject({ promoted: 2 })
    expect(await going(eventId)).toEqual([a.id, b.id, c.id, d.id])
    expect(await waitlist(eventId)).toEqual([])
    expect(await eventRow(eventId)).toMatchObject({ going_count: 4, waitlist_count: 0 })
    for (const member of [b, c, d]) expect((await noticesOf(member.id, eventId)).map((n) => n.kind)).toEqual(['waitlist_promoted'])
    expect(await noticesOf(a.id, eventId)).toEqual([])
  })

  it('counts interested members separately and never gives them a place', async () => {
    const eventId = await publishedEvent({ capacity: '1' })
    const [a, b] = await newPeople(2)
    expect(must(await rsvpToEvent(a, eventId, 'interested'))).toEqual({ status: 'interested', position: null })
    expect(must(await rsvpToEvent(b, eventId, 'going'))).toEqual({ status: 'going', position: null })
    expect(await eventRow(eventId)).toMatchObject({ going_count: 1, interested_count: 1, waitlist_count: 0 })
  })

  it('refuses answers (409) once the RSVP deadline has passed, and changes nothing', async () => {
    const eventId = await publishedEvent({ starts: '2030-09-10T10:00', ends: '2030-09-10T12:00', rsvpDeadline: '2030-09-01T17:00', timeZone: 'UTC' })
    const [early, late] = await newPeople(2)
    must(await rsvpToEvent(early, eventId, 'going', { now: new Date('2030-09-01T16:59:00Z') }))
    expect(await rsvpToEvent(late, eventId, 'going', { now: new Date('2030-09-01T17:00:00Z') })).toMatchObject({ ok: false, status: 409 })
    expect(await rsvpToEvent(early, eventId, 'not-going', { now: new Date('2030-09-05T00:00:00Z') })).toMatchObject({ ok: false, status: 409 })
    expect(await rsvpOf(eventId, late.id)).toBeUndefined()
    expect(await rsvpOf(eventId, early.id)).toMatchObject({ status: 'going' })
  })

  it('refuses answers (409) once the event has started, when there is no deadline', async () => {
    const eventId = await publishedEvent({ starts: '2030-09-10T10:00', ends: '2030-09-10T12:00', timeZone: 'UTC' })
    const member = await insertMember()
    expect(await rsvpToEvent(member, eventId, 'going', { now: new Date('2030-09-10T10:00:00Z') })).toMatchObject({ ok: false, status: 409 })
    expect(await rsvpToEvent(member, eventId, 'interested', { now: new Date('2030-09-10T11:00:00Z') })).toMatchObject({ ok: false, status: 409 })
    expect(await rsvpOf(eventId, member.id)).toBeUndefined()
    expect(must(await rsvpToEvent(member, eventId, 'going', { now: new Date('2030-09-10T09:59:00Z') })).status).toBe('going')
  })

  it('refuses answers to a cancelled event (409) and to a draft (404)', async () => {
    const cancelled = await publishedEvent()
    must(await cancelEvent(organizer, cancelled))
    const draft = must(await createEvent(organizer, input())).id
    const member = await insertMember()
    expect(await rsvpToEvent(member, cancelled, 'going')).toMatchObject({ ok: false, status: 409 })
    expect(await rsvpToEvent(member, draft, 'going')).toMatchObject({ ok: false, status: 404 })
    expect(await rsvpToEvent(member, 99_999_999, 'going')).toMatchObject({ ok: false, status: 404 })
    expect(await rsvpOf(cancelled, member.id)).toBeUndefined()
    expect(await rsvpOf(draft, member.id)).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------------------------

describe('updating, publishing and cancelling', () => {
  it('updateEvent bumps SEQUENCE each time and re-renders; members are refused with 403', async () => {
    const eventId = await publishedEvent({ title: 'Sequence check' })
    expect((await eventRow(eventId)).sequence).toBe(0)
    must(await updateEvent(organizer, eventId, input({ title: 'Sequence check', description: 'Now with _emphasis_' })))
    expect((await eventRow(eventId)).sequence).toBe(1)
    must(await updateEvent(organizer, eventId, input({ title: 'Sequence check, moved', starts: '2030-05-15T10:00', ends: '2030-05-15T12:00' })))
    const row = await eventRow(eventId)
    expect(row).toMatchObject({ sequence: 2, slug: 'sequence-check-moved', starts_at: '2030-05-15T14:00:00.000Z' })

    const member = await insertMember()
    expect(await updateEvent(member, eventId, input({ title: 'Hijacked title' }))).toMatchObject({ ok: false, status: 403 })
    expect(await eventRow(eventId)).toEqual(row)
    expect(await updateEvent(organizer, 99_999_999, input())).toMatchObject({ ok: false, status: 404 })
  })

  it('publishEvent publishes a draft once, bumping SEQUENCE; members are refused with 403', async () => {
    const { id } = must(await createEvent(organizer, input()))
    const member = await insertMember()
    expect(await publishEvent(member, id)).toMatchObject({ ok: false, status: 403 })
    expect((await eventRow(id)).status).toBe('draft')
    must(await publishEvent(organizer, id))
    expect(await eventRow(id)).toMatchObject({ status: 'published', sequence: 1 })
    expect(await publishEvent(organizer, id)).toMatchObject({ ok: false, status: 409 })
  })

  it('cancelEvent tells everyone going, waitlisted or interested (not those not going) with the organizer’s message, and bumps SEQUENCE', async () => {
    const eventId = await publishedEvent({ capacity: '2', title: 'Soon to be cancelled' })
    const [g1, g2, w1, w2, interested, notGoing] = await newPeople(6)
    for (const member of [g1, g2, w1, w2]) must(await rsvpToEvent(member, eventId, 'going'))
    must(await rsvpToEvent(interested, eventId, 'interested'))
    must(await rsvpToEvent(notGoing, eventId, 'not-going'))
    const before = await eventRow(eventId)

    const member = await insertMember()
    expect(await cancelEvent(member, eventId)).toMatchObject({ ok: false, status: 403 })
    expect(await eventRow(eventId)).toEqual(before)

    expect(must(await cancelEvent(organizer, eventId, 'The venue flooded; we will find a new date.'))).toEqual({ notified: 5 })
    const row = await eventRow(eventId)
    expect(row).toMatchObject({ status: 'cancelled', sequence: before.sequence + 1 })
    expect(row.cancelled_at).not.toBeNull()
    for (const told of [g1, g2, w1, w2, interested]) {
      const notices = await noticesOf(told.id, eventId)
      expect(notices.map((n) => n.kind)).toEqual(['event_cancelled'])
      expect(notices[0].message).toContain('Soon to be cancelled')
      expect((await getNotificationForRecipient(notices[0].id))?.view?.detail).toBe('From the organizer: The venue flooded; we will find a new date.')
    }
    expect(await noticesOf(notGoing.id, eventId)).toEqual([])
    expect(await getEvent(eventId, null)).toMatchObject({ cancellationMessage: 'The venue flooded; we will find a new date.' })
    expect(await cancelEvent(organizer, eventId)).toMatchObject({ ok: false, status: 409 })
    expect(await getEvent(eventId, null)).toMatchObject({ status: 'cancelled', rsvpOpen: false })
  })

  it('does not move anyone from the waitlist to "going" when a cancelled event is edited', async () => {
    const overrides = { capacity: '1', title: 'Cancelled, then edited' }
    const eventId = await publishedEvent(overrides)
    const [a, b] = await newPeople(2)
    must(await rsvpToEvent(a, eventId, 'going'))
    must(await rsvpToEvent(b, eventId, 'going'))
    must(await cancelEvent(organizer, eventId))
    // An organizer adds a note to the cancelled event and lifts the capacity.
    must(await updateEvent(organizer, eventId, input({ ...overrides, capacity: '', description: 'Cancelled: see the follow-up.' })))
    expect(await rsvpOf(eventId, b.id)).toMatchObject({ status: 'waitlisted' })
    // b was told it is cancelled; b must not then be told "you are now going".
    expect((await noticesOf(b.id, eventId)).map((n) => n.kind)).toEqual(['event_cancelled'])
  })
})

// ---------------------------------------------------------------------------------------------

describe('getEvent and the join link', () => {
  const JOIN = 'https://meet.example.org/sectorpulse/only-for-those-going'
  let eventId: number
  let goingMember: Actor
  let waitlisted: Actor
  let interested: Actor
  let notGoing: Actor
  let bystander: Actor
  let moderator: Actor
  let goingModerator: Actor

  beforeAll(async () => {
    eventId = await publishedEvent({ format: 'virtual', venue: '', address: '', joinUrl: JOIN, capacity: '2' })
    ;[goingMember, waitlisted, interested, notGoing, bystander] = await newPeople(5)
    moderator = await insertMember('moderator')
    goingModerator = await insertMember('moderator')
    must(await rsvpToEvent(goingMember, eventId, 'going'))
    must(await rsvpToEvent(goingModerator, eventId, 'going'))
    must(await rsvpToEvent(waitlisted, eventId, 'going'))
    must(await rsvpToEvent(interested, eventId, 'interested'))
    must(await rsvpToEvent(notGoing, eventId, 'not-going'))
  })

  it('gives the join link to a member who is going', async () => {
    expect(await getEvent(eventId, goingMember)).toMatchObject({ joinUrl: JOIN, viewerStatus: 'going', viewerPosition: null })
    expect((await getEvent(eventId, goingModerator))!.joinUrl).toBe(JOIN)
  })

  it('keeps it from the waitlisted, the interested, the not going, other members, anonymous readers and organizers not going', async () => {
    expect(await getEvent(eventId, waitlisted)).toMatchObject({ joinUrl: null, viewerStatus: 'waitlisted', viewerPosition: 1 })
    expect(await getEvent(eventId, interested)).toMatchObject({ joinUrl: null, viewerStatus: 'interested' })
    expect(await getEvent(eventId, notGoing)).toMatchObject({ joinUrl: null, viewerStatus: 'not-going' })
    expect(await getEvent(eventId, bystander)).toMatchObject({ joinUrl: null, viewerStatus: null })
    expect(await getEvent(eventId, null)).toMatchObject({ joinUrl: null, viewerStatus: null })
    expect(await getEvent(eventId, moderator)).toMatchObject({ joinUrl: null, viewerStatus: null })
    // Nothing else in the detail carries it either.
    for (const viewer of [waitlisted, interested, bystander, null, moderator]) {
      expect(JSON.stringify(await getEvent(eventId, viewer))).not.toContain('only-for-those-going')
    }
  })

  it('keeps it even from those going once the event is cancelled', async () => {
    const other = await publishedEvent({ format: 'virtual', joinUrl: JOIN })
    const member = await insertMember()
    must(await rsvpToEvent(member, other, 'going'))
    must(await cancelEvent(organizer, other))
    expect((await getEvent(other, member))!.joinUrl).toBeNull()
  })

  it('shows drafts only to organizers', async () => {
    const { id } = must(await createEvent(organizer, input()))
    expect(await getEvent(id, null)).toBeNull()
    expect(await getEvent(id, bystander)).toBeNull()
    expect(await getEvent(id, moderator)).toMatchObject({ id, status: 'draft' })
    expect(await getEvent(id, await insertMember('admin'))).toMatchObject({ id, status: 'draft' })
  })
})

// ---------------------------------------------------------------------------------------------

describe('attendees', () => {
  it('lists going, then the waitlist in order, then interested (not "not going"); organizers only', async () => {
    const eventId = await publishedEvent({ capacity: '2' })
    const [g1, g2, w1, w2, w3, i1, n1] = await newPeople(7)
    must(await rsvpToEvent(i1, eventId, 'interested'))
    for (const member of [g1, g2, w1, w2, w3]) must(await rsvpToEvent(member, eventId, 'going'))
    must(await rsvpToEvent(n1, eventId, 'not-going'))
    // w2 leaves and comes back: now last in line.
    must(await rsvpToEvent(w2, eventId, 'not-going'))
    must(await rsvpToEvent(w2, eventId, 'going'))

    const attendees = must(await listAttendees(organizer, eventId))
    const handle = (a: { handle: string }) => a.handle
    expect(attendees.map((a) => [a.handle, a.status, a.position])).toEqual([
      [handle(g1), 'going', null],
      [handle(g2), 'going', null],
      [handle(w1), 'waitlisted', 1],
      [handle(w3), 'waitlisted', 2],
      [handle(w2), 'waitlisted', 3],
      [handle(i1), 'interested', null],
    ])
    expect(attendees[0]).toMatchObject({ email: g1.email, organization: 'A county agency' })

    expect(await listAttendees(await insertMember(), eventId)).toMatchObject({ ok: false, status: 403 })
    expect(must(await listAttendees(await insertMember('admin'), eventId))).toHaveLength(6)
  })

  it('writes CSV that quotes commas, quotes and newlines and defuses = + - @ formulas', () => {
    const base: Attendee = {
      handle: 'plain',
      displayName: 'Plain Name',
      email: 'plain@agency.example.gov',
      organization: null,
      status: 'going',
      position: null,
      answeredAt: '2030-01-01T00:00:00.000Z',
      attended: false,
    }
    const csv = attendeesCsv([
      { ...base },
      { ...base, displayName: 'Smith, Jane', organization: 'The "Best" Agency' },
      { ...base, displayName: '=HYPERLINK("http://evil.example","x")', organization: '+1 555 0100' },
      { ...base, displayName: '-2+3', organization: '@SUM(A1:A9)' },
      { ...base, displayName: 'Two\nlines', status: 'waitlisted', position: 1 },
    ], { attendanceRecorded: false })
    expect(csv.endsWith('\r\n')).toBe(true)
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('Name,Handle,Email,Organization,Status,Waitlist position,Answered at (UTC),Attended')
    expect(lines[1]).toBe('Plain Name,plain,plain@agency.example.gov,,going,,2030-01-01T00:00:00.000Z,')
    expect(lines[2]).toBe('"Smith, Jane",plain,plain@agency.example.gov,"The ""Best"" Agency",going,,2030-01-01T00:00:00.000Z,')
    expect(lines[3]).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",plain,plain@agency.example.gov,'+1 555 0100,going,,2030-01-01T00:00:00.000Z,`)
    expect(lines[4]).toBe("'-2+3,plain,plain@agency.example.gov,'@SUM(A1:A9),going,,2030-01-01T00:00:00.000Z,")
    expect(lines[5]).toBe('"Two\nlines",plain,plain@agency.example.gov,,waitlisted,1,2030-01-01T00:00:00.000Z,')
    // No cell of any row starts with a formula character.
    for (const line of lines.slice(1, -1)) {
      for (const cell of line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/)
    }
  })
})
