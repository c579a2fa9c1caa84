const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' })

/** "March 14, 2026" for an ISO timestamp; UTC so server and browser render the same text. */
export function formatLongDate(iso: string): string {
  return longDate.format(new Date(iso))
}
