import { db } from '../../db/client'
import type { EventFormat, EventStatus } from '../../db/schema'
import { formatRangeInZone } from '../lib/time-zones'

export interface CalendarEvent {
  id: number
  slug: string
  title: string
  descriptionHtml: string
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
  'e.description_html',
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
  description_html: string
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
  descriptionHtml: row.description_html,
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

/** How far back a subscribed calendar keeps past events, so they do not vanish from it the day after. */
const FEED_KEEPS_PAST_DAYS = 90
const feedStart = (now: Date) => new Date(now.getTime() - FEED_KEEPS_PAST_DAYS * 86_400_000).toISOString()

/** Published (and cancelled, so calendars drop them) events, upcoming and of the last 90 days, for the public feed. */
export async function listCalendarEvents(now = new Date()): Promise<CalendarEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .select(CALENDAR_COLUMNS)
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', '>=', feedStart(now))
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

/** Announced events, upcoming and of the last 90 days (as the calendars keep them), by start, for the Atom feed (cancelled ones say so). */
export async function listEventsFeed(now = new Date(), limit = 200): Promise<FeedEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .select(['e.id', 'e.slug', 'e.title', 'e.starts_at', 'e.ends_at', 'e.time_zone', 'e.description_html', 'e.status', 'e.created_at', 'e.updated_at'])
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', '>=', feedStart(now))
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

/** The events a member is going to (upcoming, and the last 90 days), for their private feed. */
export async function listGoingCalendarEvents(userId: number, now = new Date()): Promise<CalendarEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('rsvps as r', (join) => join.onRef('r.event_id', '=', 'e.id').on('r.user_id', '=', userId))
    .select(CALENDAR_COLUMNS)
    .where('r.status', '=', 'going')
    .where('e.status', 'in', ['published', 'cancelled'])
    .where('e.ends_at', '>=', feedStart(now))
    .orderBy('e.starts_at')
    .limit(500)
    .execute()
  return rows.map(toCalendarEvent)
}
