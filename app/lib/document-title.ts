import { useEffect } from 'react'

// The page title is the first thing a screen reader announces, so two kinds of answer to a
// submission change it, on the server-rendered document (entry.server) and, after a client-side
// submission, on the live page:
// - a refusal says so first ("Error: ..."), as GOV.UK's pattern does (the error summary marks it);
// - a page that an action answers with content of its own (results kept nowhere, so no address
//   loads them) names that content. Remix hands `meta` loader data only, so such a route names
//   the page in `handle.actionTitle`.

export const ERROR_TITLE_PREFIX = 'Error: '

/** The `handle` of a route whose action can answer with a page of its own. */
export interface ActionTitleHandle<ActionData> {
  /** The whole title (pageTitle(...)) of the page this action data shows; null for the usual one. */
  actionTitle: (actionData: ActionData | undefined) => string | null
}

/** The title the action data names, asking each route that answered an action. */
export function titleFromActions(
  actionData: Record<string, unknown> | null | undefined,
  handleOf: (routeId: string) => unknown,
): string | null {
  for (const [routeId, data] of Object.entries(actionData ?? {})) {
    const handle = handleOf(routeId) as Partial<ActionTitleHandle<unknown>> | undefined
    const title = handle?.actionTitle?.(data)
    if (title) return title
  }
  return null
}

const escapeText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/** The document's HTML with `title` as its title. */
export function retitleHtml(html: string, title: string): string {
  return html.replace(/<title>[^<]*<\/title>/, `<title>${escapeText(title)}</title>`)
}

/** The document's HTML with "Error: " at the start of its title (once). */
export function prefixTitleInHtml(html: string): string {
  return html.replace(/<title>(?!Error: )/, `<title>${ERROR_TITLE_PREFIX}`)
}

/**
 * Rewrites the live title and returns what undoes it. It edits the title's own text node, the
 * one React keeps, so the next page's title still replaces it; the undo leaves a title someone
 * else changed since alone.
 */
function rewriteLiveTitle(rewrite: (title: string) => string): () => void {
  const text = document.querySelector('title')?.firstChild
  if (!text || text.nodeType !== Node.TEXT_NODE) return () => {}
  const before = text.nodeValue ?? ''
  const after = rewrite(before)
  text.nodeValue = after
  return () => {
    if (text.nodeValue === after) text.nodeValue = before
  }
}

/** Prefixes the live title with "Error: " (once); the returned function undoes it. */
export function markTitleAsError(): () => void {
  return rewriteLiveTitle((title) => (title.startsWith(ERROR_TITLE_PREFIX) ? title : `${ERROR_TITLE_PREFIX}${title}`))
}

/** Puts `title` on the live title while the page shows it. */
export function useActionTitle(title: string | null) {
  useEffect(() => (title ? rewriteLiveTitle(() => title) : undefined), [title])
}
