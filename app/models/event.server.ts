import { type Kysely, sql } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { Database, EventStatus } from '../../db/schema'
import { type EventInput, materialSlots, recapMaterials } from '../lib/event-fields'
import { renderMarkdown, SHOWN_UNDER } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { slugify } from '../lib/slug'
import { utcToZonedInput, zonedToUtc } from '../lib/time-zones'
import { recordActivity } from './activity.server'
import { type Actor, isOrganizer, notOrganizer, rsvpClosesAt } from './event-rules.server'
import { themesFor } from './event-listing.server'
import { promoteFromWaitlist } from './event-rsvp.server'

export { type Actor, isOrganizer }

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
    description_html: renderMarkdown(input.description, { headingsUnder: SHOWN_UNDER.eventText }),
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
    recap_html: input.recap ? renderMarkdown(input.recap, { headingsUnder: SHOWN_UNDER.eventText }) : null,
    recap_links_json: JSON.stringify(recapMaterials(input)),
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
  options: { status?: EventStatus; trx?: Kysely<Database>; isDemo?: boolean } = {},
): Promise<Outcome<{ id: number; slug: string }>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const times = resolveTimes(input)
  if (!times.ok) return times
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.events])
    const now = new Date().toISOString()
    const columns = eventColumns(input, times.value)
    const { id } = await trx
      .insertInto('events')
      .values({
        ...columns,
        status: options.status ?? 'draft',
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
    noteChanges(trx, [pageTags.events])
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
    noteChanges(trx, [pageTags.events])
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
    noteChanges(trx, [pageTags.events])
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
      ...materialSlots(JSON.parse(row.recap_links_json)),
    },
  })
}
