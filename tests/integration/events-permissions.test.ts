// Who may do what with Events, over real HTTP: each action tried by an anonymous visitor, a
// member, a member who is going, a moderator and an admin. Allowed actions work and show in the
// database; refused ones answer 403 (anonymous visitors are sent to sign in) and change nothing.
// A member with an unconfirmed address or silenced is refused every RSVP with the reason.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, eventually, fieldError, openServerDatabase, PARTICIPATION_REFUSALS, restrict, RESTRICTIONS, signedIn } from './support'
import { eventForm, type Fields, postFields } from './events-support'

const db = openServerDatabase()
afterAll(() => db.close())

type Who = 'anonymous' | 'member' | 'going member' | 'moderator' | 'admin'
const EVERYONE: Who[] = ['anonymous', 'member', 'going member', 'moderator', 'admin']
const ORGANIZERS: Who[] = ['moderator', 'admin']

/** A signed-in member (from `signedIn`) or the anonymous visitor, who has no id. */
interface Person {
  client: HttpClient
  id: number | null
  handle: string
  email: string
}

const people = {} as Record<Who, Person>
let organizer: Person

beforeAll(async () => {
  people.anonymous = { client: new HttpClient(), id: null, handle: '', email: '' }
  people.member = await signedIn(db)
  people['going member'] = await signedIn(db)
  people.moderator = await signedIn(db, 'moderator')
  people.admin = await signedIn(db, 'admin')
  organizer = await signedIn(db, 'moderator')
})

interface EventRef {
  id: number
  slug: string
  path: string
}

/** An event made through the organizer form (published unless told), with the going member going. */
async function newEvent(overrides: Fields = {}, { publish = true, goingMember = true } = {}): Promise<EventRef> {
  const created = await postFields(organizer.client, '/events/new', eventForm(overrides))
  expect(created.status, await created.clone().text()).toBe(302)
  const [, id, slug] = /^\/events\/(\d+)\/([a-z0-9-]+)$/.exec(created.headers.get('location')!)!
  const event = { id: Number(id), slug, path: `/events/${id}/${slug}` }
  if (publish) {
    expect((await organizer.client.post(event.path, { intent: 'publish' })).status).toBe(302)
    if (goingMember) expect((await people['going member'].client.post(event.path, { intent: 'going' })).status).toBe(302)
  }
  return event
}

/** Everything an events write could touch for one event. */
async function snapshot(eventId: number) {
  return {
    event: await db.one(sql`select * from events where id = ${eventId}`),
    themes: await db.all(sql`select * from event_themes where event_id = ${eventId} order by term_id`),
    rsvps: await db.all(sql`select * from rsvps where event_id = ${eventId} order by user_id`),
    // What was recorded, not when the background fan-out got to it.
    activities: await db.all(sql`select id, kind, actor_id, data_json from activities where event_id = ${eventId} order by id`),
  }
}

const eventRow = async (id: number) => (await db.one(sql`select * from events where id = ${id}`)) as Record<string, unknown>
const rsvpOf = async (eventId: number, userId: number | null) =>
  (await db.one(sql`select status from rsvps where event_id = ${eventId} and user_id = ${userId}`)) as { status: string } | undefined
