// A refused submission says so in the page title ("Error: ..."), the first thing a screen reader
// announces, on the server-rendered page (entry.server) and after a client-side submission (the
// error summary), as GOV.UK's pattern does.

export const ERROR_TITLE_PREFIX = 'Error: '

/** The document's HTML with "Error: " at the start of its title (once). */
export function prefixTitleInHtml(html: string): string {
  return html.replace(/<title>(?!Error: )/, `<title>${ERROR_TITLE_PREFIX}`)
}

/**
 * Prefixes the live document title; the returned function undoes it. It edits the title's own
 * text node, the one React updates, so the next page's title still replaces it.
 */
export function markTitleAsError(): () => void {
  const text = document.querySelector('title')?.firstChild
  if (!text || text.nodeType !== Node.TEXT_NODE) return () => {}
  if (!text.nodeValue?.startsWith(ERROR_TITLE_PREFIX)) text.nodeValue = `${ERROR_TITLE_PREFIX}${text.nodeValue ?? ''}`
  return () => {
    if (text.nodeValue?.startsWith(ERROR_TITLE_PREFIX)) text.nodeValue = text.nodeValue.slice(ERROR_TITLE_PREFIX.length)
  }
}
