import { sql } from 'kysely'
import { db } from '../../db/client'
import type { Database, EventFormat, EventStatus, RsvpStatus } from '../../db/schema'
import { utcToZonedInput } from '../lib/time-zones'
import { type Actor, isOrganizer, rsvpClosesAt } from './event-rules.server'
import { waitlistPosition } from './event-rsvp.server'

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
  /** Free places on the going list; null when there is no limit. */
  placesLeft: number | null
  /** How many came (attended RSVPs and walk-ins); null until an organizer records it. */
  attendedCount: number | null
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
      'e.attended_count',
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
> & { id: number; status: EventStatus; going_count: number; waitlist_count: number; attended_count: number | null }

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
    placesLeft: row.capacity === null ? null : Math.max(0, row.capacity - row.going_count),
    attendedCount: row.attended_count,
    themes,
    viewerStatus,
  }
}

export async function themesFor(eventIds: number[]) {
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
  /** Members going who chose to be named, in the order they answered. */
  whosGoing: { handle: string; displayName: string }[]
  /** The viewer's own choice to be named under "who's going". */
  viewerShownAsGoing: boolean
  walkInCount: number
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
    ? await db.selectFrom('rsvps').select(['status', 'waitlist_ticket', 'shown_as_going']).where('event_id', '=', eventId).where('user_id', '=', viewer.id).executeTakeFirst()
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
    whosGoing: await listWhosGoing(eventId),
    viewerShownAsGoing: rsvp?.shown_as_going === 1,
    walkInCount: row.walk_in_count,
    sequence: row.sequence,
    updatedAt: row.updated_at,
    joinUrl: rsvp?.status === 'going' && row.status === 'published' ? row.join_url : null,
    rsvpOpen: row.status === 'published' && now.toISOString() < rsvpClosesAt(row),
    cancellationMessage: row.status === 'cancelled' ? row.cancellation_message : null,
  }
}

async function listWhosGoing(eventId: number) {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name'])
    .where('r.event_id', '=', eventId)
    .where('r.status', '=', 'going')
    .where('r.shown_as_going', '=', 1)
    .orderBy('r.updated_at')
    .limit(500)
    .execute()
  return rows.map((row) => ({ handle: row.handle, displayName: row.display_name }))
}