const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`
const dataUrl = (event: EventRef) => `${event.path}?${new URLSearchParams({ _data: 'routes/events.$id_.$slug' })}`

function expectSignInFirst(response: Response, path: string) {
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe(loginRedirect(path))
}

// ---------------------------------------------------------------------------------------------

describe('creating an event', () => {
  it.each(EVERYONE)('GET /events/new as %s', async (who) => {
    const response = await people[who].client.get('/events/new')
    if (who === 'anonymous') expectSignInFirst(response, '/events/new')
    else if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('<h1>Create an event</h1>')
    } else expect(response.status).toBe(403)
  })

  it.each(EVERYONE)('POST /events/new as %s', async (who) => {
    const fields = eventForm()
    const response = await postFields(people[who].client, '/events/new', fields)
    const created = (await db.all(sql`select * from events where title = ${fields.title}`)) as Record<string, unknown>[]
    if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(302)
      expect(created).toHaveLength(1)
      expect(created[0]).toMatchObject({ status: 'draft', created_by_id: people[who].id, starts_at: '2030-10-08T15:00:00.000Z' })
      expect(response.headers.get('location')).toBe(`/events/${created[0].id}/${created[0].slug}`)
    } else {
      if (who === 'anonymous') expectSignInFirst(response, '/events/new')
      else expect(response.status).toBe(403)
      expect(created).toHaveLength(0)
    }
  })

  it.each([
    ['a virtual event without a join link', { format: 'virtual', venue: '', address: '', joinUrl: '' }, 'joinUrl'],
    ['an in-person event without a venue', { format: 'in-person', venue: '' }, 'venue'],
    ['an end before the start', { starts: '2030-10-08T12:00', ends: '2030-10-08T10:00' }, 'ends'],
    ['an RSVP deadline after the start', { rsvpDeadline: '2030-10-09T09:00' }, 'rsvpDeadline'],
  ])('refuses %s with 400 and the message next to the field, creating nothing', async (_, overrides, field) => {
    const fields = eventForm(overrides)
    const response = await postFields(organizer.client, '/events/new', fields)
    expect(response.status).toBe(400)
    expect(fieldError(await response.text(), field)).toBeTruthy()
    expect(await db.all(sql`select id from events where title = ${fields.title}`)).toEqual([])
  })

  it('refuses an unknown theme with 400, creating nothing', async () => {
    const fields = eventForm({ themes: ['broken-handoffs', 'no-such-theme'] })
    const response = await postFields(organizer.client, '/events/new', fields)
    expect(response.status).toBe(400)
    expect(errorSummary(await response.text())).toContain('Choose themes from the list')
    expect(await db.all(sql`select id from events where title = ${fields.title}`)).toEqual([])
  })
})

describe('editing an event', () => {
  it.each(EVERYONE)('GET and POST /events/:id/edit as %s', async (who) => {
    const event = await newEvent({ title: `Edit me ${who} ${randomBytes(3).toString('hex')}` })
    const path = `/events/${event.id}/edit`
    const get = await people[who].client.get(path)
    const before = await snapshot(event.id)
    const fields = eventForm({ title: `Edited by ${who} ${randomBytes(3).toString('hex')}`, capacity: '12' })
    const post = await postFields(people[who].client, path, fields)

    if (ORGANIZERS.includes(who)) {
      expect(get.status).toBe(200)
      expect(post.status).toBe(302)
      expect(await eventRow(event.id)).toMatchObject({ title: fields.title, capacity: 12, sequence: (before.event as { sequence: number }).sequence + 1 })
    } else {
      if (who === 'anonymous') {
        expectSignInFirst(get, path)
        expectSignInFirst(post, path)
      } else {
        expect(get.status).toBe(403)
        expect(post.status).toBe(403)
      }
      expect(await snapshot(event.id)).toEqual(before)
    }
  })
})

describe('publishing a draft', () => {
  it.each(EVERYONE)('POST intent=publish as %s', async (who) => {
    const draft = await newEvent({}, { publish: false })
    const before = await snapshot(draft.id)
    const response = await people[who].client.post(draft.path, { intent: 'publish' })
    if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(302)
      expect(await eventRow(draft.id)).toMatchObject({ status: 'published', sequence: 1 })
    } else {
      if (who === 'anonymous') expectSignInFirst(response, draft.path)
      else expect(response.status).toBe(403)
      expect(await snapshot(draft.id)).toEqual(before)
    }
  })
})

describe('cancelling an event', () => {
  it.each(EVERYONE)('POST intent=cancel as %s', async (who) => {
    const event = await newEvent()
    const before = await snapshot(event.id)
    const response = await people[who].client.post(event.path, { intent: 'cancel' })
    if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(302)
      expect(await eventRow(event.id)).toMatchObject({ status: 'cancelled' })
      const told = await eventually(
        async () => await db.all(sql`select user_id, kind from notifications where event_id = ${event.id}`),
        (rows) => rows.length > 0,
      )
      expect(told).toEqual([{ user_id: people['going member'].id, kind: 'event_cancelled' }])
    } else {
      if (who === 'anonymous') expectSignInFirst(response, event.path)
      else expect(response.status).toBe(403)
      expect(await snapshot(event.id)).toEqual(before)
    }
  })
})

describe('answering an RSVP', () => {
  it.each(EVERYONE)('POST intent=going, then interested, as %s', async (who) => {
    const event = await newEvent({}, { goingMember: who !== 'going member' })
    const person = people[who]
    const before = await snapshot(event.id)
    const going = await person.client.post(event.path, { intent: 'going' })
    if (who === 'anonymous') {
      expectSignInFirst(going, event.path)
      expect(await snapshot(event.id)).toEqual(before)
      return
    }
    // Members and organizers alike may come to events.
    expect(going.status).toBe(302)
    expect(going.headers.get('location')).toBe(`${event.path}#rsvp`)
    expect(await rsvpOf(event.id, person.id)).toEqual({ status: 'going' })
    expect((await person.client.post(event.path, { intent: 'interested' })).status).toBe(302)
    expect(await rsvpOf(event.id, person.id)).toEqual({ status: 'interested' })
  })

  it('refuses an unknown intent with 400, a cancelled event with 409 and a draft with 404, changing nothing', async () => {
    const member = people.member
    const event = await newEvent()
    const before = await snapshot(event.id)
    expect((await member.client.post(event.path, { intent: 'maybe' })).status).toBe(400)
    expect(await snapshot(event.id)).toEqual(before)

    const cancelled = await newEvent()
    expect((await organizer.client.post(cancelled.path, { intent: 'cancel' })).status).toBe(302)
    const cancelledBefore = await snapshot(cancelled.id)
    expect((await member.client.post(cancelled.path, { intent: 'going' })).status).toBe(409)
    expect(await snapshot(cancelled.id)).toEqual(cancelledBefore)

    const draft = await newEvent({}, { publish: false })
    expect((await member.client.post(draft.path, { intent: 'going' })).status).toBe(404)
    expect(await rsvpOf(draft.id, member.id)).toBeUndefined()
  })
})

