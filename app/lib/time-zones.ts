// Time zones without a library: Intl knows every IANA zone and its offsets.
import { plainSpaces } from './dates'

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone.length > 0 && zone.length < 64
  } catch {
    return false
  }
}

export function listTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone')
  return zones.includes('UTC') ? zones : [...zones, 'UTC']
}

/** The zone's offset from UTC, in minutes, at the given instant. */
function offsetMinutes(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000)
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

/**
 * "2027-03-14T09:00" in "America/New_York" to the UTC instant (ISO). Returns null for text that
 * is not a wall-clock time. A time a clock change skips resolves to the instant an hour away.
 */
export function zonedToUtc(local: string, zone: string): string | null {
  const match = LOCAL.exec(local)
  if (!match) return null
  const [, y, mo, d, h, mi] = match.map(Number)
  // Date.UTC reads years 0-99 as 1900-1999; nothing SectorPulse schedules is that far off.
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  if (new Date(wall).getUTCDate() !== d) return null
  // Two passes settle the offset even when the guess lands across a clock change.
  let instant = wall - offsetMinutes(wall, zone) * 60_000
  instant = wall - offsetMinutes(instant, zone) * 60_000
  return new Date(instant).toISOString()
}

/** The instant as a wall-clock "YYYY-MM-DDTHH:mm" in the zone, for a datetime-local input. */
export function utcToZonedInput(iso: string, zone: string): string {
  const instant = Date.parse(iso)
  const local = new Date(instant + offsetMinutes(instant, zone) * 60_000)
  return local.toISOString().slice(0, 16)
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
}

/** "Thu, Jan 14, 2027, 11:00 AM EST": the instant as people in the zone read it. */
export function formatInZone(iso: string, zone: string): string {
  return plainSpaces(new Intl.DateTimeFormat('en-US', { ...DATE_TIME, timeZone: zone }).format(new Date(iso)))
}

/** "Thu, Jan 14, 2027, 11:00 AM – 12:30 PM EST", with both dates when it spans days. */
export function formatRangeInZone(startIso: string, endIso: string, zone: string): string {
  return plainSpaces(new Intl.DateTimeFormat('en-US', { ...DATE_TIME, timeZone: zone }).formatRange(new Date(startIso), new Date(endIso)))
}

/** An event's time as its page shows it: in its zone, and in the reader's when that differs. */
export function describeEventTime(event: { startsAt: string; endsAt: string; timeZone: string }, viewerZone: string | null) {
  return {
    when: formatRangeInZone(event.startsAt, event.endsAt, event.timeZone),
    yourTime: viewerZone && viewerZone !== event.timeZone ? formatRangeInZone(event.startsAt, event.endsAt, viewerZone) : null,
  }
}
