// After an event: attendance recorded from the going list and walk-ins, what past events show,
// recap materials as validated links, places left, and the "who's going" opt-in.
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { seedContent } from '../../db/seed'
import { type EventInput, eventInputSchema, recapMaterials } from '../../app/lib/event-fields'
import { createEvent, getEventForEditing } from '../../app/models/event.server'
import { listAttendees, recordAttendance } from '../../app/models/event-attendance.server'
import { getEvent, listEvents } from '../../app/models/event-listing.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { insertMember, must } from '../helpers/model-fixtures'

type RawInput = Record<string, string | string[] | undefined>
let titles = 0
const raw = (overrides: RawInput = {}): RawInput => ({
  title: `Follow-through roundtable ${++titles}`,
  kind: 'roundtable',
  description: 'We compare **runbooks**.',
  starts: '2030-05-14T10:00',
  ends: '2030-05-14T12:00',
  timeZone: 'America/New_York',
  format: 'virtual',
  joinUrl: 'https://meet.example.org/room',
  capacity: '',
  themes: [],
  ...overrides,
})
const input = (overrides: RawInput = {}): EventInput => eventInputSchema.parse(raw(overrides))

let organizer: Awaited<ReturnType<typeof insertMember>>
beforeAll(async () => {
  await seedContent({ includeDemo: true })
  organizer = await insertMember('moderator')
})

const publishedEvent = async (overrides: RawInput = {}) => must(await createEvent(organizer, input(overrides), { status: 'published' })).id
const BEFORE = new Date('2030-05-01T00:00:00Z')
const AFTER = new Date('2030-05-15T00:00:00Z')

describe('recording attendance', () => {
  it('counts the ticked members of the going list and the walk-ins, and the event shows how many attended', async () => {
    const eventId = await publishedEvent()
    const [a, b, c] = await Promise.all([insertMember(), insertMember(), insertMember()])
    for (const person of [a, b, c]) must(await rsvpToEvent(person, eventId, 'going', { now: BEFORE }))

    expect(must(await recordAttendance(organizer, eventId, { attendedHandles: [a.handle, c.handle], walkIns: 4 }, { now: AFTER }))).toEqual({ attendedCount: 6 })
    const event = await getEvent(eventId, null, AFTER)
    expect(event).toMatchObject({ attendedCount: 6, walkInCount: 4 })
    const attendees = must(await listAttendees(organizer, eventId))
    expect(attendees.map((p) => [p.handle, p.attended])).toEqual([
      [a.handle, true],
      [b.handle, false],
      [c.handle, true],
    ])
    const past = await listEvents({ when: 'past', now: AFTER })
    expect(past.find((e) => e.id === eventId)?.attendedCount).toBe(6)

    // Recording again replaces the record.
    must(await recordAttendance(organizer, eventId, { attendedHandles: [b.handle], walkIns: 0 }, { now: AFTER }))
    expect((await getEvent(eventId, null, AFTER))?.attendedCount).toBe(1)
    expect(must(await listAttendees(organizer, eventId)).filter((p) => p.attended).map((p) => p.handle)).toEqual([b.handle])
  })

  it('refuses members, events not yet started, and people who are not on the going list', async () => {
    const eventId = await publishedEvent()
    const [going, interested] = await Promise.all([insertMember(), insertMember()])
    must(await rsvpToEvent(going, eventId, 'going', { now: BEFORE }))
    must(await rsvpToEvent(interested, eventId, 'interested', { now: BEFORE }))

    expect(await recordAttendance(going, eventId, { attendedHandles: [], walkIns: 1 }, { now: AFTER })).toMatchObject({ ok: false, status: 403 })
    expect(await recordAttendance(organizer, eventId, { attendedHandles: [], walkIns: 1 }, { now: BEFORE })).toMatchObject({ ok: false, status: 409 })
    expect(await recordAttendance(organizer, eventId, { attendedHandles: [interested.handle], walkIns: 0 }, { now: AFTER })).toMatchObject({
      ok: false,
      status: 400,
      field: 'attended',
    })
    expect((await getEvent(eventId, null, AFTER))?.attendedCount).toBeNull()
  })

  it('makes the demo recaps agree with their pages: "Eighteen people attended" shows 18 attended', async () => {
    const row = await db.selectFrom('events').select(['id', 'recap_md']).where('source_key', '=', 'demo/events/roundtable-acting-on-oversight-findings').executeTakeFirstOrThrow()
    expect(row.recap_md).toContain('Eighteen people attended')
    expect((await getEvent(row.id, null))?.attendedCount).toBe(18)
  })
})

