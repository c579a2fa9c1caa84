import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database, EventFormat, EventStatus, RsvpAnswer, RsvpStatus } from '../../db/schema'
import type { EventInput } from '../lib/event-fields'
import { renderMarkdown } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, isModerator } from '../lib/roles'
import { slugify } from '../lib/slug'
import { recordActivity } from './activity.server'
import { formatRangeInZone, utcToZonedInput, zonedToUtc } from '../lib/time-zones'

export type { Actor }

/** Organizers are moderators and admins. */
export const isOrganizer = (actor: Actor | null) => isModerator(actor)
const notOrganizer = () => refuse(403, 'Only moderators and admins organize events.')

/** RSVPs close at the deadline, or at the start when there is none (or it is later). */
function rsvpClosesAt(event: { rsvp_deadline: string | null; starts_at: string }): string {
  return event.rsvp_deadline && event.rsvp_deadline < event.starts_at ? event.rsvp_deadline : event.starts_at
}

// ---------------------------------------------------------------------------------------------
// Organizing

interface EventTimes {
  startsAt: string
  endsAt: string
  rsvpDeadline: string | null
}

function resolveTimes(input: EventInput): Outcome<EventTimes> {
  const startsAt = zonedToUtc(input.starts, input.timeZone)
  const endsAt = zonedToUtc(input.ends, input.timeZone)
  if (!startsAt) return refuse(400, 'Enter a real date and time', 'starts')
  if (!endsAt) return refuse(400, 'Enter a real date and time', 'ends')
  if (endsAt <= startsAt) return refuse(400, 'The event must end after it starts', 'ends')
  const rsvpDeadline = input.rsvpDeadline ? zonedToUtc(input.rsvpDeadline, input.timeZone) : null
  if (input.rsvpDeadline && !rsvpDeadline) return refuse(400, 'Enter a real date and time', 'rsvpDeadline')
  if (rsvpDeadline && rsvpDeadline > startsAt) return refuse(400, 'The RSVP deadline must be before the event starts', 'rsvpDeadline')
  return ok({ startsAt, endsAt, rsvpDeadline })
}

function eventColumns(input: EventInput, times: EventTimes) {
  return {
    title: input.title,
    slug: slugify(input.title, 70, 'event'),
    kind: input.kind,
    description_md: input.description,
    description_html: renderMarkdown(input.description),
    starts_at: times.startsAt,
    ends_at: times.endsAt,
    time_zone: input.timeZone,
    format: input.format,
    // In-person events have no join link, virtual ones no venue: nothing stale is kept.
    venue: input.format === 'virtual' ? null : input.venue,
    address: input.format === 'virtual' ? null : input.address,
    join_url: input.format === 'in-person' ? null : input.joinUrl,
    capacity: input.capacity,
    rsvp_deadline: times.rsvpDeadline,
    hosts: input.hosts ?? '',
    speakers: input.speakers ?? '',
    recap_md: input.recap,
    recap_html: input.recap ? renderMarkdown(input.recap) : null,
  }
}

async function setThemes(trx: Kysely<Database>, eventId: number, themes: string[]): Promise<Outcome> {
  const terms = themes.length
    ? await trx.selectFrom('taxonomy_terms').select('id').where('facet', '=', 'failure-mode').where('slug', 'in', themes).execute()
    : []
  if (terms.length !== new Set(themes).size) return refuse(400, 'Choose themes from the list', 'themes')
  await trx.deleteFrom('event_themes').where('event_id', '=', eventId).execute()
  if (terms.length) await trx.insertInto('event_themes').values(terms.map((t) => ({ event_id: eventId, term_id: t.id }))).execute()
  return ok()
}