describe('members who may read but not take part', () => {
  it.each(RESTRICTIONS.flatMap((restriction) => ['going', 'interested'].map((answer) => [answer, restriction] as const)))(
    'answering %s: the %s member gets 403 with the reason, and no RSVP is written',
    async (answer, restriction) => {
      const event = await newEvent()
      const member = await signedIn(db)
      await restrict(db, member, restriction)
      const before = await snapshot(event.id)
      const response = await member.client.post(event.path, { intent: answer })
      expect(response.status).toBe(403)
      expect(decodeHtml(await response.text())).toContain(PARTICIPATION_REFUSALS[restriction])
      expect(await snapshot(event.id)).toEqual(before)
    },
  )

  it.each(RESTRICTIONS)('the %s member can still give their place back, and the first on the waitlist gets it', async (restriction) => {
    const event = await newEvent({ capacity: '1' }, { goingMember: false })
    const member = await signedIn(db)
    const waiting = await signedIn(db)
    expect((await member.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await waiting.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect(await rsvpOf(event.id, waiting.id)).toEqual({ status: 'waitlisted' })
    await restrict(db, member, restriction)
    // Offered only the answer they may still give, with the reason.
    const page = decodeHtml(await (await member.client.get(event.path)).text())
    expect(page).toContain(`${PARTICIPATION_REFUSALS[restriction]} You can still answer Not going.`)
    expect(page).toMatch(/<button[^>]*value="not-going"/)
    expect(page).not.toMatch(/<button[^>]*value="(going|interested)"/)
    const response = await member.client.post(event.path, { intent: 'not-going' })
    expect(response.status).toBe(302)
    expect(await rsvpOf(event.id, member.id)).toEqual({ status: 'not-going' })
    expect(await rsvpOf(event.id, waiting.id)).toEqual({ status: 'going' })
  })

  it.each(RESTRICTIONS)('the %s member who has not answered is offered no RSVP buttons, only the reason', async (restriction) => {
    const event = await newEvent()
    const member = await signedIn(db)
    const offered = decodeHtml(await (await member.client.get(event.path)).text())
    expect(offered).toMatch(/<button[^>]*value="going"/)
    await restrict(db, member, restriction)
    const page = decodeHtml(await (await member.client.get(event.path)).text())
    expect(page).not.toMatch(/<button[^>]*value="(going|interested|not-going)"/)
    expect(page.slice(page.indexOf('Add to your calendar') - 600)).toContain(PARTICIPATION_REFUSALS[restriction])
  })
})

describe('the join link of a virtual event', () => {
  const secret = `join-secret-${randomBytes(8).toString('hex')}`
  let event: EventRef
  const extra = {} as Record<'waitlisted' | 'interested', Person>

  beforeAll(async () => {
    event = await newEvent({ format: 'virtual', venue: '', address: '', joinUrl: `https://meet.example.org/${secret}`, capacity: '1' })
    extra.waitlisted = await signedIn(db)
    extra.interested = await signedIn(db)
    expect((await extra.waitlisted.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect(await rsvpOf(event.id, extra.waitlisted.id)).toEqual({ status: 'waitlisted' })
    expect((await extra.interested.client.post(event.path, { intent: 'interested' })).status).toBe(302)
  })

  it('is in the page and its data only for the member who is going', async () => {
    const page = await people['going member'].client.get(event.path)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`href="https://meet.example.org/${secret}"`)
    const data = await people['going member'].client.get(dataUrl(event))
    expect(data.status).toBe(200)
    expect((await data.json()).event.joinUrl).toBe(`https://meet.example.org/${secret}`)
  })

  it.each(['anonymous', 'member', 'waitlisted', 'interested', 'moderator', 'admin'] as const)(
    'appears nowhere in the page HTML or the route data for %s',
    async (who) => {
      const person = who === 'waitlisted' || who === 'interested' ? extra[who] : people[who]
      const page = await person.client.get(event.path)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).not.toContain(secret)
      expect(html).toContain('The join link is shown here to members who are going.')
      const data = await person.client.get(dataUrl(event))
      expect(data.status).toBe(200)
      const text = await data.text()
      expect(text).not.toContain(secret)
      expect(JSON.parse(text).event.joinUrl).toBeNull()
      // Nor in the list of events, nor in the calendar file.
      expect(await (await person.client.get('/events')).text()).not.toContain(secret)
      expect(await (await person.client.get(`/events/${event.id}.ics`)).text()).not.toContain(secret)
    },
  )

  it('disappears for the going member once they stop going', async () => {
    const leaver = await signedIn(db)
    const other = await newEvent({ format: 'virtual', venue: '', address: '', joinUrl: `https://meet.example.org/${secret}-2` })
    expect((await leaver.client.post(other.path, { intent: 'going' })).status).toBe(302)
    expect(await (await leaver.client.get(other.path)).text()).toContain(`${secret}-2`)
    expect((await leaver.client.post(other.path, { intent: 'not-going' })).status).toBe(302)
    expect(await (await leaver.client.get(other.path)).text()).not.toContain(`${secret}-2`)
  })
})

describe('the attendee list and its CSV', () => {
  let event: EventRef
  beforeAll(async () => {
    event = await newEvent()
  })

  it.each(EVERYONE)('GET /events/:id/attendees as %s', async (who) => {
    const path = `/events/${event.id}/attendees`
    const response = await people[who].client.get(path)
    if (who === 'anonymous') return expectSignInFirst(response, path)
    const html = await response.text()
    if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(200)
      expect(html).toContain(people['going member'].handle)
      expect(html).toContain(people['going member'].email)
    } else {
      expect(response.status).toBe(403)
      expect(html).not.toContain(people['going member'].email)
    }
  })

  it.each(EVERYONE)('GET /events/:id/attendees.csv as %s', async (who) => {
    const path = `/events/${event.id}/attendees.csv`
    const response = await people[who].client.get(path)
    if (who === 'anonymous') return expectSignInFirst(response, path)
    const body = await response.text()
    if (ORGANIZERS.includes(who)) {
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/)
      const lines = body.trim().split('\r\n')
      expect(lines[0]).toBe('Name,Handle,Email,Organization,Status,Waitlist position,Answered at (UTC),Attended')
      expect(lines).toHaveLength(2)
      expect(lines[1]).toContain(`,${people['going member'].handle},${people['going member'].email},`)
      expect(lines[1]).toContain(',going,,')
    } else {
      expect(response.status).toBe(403)
      expect(body).not.toContain(people['going member'].email)
    }
  })
})

