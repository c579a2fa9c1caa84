import { json } from '@remix-run/node'
import { getSitePage } from '../models/site-page.server'

/** The loader of /guidelines, /privacy and /terms: one page from content/pages. */
export function sitePageLoader(slug: string) {
  return async () => {
    const page = await getSitePage(slug)
    if (!page) throw new Response('This page has not been published on this site.', { status: 404 })
    return json({ page })
  }
}
