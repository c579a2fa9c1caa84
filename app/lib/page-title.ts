// Every page's <title> is composed here, so each names what it shows (the event, the draft, the
// query, the filter, the page number) in the same order and with one separator.

export const SITE_NAME = 'SectorPulse'

type Part = string | null | undefined | false

/** "Most specific · where it sits · SectorPulse"; empty parts are left out. */
export function pageTitle(...parts: Part[]): string {
  return [...parts.filter((part): part is string => !!part), SITE_NAME].join(' · ')
}

/** "page 2" from the second page on; nothing on the first. */
export function pageNumber(page: number): string | null {
  return page > 1 ? `page ${page}` : null
}

/**
 * A list's name with what narrows it: "Case library: Big-bang scope, Federal, page 2".
 * The bare name when nothing does.
 */
export function narrowedList(name: string, narrowing: Part[], page = 1): string {
  const shown = [...narrowing, pageNumber(page)].filter((part): part is string => !!part)
  return shown.length ? `${name}: ${shown.join(', ')}` : name
}

/** A query as the title quotes it. */
export const quoted = (q: string) => `“${q}”`