describe('attendees of an event that does not exist', () => {
  it.each(ORGANIZERS)('are 404 for a %s, as a page and as CSV', async (who) => {
    expect((await people[who].client.get('/events/999999999/attendees')).status).toBe(404)
    expect((await people[who].client.get('/events/999999999/attendees.csv')).status).toBe(404)
  })
})

describe('the personal calendar address', () => {
  const tokens = async (userId: number | null) => await db.all(sql`select token_hash from calendar_tokens where user_id = ${userId}`)

  it.each(EVERYONE)('making and revoking one as %s', async (who) => {
    const person = people[who]
    if (who === 'anonymous') {
      expectSignInFirst(await person.client.post('/settings', { intent: 'calendar-new' }), '/settings')
      expectSignInFirst(await person.client.post('/settings', { intent: 'calendar-revoke' }), '/settings')
      expect((await person.client.get('/events/calendar/abcdefghijklmnopqrstuvwxyz234567.ics')).status).toBe(404)
      return
    }
    const made = await person.client.post('/settings', { intent: 'calendar-new' })
    expect(made.status).toBe(200)
    const token = /\/events\/calendar\/([a-z2-7]+)\.ics/.exec(await made.text())![1]
    expect(await tokens(person.id)).toHaveLength(1)
    expect((await new HttpClient().get(`/events/calendar/${token}.ics`)).status).toBe(200)

    // Someone else revoking theirs leaves this one alone.
    const bystander = await signedIn(db)
    expect((await bystander.client.post('/settings', { intent: 'calendar-revoke' })).status).toBe(302)
    expect((await new HttpClient().get(`/events/calendar/${token}.ics`)).status).toBe(200)

    expect((await person.client.post('/settings', { intent: 'calendar-revoke' })).status).toBe(302)
    expect(await tokens(person.id)).toEqual([])
    expect((await new HttpClient().get(`/events/calendar/${token}.ics`)).status).toBe(404)
  })
})

