import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { formatLongDate } from '../lib/dates'
import type { sitePageLoader } from '../lib/site-page.server'
import { pageTitle } from '../lib/page-title'

/** A page from content/pages: /guidelines, /privacy, /terms. */
type SitePageLoader = ReturnType<typeof sitePageLoader>

export const sitePageMeta: MetaFunction<SitePageLoader> = ({ data }) =>
  data ? [{ title: pageTitle(data.page.title) }, { name: 'description', content: data.page.summary }] : [{ title: pageTitle() }]

export function SitePage() {
  const { page } = useLoaderData<SitePageLoader>()
  return (
    <article className="prose">
      <h1>{page.title}</h1>
      <p className="lead">{page.summary}</p>
      <div className="post-body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
      <p className="muted">
        Last changed <time dateTime={page.updatedAt}>{formatLongDate(page.updatedAt)}</time>.
      </p>
    </article>
  )
}