/** Creates an event (a draft unless `status` says otherwise). Organizers only. */
export async function createEvent(
  actor: Actor,
  input: EventInput,
  options: { status?: EventStatus; trx?: Kysely<Database>; isDemo?: boolean; recapLinks?: { label: string; url: string }[] } = {},
): Promise<Outcome<{ id: number; slug: string }>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const times = resolveTimes(input)
  if (!times.ok) return times
  return writeTransaction(async (trx) => {
    const now = new Date().toISOString()
    const columns = eventColumns(input, times.value)
    const { id } = await trx
      .insertInto('events')
      .values({
        ...columns,
        status: options.status ?? 'draft',
        recap_links_json: JSON.stringify(options.recapLinks ?? []),
        created_by_id: actor.id,
        is_demo: options.isDemo ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const themed = await setThemes(trx, id, input.themes)
    if (!themed.ok) throw new RefusedWrite(themed)
    if (options.status === 'published' && !options.isDemo) {
      await recordActivity(trx, { kind: 'event_published', actorId: actor.id, eventId: id })
    }
    return ok({ id, slug: columns.slug })
  }, options.trx).catch(refusalOf)
}

/** A refusal found mid-transaction: thrown so the transaction rolls back, then returned. */
class RefusedWrite extends Error {
  constructor(readonly refusal: Extract<Outcome, { ok: false }>) {
    super(refusal.message)
  }
}
function refusalOf(error: unknown): Extract<Outcome, { ok: false }> {
  if (error instanceof RefusedWrite) return error.refusal
  throw error
}

/**
 * Changes an event. Calendars see a new SEQUENCE; more capacity promotes the waitlist in order.
 */
export async function updateEvent(actor: Actor, eventId: number, input: EventInput): Promise<Outcome<{ slug: string; promoted: number }>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const times = resolveTimes(input)
  if (!times.ok) return times
  return writeTransaction(async (trx) => {
    const existing = await trx
      .selectFrom('events')
      .select(['id', 'status', 'starts_at', 'ends_at', 'format', 'venue', 'address', 'join_url'])
      .where('id', '=', eventId)
      .executeTakeFirst()
    if (!existing) return refuse(404, 'No event has that number.')
    const columns = eventColumns(input, times.value)
    const changes = [
      ...(existing.starts_at !== columns.starts_at || existing.ends_at !== columns.ends_at ? ['time'] : []),
      ...(existing.format !== columns.format || existing.venue !== columns.venue || existing.address !== columns.address ? ['place'] : []),
      ...(existing.join_url !== columns.join_url ? ['join link'] : []),
    ]
    if (changes.length && existing.status === 'published') {
      await recordActivity(trx, { kind: 'event_changed', actorId: actor.id, eventId, changes })
    }
    // Only a live event moves people up; a cancelled or finished one never tells anyone "you're going".
    const live = existing.status === 'published' && new Date().toISOString() < rsvpClosesAt(columns)
    await trx
      .updateTable('events')
      .set({ ...columns, sequence: sql<number>`sequence + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', eventId)
      .execute()
    const themed = await setThemes(trx, eventId, input.themes)
    if (!themed.ok) throw new RefusedWrite(themed)
    const promoted = live ? await promoteFromWaitlist(trx, eventId) : 0
    return ok({ slug: columns.slug, promoted })
  }).catch(refusalOf)
}

export async function publishEvent(actor: Actor, eventId: number): Promise<Outcome> {
  if (!isOrganizer(actor)) return notOrganizer()
  return writeTransaction(async (trx) => {
    const event = await trx.selectFrom('events').select('status').where('id', '=', eventId).executeTakeFirst()
    if (!event) return refuse(404, 'No event has that number.')
    if (event.status !== 'draft') return refuse(409, 'Only a draft can be published.')
    await trx
      .updateTable('events')
      .set({ status: 'published', sequence: sql<number>`sequence + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', eventId)
      .execute()
    await recordActivity(trx, { kind: 'event_published', actorId: actor.id, eventId })
    return ok()
  })
}

/**
 * Cancels an event: it shows as cancelled everywhere, and everyone with a place or an interest
 * hears about it, with the organizer's message when there is one.
 */
export async function cancelEvent(actor: Actor, eventId: number, message: string | null = null): Promise<Outcome<{ notified: number }>> {
  if (!isOrganizer(actor)) return notOrganizer()
  return writeTransaction(async (trx) => {
    const event = await trx.selectFrom('events').select(['status', 'title']).where('id', '=', eventId).executeTakeFirst()
    if (!event) return refuse(404, 'No event has that number.')
    if (event.status === 'cancelled') return refuse(409, 'This event is already cancelled.')
    const now = new Date().toISOString()
    await trx
      .updateTable('events')
      .set({ status: 'cancelled', cancelled_at: now, cancellation_message: message, sequence: sql<number>`sequence + 1`, updated_at: now })
      .where('id', '=', eventId)
      .execute()
    const { attendees } = await trx
      .selectFrom('rsvps')
      .select((eb) => eb.fn.countAll<number>().as('attendees'))
      .where('event_id', '=', eventId)
      .where('status', 'in', ['going', 'waitlisted', 'interested'])
      .executeTakeFirstOrThrow()
    if (event.status === 'published') await recordActivity(trx, { kind: 'event_cancelled', actorId: actor.id, eventId, message })
    return ok({ notified: Number(attendees) })
  })
}

// ---------------------------------------------------------------------------------------------
// RSVP

/** Moves the first waitlisted members onto the going list while places are free; tells each. */
async function promoteFromWaitlist(trx: Kysely<Database>, eventId: number): Promise<number> {
  const event = await trx.selectFrom('events').select(['capacity', 'title']).where('id', '=', eventId).executeTakeFirstOrThrow()
  const going = await countStatus(trx, eventId, 'going')
  const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : event.capacity - going
  if (free <= 0) return 0
  const next = await trx
    .selectFrom('rsvps')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlist_ticket')
    .limit(Math.min(free, 10_000))
    .execute()
  if (!next.length) return 0
  const now = new Date().toISOString()
  const ids = next.map((n) => n.user_id)
  await trx
    .updateTable('rsvps')
    .set({ status: 'going', waitlist_ticket: null, updated_at: now })
    .where('event_id', '=', eventId)
    .where('user_id', 'in', ids)
    .execute()
  await recordActivity(trx, { kind: 'waitlist_promoted', actorId: null, eventId, userIds: ids })
  await refreshCounts(trx, eventId)
  return ids.length
}

async function countStatus(trx: Kysely<Database>, eventId: number, status: RsvpStatus): Promise<number> {
  const row = await trx
    .selectFrom('rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', status)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function refreshCounts(trx: Kysely<Database>, eventId: number) {
  const count = (status: RsvpStatus) =>
    sql<number>`(select count(*) from rsvps where event_id = ${eventId} and status = ${status})`
  await trx
    .updateTable('events')
    .set({ going_count: count('going'), waitlist_count: count('waitlisted'), interested_count: count('interested') })
    .where('id', '=', eventId)
    .execute()
}

export interface RsvpResult {
  status: RsvpStatus
  /** 1-based place on the waitlist, when waitlisted. */
  position: number | null
}

/**
 * A member answers going, interested or not going, until the RSVP deadline or the start. Going
 * beyond capacity joins the waitlist; leaving the going list promotes the first waitlisted
 * member in the same transaction (which begins IMMEDIATE, so concurrent answers queue).
 */
export async function rsvpToEvent(
  viewer: Actor,
  eventId: number,
  answer: RsvpAnswer,
  options: { now?: Date; trx?: Kysely<Database> } = {},
): Promise<Outcome<RsvpResult>> {
  const now = (options.now ?? new Date()).toISOString()
  return writeTransaction(async (trx) => {
    const event = await trx
      .selectFrom('events')
      .select(['status', 'capacity', 'starts_at', 'rsvp_deadline'])
      .where('id', '=', eventId)
      .executeTakeFirst()
    if (!event || event.status === 'draft') return refuse(404, 'No published event has that number.')
    if (event.status === 'cancelled') return refuse(409, 'This event is cancelled.')
    if (now >= rsvpClosesAt(event)) return refuse(409, 'RSVPs for this event are closed.')

    const existing = await trx
      .selectFrom('rsvps')
      .select(['status', 'waitlist_ticket'])
      .where('event_id', '=', eventId)
      .where('user_id', '=', viewer.id)
      .executeTakeFirst()

    let status: RsvpStatus = answer
    let ticket: number | null = null
    if (answer === 'going') {
      if (existing?.status === 'going' || existing?.status === 'waitlisted') {
        return ok({ status: existing.status, position: await waitlistPosition(trx, eventId, existing.waitlist_ticket) })
      }
      const going = await countStatus(trx, eventId, 'going')
      if (event.capacity !== null && going >= event.capacity) {
        const last = await trx
          .selectFrom('rsvps')
          .select((eb) => eb.fn.max('waitlist_ticket').as('ticket'))
          .where('event_id', '=', eventId)
          .executeTakeFirst()
        status = 'waitlisted'
        ticket = Number(last?.ticket ?? 0) + 1
      }
    }

    await trx
      .insertInto('rsvps')
      .values({ event_id: eventId, user_id: viewer.id, status, waitlist_ticket: ticket, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['event_id', 'user_id']).doUpdateSet({ status, waitlist_ticket: ticket, updated_at: now }))
      .execute()
    if (existing?.status === 'going' && status !== 'going') await promoteFromWaitlist(trx, eventId)
    await refreshCounts(trx, eventId)
    return ok({ status, position: await waitlistPosition(trx, eventId, ticket) })
  }, options.trx)
}

/**
 * A member leaving the site drops every RSVP in the caller's transaction: their places on the
 * going lists of events still to come go to the first members waiting, as when anyone drops out.
 */
export async function withdrawAllRsvps(trx: Kysely<Database>, userId: number, now = new Date()): Promise<void> {
  const answered = await trx
    .selectFrom('rsvps as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.event_id', 'r.status', 'e.status as event_status', 'e.starts_at'])
    .where('r.user_id', '=', userId)
    .execute()
  if (!answered.length) return
  await trx.deleteFrom('rsvps').where('user_id', '=', userId).execute()
  const nowIso = now.toISOString()
  for (const rsvp of answered) {
    if (rsvp.status === 'going' && rsvp.event_status === 'published' && rsvp.starts_at > nowIso) {
      await promoteFromWaitlist(trx, rsvp.event_id)
    }
    await refreshCounts(trx, rsvp.event_id)
  }
}

export interface MemberRsvp {
  id: number
  slug: string
  title: string
  when: string
  startsAt: string
  status: RsvpStatus
  waitlistPosition: number | null
}

/** The member's answers for upcoming events (going, waitlisted with their place, interested). */
export async function listMyUpcomingRsvps(userId: number, now = new Date(), limit = 5): Promise<MemberRsvp[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select([
      'e.id',
      'e.slug',
      'e.title',
      'e.starts_at',
      'e.ends_at',
      'e.time_zone',
      'r.status',
      sql<number | null>`case when r.status = 'waitlisted' then (
        select count(*) from rsvps w where w.event_id = r.event_id and w.status = 'waitlisted' and w.waitlist_ticket <= r.waitlist_ticket
      ) end`.as('position'),
    ])
    .where('r.user_id', '=', userId)
    .where('r.status', 'in', ['going', 'waitlisted', 'interested'])
    .where('e.status', '=', 'published')
    .where('e.ends_at', '>=', now.toISOString())
    .orderBy('e.starts_at')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    when: formatRangeInZone(row.starts_at, row.ends_at, row.time_zone),
    startsAt: row.starts_at,
    status: row.status,
    waitlistPosition: row.position === null ? null : Number(row.position),
  }))
}