describe('drafts', () => {
  let draft: EventRef
  beforeAll(async () => {
    draft = await newEvent({}, { publish: false })
  })

  it.each(['anonymous', 'member'] as const)('are 404 for %s: page, route data, short address and calendar file', async (who) => {
    const client = people[who].client
    expect((await client.get(draft.path)).status).toBe(404)
    expect((await client.get(dataUrl(draft))).status).toBe(404)
    expect((await client.get(`/events/${draft.id}`)).status).toBe(404)
    expect((await client.get(`/events/${draft.id}.ics`)).status).toBe(404)
    const list = await (await client.get('/events')).text()
    expect(list).not.toContain(draft.path)
  })

  it.each(ORGANIZERS)('are shown to a %s, marked as a draft', async (who) => {
    const response = await people[who].client.get(draft.path)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('This event is a draft.')
  })
})

describe('notifications about events', () => {
  const unreadAbout = async (userId: number, eventId: number) =>
    (await db.all(sql`select kind, read_at from notifications where user_id = ${userId} and event_id = ${eventId} order by id`)) as {
      kind: string
      read_at: string | null
    }[]

  it('a member promoted from the waitlist is told, and reading the event page marks it read', async () => {
    const title = `Small room ${randomBytes(3).toString('hex')}`
    const event = await newEvent({ title, capacity: '1' }, { goingMember: false })
    const first = await signedIn(db)
    const second = await signedIn(db)
    expect((await first.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await second.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect(await rsvpOf(event.id, second.id)).toEqual({ status: 'waitlisted' })

    expect((await first.client.post(event.path, { intent: 'not-going' })).status).toBe(302)
    expect(await rsvpOf(event.id, second.id)).toEqual({ status: 'going' })

    const told = await eventually(() => unreadAbout(second.id, event.id), (rows) => rows.length > 0)
    expect(told).toEqual([{ kind: 'waitlist_promoted', read_at: null }])
    const list = await (await second.client.get('/notifications')).text()
    expect(decodeHtml(list)).toContain(`A place opened up: you are now going to “${title}”`)
    // Only the promoted member is told.
    expect(await unreadAbout(first.id, event.id)).toEqual([])

    expect((await second.client.get(event.path)).status).toBe(200)
    expect((await unreadAbout(second.id, event.id))[0].read_at).not.toBeNull()
  })

  it('members going or waitlisted are told when the event is cancelled, with the organizer’s message', async () => {
    const title = `Called off ${randomBytes(3).toString('hex')}`
    const event = await newEvent({ title }, { goingMember: false })
    const attendee = await signedIn(db)
    expect((await attendee.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await organizer.client.post(event.path, { intent: 'cancel', message: 'The room flooded.' })).status).toBe(302)
    await eventually(() => unreadAbout(attendee.id, event.id), (rows) => rows.length > 0)
    const list = decodeHtml(await (await attendee.client.get('/notifications')).text())
    expect(list).toContain(`“${title}” has been cancelled`)
    expect(list).toContain('From the organizer: The room flooded.')
    expect(decodeHtml(await (await attendee.client.get(event.path)).text())).toContain('From the organizer: The room flooded.')
  })

  it('a cancellation message over the limit is refused next to its field, and nothing changes', async () => {
    const event = await newEvent()
    const before = await snapshot(event.id)
    const response = await organizer.client.post(event.path, { intent: 'cancel', message: 'x'.repeat(1001) })
    expect(response.status).toBe(400)
    expect(decodeHtml(await response.text())).toContain('Keep the message to 1000 characters or fewer')
    expect(await snapshot(event.id)).toEqual(before)
  })
})