describe('recap materials', () => {
  it('keeps label and address pairs in order, and gives them back to the edit form', async () => {
    const eventId = await publishedEvent({
      materialLabel1: 'Slides',
      materialUrl1: 'https://files.example.org/slides.pdf',
      materialLabel3: 'Recording',
      materialUrl3: 'http://video.example.org/watch?v=1',
    })
    expect((await getEvent(eventId, null))?.recapLinks).toEqual([
      { label: 'Slides', url: 'https://files.example.org/slides.pdf' },
      { label: 'Recording', url: 'http://video.example.org/watch?v=1' },
    ])
    const editable = must(await getEventForEditing(organizer, eventId))
    expect(editable.input).toMatchObject({ materialLabel2: 'Recording', materialUrl2: 'http://video.example.org/watch?v=1', materialLabel3: '' })
  })

  it('accepts only http and https addresses, and asks for the missing half of a pair', () => {
    const problems = (overrides: RawInput) => {
      const result = eventInputSchema.safeParse(raw(overrides))
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]))
    }
    expect(problems({ materialLabel1: 'Notes', materialUrl1: 'javascript:alert(1)' })).toEqual({ materialUrl1: 'Enter an address that starts with https:// or http://' })
    expect(problems({ materialLabel1: 'Notes', materialUrl1: 'ftp://files.example.org/notes' })).toHaveProperty('materialUrl1')
    expect(problems({ materialLabel2: 'Notes' })).toEqual({ materialUrl2: 'Enter the address of "Notes"' })
    expect(problems({ materialUrl4: 'https://example.org/x' })).toHaveProperty('materialLabel4')
    expect(recapMaterials(input({ materialLabel1: ' Notes ', materialUrl1: ' https://example.org/notes ' }))).toEqual([{ label: 'Notes', url: 'https://example.org/notes' }])
  })
})

describe("places left and who's going", () => {
  it('shows places left, and names only the members going who chose to be named', async () => {
    const eventId = await publishedEvent({ capacity: '3' })
    const [named, hidden, later] = await Promise.all([insertMember(), insertMember(), insertMember()])
    must(await rsvpToEvent(named, eventId, 'going', { now: BEFORE, showAsGoing: true }))
    must(await rsvpToEvent(hidden, eventId, 'going', { now: BEFORE }))
    let event = await getEvent(eventId, named, BEFORE)
    expect(event).toMatchObject({ placesLeft: 1, viewerShownAsGoing: true })
    expect(event?.whosGoing).toEqual([{ handle: named.handle, displayName: named.displayName }])
    expect((await listEvents({ when: 'upcoming', now: BEFORE })).find((e) => e.id === eventId)?.placesLeft).toBe(1)

    // Changing one's mind (answering going again without the box) hides the name; leaving does too.
    must(await rsvpToEvent(named, eventId, 'going', { now: BEFORE }))
    expect((await getEvent(eventId, null, BEFORE))?.whosGoing).toEqual([])
    must(await rsvpToEvent(later, eventId, 'going', { now: BEFORE, showAsGoing: true }))
    must(await rsvpToEvent(later, eventId, 'not-going', { now: BEFORE }))
    event = await getEvent(eventId, null, BEFORE)
    expect(event?.whosGoing).toEqual([])
    expect(event?.placesLeft).toBe(1)
  })
})