async function waitlistPosition(trx: Kysely<Database>, eventId: number, ticket: number | null): Promise<number | null> {
  if (ticket === null) return null
  const row = await trx
    .selectFrom('rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('waitlist_ticket', '<=', ticket)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface EventSummary {
  id: number
  slug: string
  title: string
  kind: string
  startsAt: string
  endsAt: string
  timeZone: string
  format: EventFormat
  status: EventStatus
  venue: string | null
  capacity: number | null
  goingCount: number
  waitlistCount: number
  themes: { slug: string; name: string }[]
  viewerStatus: RsvpStatus | null
}

export interface EventListQuery {
  when: 'upcoming' | 'past'
  theme?: string
  format?: EventFormat
  /** "2027-01": events starting in that month, in their own time zone. */
  month?: string
  viewerId?: number | null
  now?: Date
  /** At most this many (a summary such as the home page asks for a few). */
  limit?: number
}

/** Published and cancelled events, upcoming by start (soonest first) or past (latest first). */
export async function listEvents(query: EventListQuery): Promise<EventSummary[]> {
  const now = (query.now ?? new Date()).toISOString()
  const viewerId = query.viewerId ?? -1
  let monthStart: string | null = null
  let monthEnd: string | null = null
  if (query.month && /^\d{4}-\d{2}$/.test(query.month)) {
    const [y, m] = query.month.split('-').map(Number)
    if (m >= 1 && m <= 12) {
      // Every zone is within 14 hours of UTC: query the widened window, then keep the events
      // whose start falls in the month where they happen (as their cards show it).
      const margin = 14 * 3_600_000
      monthStart = new Date(Date.UTC(y, m - 1, 1) - margin).toISOString()
      monthEnd = new Date(Date.UTC(y, m, 1) + margin).toISOString()
    }
  }
  const rows = await db
    .selectFrom('events as e')
    .leftJoin('rsvps as r', (join) => join.onRef('r.event_id', '=', 'e.id').on('r.user_id', '=', viewerId))
    .select([
      'e.id',
      'e.slug',
      'e.title',
      'e.kind',
      'e.starts_at',
      'e.ends_at',
      'e.time_zone',
      'e.format',
      'e.status',
      'e.venue',
      'e.capacity',
      'e.going_count',
      'e.waitlist_count',
      'r.status as viewer_status',
    ])
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', query.when === 'upcoming' ? '>=' : '<', now)
    .$if(!!query.format, (q) => q.where('e.format', '=', query.format!))
    .$if(monthStart !== null, (q) => q.where('e.starts_at', '>=', monthStart!).where('e.starts_at', '<', monthEnd!))
    .$if(!!query.theme, (q) =>
      q.where('e.id', 'in', (eb) =>
        eb
          .selectFrom('event_themes as et')
          .innerJoin('taxonomy_terms as t', 't.id', 'et.term_id')
          .select('et.event_id')
          .where('t.slug', '=', query.theme!),
      ),
    )
    .orderBy('e.starts_at', query.when === 'upcoming' ? 'asc' : 'desc')
    .orderBy('e.id')
    .limit(query.limit ?? 200)
    .execute()
  const inMonth = monthStart ? rows.filter((row) => utcToZonedInput(row.starts_at, row.time_zone).startsWith(query.month!)) : rows
  const themes = await themesFor(inMonth.map((r) => r.id))
  return inMonth.map((row) => toSummary(row, themes.get(row.id) ?? [], row.viewer_status))
}

type SummaryRow = Pick<
  Database['events'],
  'slug' | 'title' | 'kind' | 'starts_at' | 'ends_at' | 'time_zone' | 'format' | 'venue' | 'capacity'
> & { id: number; status: EventStatus; going_count: number; waitlist_count: number }

function toSummary(row: SummaryRow, themes: EventSummary['themes'], viewerStatus: RsvpStatus | null): EventSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    kind: row.kind,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    timeZone: row.time_zone,
    format: row.format,
    status: row.status,
    venue: row.venue,
    capacity: row.capacity,
    goingCount: row.going_count,
    waitlistCount: row.waitlist_count,
    themes,
    viewerStatus,
  }
}

