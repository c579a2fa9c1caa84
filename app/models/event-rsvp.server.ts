import { type Kysely, sql } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { Database, RsvpAnswer, RsvpStatus } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { formatRangeInZone } from '../lib/time-zones'
import { recordActivity } from './activity.server'
import { type Actor, rsvpClosesAt } from './event-rules.server'
import { participationRefusal } from './participation.server'


/** Moves the first waitlisted members onto the going list while places are free; tells each. */
export async function promoteFromWaitlist(trx: Kysely<Database>, eventId: number): Promise<number> {
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
  options: { now?: Date; trx?: Kysely<Database>; showAsGoing?: boolean } = {},
): Promise<Outcome<RsvpResult>> {
  // Named under "who's going" only by the member's own choice, made with each "going" answer.
  const shownAsGoing = answer === 'going' && options.showAsGoing ? 1 : 0
  const now = (options.now ?? new Date()).toISOString()
  return writeTransaction(async (trx) => {
    // "Not going" adds nothing anyone reads and may free a place for the waitlist, so a member
    // who may only read (silenced, or not yet confirmed) can still give their place back.
    if (answer !== 'not-going') {
      const refusal = await participationRefusal(trx, viewer)
      if (refusal) return refusal
    }
    noteChanges(trx, [pageTags.events])
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
        await trx
          .updateTable('rsvps')
          .set({ shown_as_going: shownAsGoing })
          .where('event_id', '=', eventId)
          .where('user_id', '=', viewer.id)
          .execute()
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
      .values({ event_id: eventId, user_id: viewer.id, status, waitlist_ticket: ticket, shown_as_going: shownAsGoing, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['event_id', 'user_id']).doUpdateSet({ status, waitlist_ticket: ticket, shown_as_going: shownAsGoing, updated_at: now }),
      )
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

export async function waitlistPosition(trx: Kysely<Database>, eventId: number, ticket: number | null): Promise<number | null> {
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
