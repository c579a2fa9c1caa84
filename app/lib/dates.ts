const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' })

/**
 * ICU builds differ in the spaces they put in dates (Node puts a narrow no-break space before
 * "PM", browsers a plain one); plain spaces everywhere keep server and browser text identical.
 */
export function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u2009\u202f]/g, ' ')
}

/** "March 14, 2026" for an ISO timestamp; UTC so server and browser render the same text. */
export function formatLongDate(iso: string): string {
  return plainSpaces(longDate.format(new Date(iso)))
}

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** "Nov 21, 2026, 2:05 PM UTC": the exact time, for a title or a `<time>` label. */
export function formatDateTime(iso: string): string {
  return `${plainSpaces(dateTime.format(new Date(iso)))} UTC`
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]
const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' })

/** "3 hours ago", measured from `now` (the server's clock, so server and browser agree). */
export function formatRelative(iso: string, now: string): string {
  const seconds = (Date.parse(iso) - Date.parse(now)) / 1000
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit)
  }
  return 'just now'
}