async function themesFor(eventIds: number[]) {
  const byEvent = new Map<number, { slug: string; name: string }[]>()
  if (!eventIds.length) return byEvent
  const rows = await db
    .selectFrom('event_themes as et')
    .innerJoin('taxonomy_terms as t', 't.id', 'et.term_id')
    .select(['et.event_id', 't.slug', 't.name'])
    .where('et.event_id', 'in', eventIds)
    .orderBy('t.position')
    .execute()
  for (const row of rows) byEvent.set(row.event_id, [...(byEvent.get(row.event_id) ?? []), { slug: row.slug, name: row.name }])
  return byEvent
}

export interface EventDetail extends EventSummary {
  descriptionHtml: string
  address: string | null
  hosts: string
  speakers: string
  rsvpDeadline: string | null
  recapHtml: string | null
  recapLinks: { label: string; url: string }[]
  interestedCount: number
  sequence: number
  updatedAt: string
  /** Only for a member who is going. */
  joinUrl: string | null
  viewerPosition: number | null
  rsvpOpen: boolean
  /** The organizer's message when it was cancelled. */
  cancellationMessage: string | null
}

/** An event as the reader may see it: drafts only for organizers; the join link only for those going. */
export async function getEvent(eventId: number, viewer: Actor | null, now = new Date()): Promise<EventDetail | null> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst()
  if (!row || (row.status === 'draft' && !isOrganizer(viewer))) return null
  const rsvp = viewer
    ? await db.selectFrom('rsvps').select(['status', 'waitlist_ticket']).where('event_id', '=', eventId).where('user_id', '=', viewer.id).executeTakeFirst()
    : undefined
  const themes = await themesFor([eventId])
  return {
    ...toSummary(row, themes.get(eventId) ?? [], rsvp?.status ?? null),
    address: row.address,
    interestedCount: row.interested_count,
    viewerPosition: rsvp ? await waitlistPosition(db, eventId, rsvp.waitlist_ticket) : null,
    descriptionHtml: row.description_html,
    hosts: row.hosts,
    speakers: row.speakers,
    rsvpDeadline: row.rsvp_deadline,
    recapHtml: row.recap_html,
    recapLinks: JSON.parse(row.recap_links_json),
    sequence: row.sequence,
    updatedAt: row.updated_at,
    joinUrl: rsvp?.status === 'going' && row.status === 'published' ? row.join_url : null,
    rsvpOpen: row.status === 'published' && now.toISOString() < rsvpClosesAt(row),
    cancellationMessage: row.status === 'cancelled' ? row.cancellation_message : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Organizer views

export interface Attendee {
  handle: string
  displayName: string
  email: string
  organization: string | null
  status: RsvpStatus
  position: number | null
  answeredAt: string
}

/** Going, then the waitlist in order, then interested. Organizers only. */
export async function listAttendees(actor: Actor, eventId: number): Promise<Outcome<Attendee[]>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name', 'u.email', 'u.organization', 'r.status', 'r.waitlist_ticket', 'r.updated_at'])
    .where('r.event_id', '=', eventId)
    .where('r.status', 'in', ['going', 'waitlisted', 'interested'])
    .orderBy(sql`case r.status when 'going' then 0 when 'waitlisted' then 1 else 2 end`)
    .orderBy('r.waitlist_ticket')
    .orderBy('r.updated_at')
    .execute()
  let position = 0
  return ok(
    rows.map((row) => ({
      handle: row.handle,
      displayName: row.display_name,
      email: row.email,
      organization: row.organization,
      status: row.status,
      position: row.status === 'waitlisted' ? ++position : null,
      answeredAt: row.updated_at,
    })),
  )
}

