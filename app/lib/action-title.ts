import { useEffect } from 'react'

// A page that an action answers with content of its own (results kept nowhere, so no address
// loads them) names that content in its title. Remix hands `meta` loader data only, so such a
// route names the page in `handle.actionTitle`: the server writes that title into the document
// it sends (entry.server), and after a client-side submission the page puts it on the live
// title, the way error-title.ts marks a refusal.

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

/**
 * Puts `title` on the live document title while the page shows it, editing the title's own text
 * node (the one React keeps) so the next page's title still replaces it.
 */
export function useActionTitle(title: string | null) {
  useEffect(() => {
    const text = document.querySelector('title')?.firstChild
    if (!title || !text || text.nodeType !== Node.TEXT_NODE) return
    const before = text.nodeValue
    text.nodeValue = title
    return () => {
      if (text.nodeValue === title) text.nodeValue = before
    }
  }, [title])
}
