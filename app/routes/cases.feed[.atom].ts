import type { LoaderFunctionArgs } from '@remix-run/node'
import { atomResponse, buildAtomFeed, permanentEntryId } from '../lib/atom'
import { siteUrl } from '../lib/site-url'
import { listNewCases } from '../models/case-reading.server'
import { pageShows, pageTags } from '../../db/page-tags'

export async function loader({ context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.cases])
  const site = siteUrl()
  const cases = await listNewCases()
  return atomResponse(
    buildAtomFeed({
      selfUrl: `${site}/cases/feed.atom`,
      pageUrl: `${site}/cases`,
      title: 'SectorPulse: new cases',
      subtitle: 'Lessons-learned case studies of public-sector technology projects, newest first.',
      entries: cases.map((c) => ({
        id: permanentEntryId(site, 'case', c.id),
        url: `${site}/cases/${c.slug}`,
        title: c.title,
        author: c.author,
        published: c.publishedAt,
        updated: c.updatedAt,
        summary: c.summary,
      })),
    }),
  )
}
