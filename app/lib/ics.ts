// RFC 5545 iCalendar, written by hand: times in UTC (always valid, whatever the zone's rules),
// with the organizer's zone named for calendars that show it.
import type { CalendarEvent } from '../models/event-calendar.server'
import { htmlToText } from './html-to-text'

const PRODID = '-//SectorPulse//Events//EN'

function icsDate(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
}

/** Lines longer than 75 octets fold onto continuation lines that start with a space (§3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line)
  if (bytes.length <= 75) return line
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const char of line) {
    const length = new TextEncoder().encode(char).length
    if (size + length > (parts.length ? 74 : 75)) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += char
    size += length
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** How often a subscribed calendar should look again (RFC 7986 REFRESH-INTERVAL, and Outlook's TTL). */
export const SUBSCRIPTION_REFRESH = 'PT1H'

/** A UID unique to this site's events: the configured site's host name, never a constant. */
export const eventUid = (eventId: number, siteUrl: string) => `event-${eventId}@${new URL(siteUrl).hostname}`

function vevent(event: CalendarEvent, siteUrl: string, now: string): string[] {
  const url = `${siteUrl}/events/${event.id}/${event.slug}`
  const location = event.format === 'virtual' ? 'Online (join link on the event page for members who are going)' : [event.venue, event.address].filter(Boolean).join(', ')
  return [
    'BEGIN:VEVENT',
    `UID:${eventUid(event.id, siteUrl)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsDate(now)}`,
    `CREATED:${icsDate(event.createdAt)}`,
    `LAST-MODIFIED:${icsDate(event.updatedAt)}`,
    `DTSTART:${icsDate(event.startsAt)}`,
    `DTEND:${icsDate(event.endsAt)}`,
    `SUMMARY:${text(event.title)}`,
    `DESCRIPTION:${text(`${htmlToText(event.descriptionHtml)}\n\n${url}`)}`,
    `LOCATION:${text(location)}`,
    `URL:${url}`,
    `X-SECTORPULSE-TIME-ZONE:${text(event.timeZone)}`,
    `STATUS:${event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ]
}

/** `subscription`: a feed calendar apps poll, so it says how often (a one-event file does not). */
export function buildCalendar(events: CalendarEvent[], options: { siteUrl: string; name: string; now?: Date; subscription?: boolean }): string {
  const now = (options.now ?? new Date()).toISOString()
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(options.name)}`,
    ...(options.subscription ? [`REFRESH-INTERVAL;VALUE=DURATION:${SUBSCRIPTION_REFRESH}`, `X-PUBLISHED-TTL:${SUBSCRIPTION_REFRESH}`] : []),
    ...events.flatMap((event) => vevent(event, options.siteUrl, now)),
    'END:VCALENDAR',
  ]
  return `${lines.map(fold).join('\r\n')}\r\n`
}

export function calendarResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `inline; filename="${filename}"`,
      'Cache-Control': 'private, max-age=300',
    },
  })
}