/** The attendee list as CSV; cells that a spreadsheet would run as formulas are defused. */
export function attendeesCsv(attendees: Attendee[]): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const header = ['Name', 'Handle', 'Email', 'Organization', 'Status', 'Waitlist position', 'Answered at (UTC)']
  const lines = attendees.map((a) =>
    [a.displayName, a.handle, a.email, a.organization, a.status, a.position, a.answeredAt].map(cell).join(','),
  )
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`
}

export interface EditableEvent {
  id: number
  status: EventStatus
  input: Record<string, string | string[]>
}

/** An event in the organizer form's terms (wall-clock times in its zone). */
export async function getEventForEditing(actor: Actor, eventId: number): Promise<Outcome<EditableEvent>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const row = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst()
  if (!row) return refuse(404, 'No event has that number.')
  const themes = await themesFor([eventId])
  return ok({
    id: row.id,
    status: row.status,
    input: {
      title: row.title,
      kind: row.kind,
      description: row.description_md,
      starts: utcToZonedInput(row.starts_at, row.time_zone),
      ends: utcToZonedInput(row.ends_at, row.time_zone),
      timeZone: row.time_zone,
      format: row.format,
      venue: row.venue ?? '',
      address: row.address ?? '',
      joinUrl: row.join_url ?? '',
      capacity: row.capacity === null ? '' : String(row.capacity),
      rsvpDeadline: row.rsvp_deadline ? utcToZonedInput(row.rsvp_deadline, row.time_zone) : '',
      hosts: row.hosts,
      speakers: row.speakers,
      themes: (themes.get(eventId) ?? []).map((t) => t.slug),
      recap: row.recap_md ?? '',
    },
  })
}

// ---------------------------------------------------------------------------------------------
// Calendars

export interface CalendarEvent {
  id: number
  slug: string
  title: string
  descriptionMd: string
  startsAt: string
  endsAt: string
  timeZone: string
  format: EventFormat
  venue: string | null
  address: string | null
  status: EventStatus
  sequence: number
  updatedAt: string
  createdAt: string
}

const CALENDAR_COLUMNS = [
  'e.id',
  'e.slug',
  'e.title',
  'e.description_md',
  'e.starts_at',
  'e.ends_at',
  'e.time_zone',
  'e.format',
  'e.venue',
  'e.address',
  'e.status',
  'e.sequence',
  'e.updated_at',
  'e.created_at',
] as const

type CalendarRow = {
  id: number
  slug: string
  title: string
  description_md: string
  starts_at: string
  ends_at: string
  time_zone: string
  format: EventFormat
  venue: string | null
  address: string | null
  status: EventStatus
  sequence: number
  updated_at: string
  created_at: string
}

const toCalendarEvent = (row: CalendarRow): CalendarEvent => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  descriptionMd: row.description_md,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  timeZone: row.time_zone,
  format: row.format,
  venue: row.venue,
  address: row.address,
  status: row.status,
  sequence: row.sequence,
  updatedAt: row.updated_at,
  createdAt: row.created_at,
})

export async function getCalendarEvent(eventId: number): Promise<CalendarEvent | null> {
  const row = await db.selectFrom('events as e').select(CALENDAR_COLUMNS).where('e.id', '=', eventId).where('e.status', '!=', 'draft').executeTakeFirst()
  return row ? toCalendarEvent(row) : null
}

/** Upcoming published (and cancelled, so calendars drop them) events, for the public feed. */
export async function listCalendarEvents(now = new Date()): Promise<CalendarEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .select(CALENDAR_COLUMNS)
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', '>=', now.toISOString())
    .orderBy('e.starts_at')
    .limit(500)
    .execute()
  return rows.map(toCalendarEvent)
}

export interface FeedEvent {
  id: number
  slug: string
  title: string
  when: string
  descriptionHtml: string
  status: EventStatus
  createdAt: string
  updatedAt: string
}

/** Upcoming announced events, soonest first, for the Atom feed (cancelled ones say so). */
export async function listUpcomingEventsFeed(now = new Date(), limit = 50): Promise<FeedEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .select(['e.id', 'e.slug', 'e.title', 'e.starts_at', 'e.ends_at', 'e.time_zone', 'e.description_html', 'e.status', 'e.created_at', 'e.updated_at'])
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.starts_at', '>=', now.toISOString())
    .orderBy('e.starts_at')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    when: formatRangeInZone(row.starts_at, row.ends_at, row.time_zone),
    descriptionHtml: row.description_html,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }))
}

/** The events a member is going to (upcoming, and the past month), for their private feed. */
export async function listGoingCalendarEvents(userId: number, now = new Date()): Promise<CalendarEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('rsvps as r', (join) => join.onRef('r.event_id', '=', 'e.id').on('r.user_id', '=', userId))
    .select(CALENDAR_COLUMNS)
    .where('r.status', '=', 'going')
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', '>=', new Date(now.getTime() - 30 * 86_400_000).toISOString())
    .orderBy('e.starts_at')
    .limit(500)
    .execute()
  return rows.map(toCalendarEvent)
}
