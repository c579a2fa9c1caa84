import type { LoaderFunctionArgs } from '@remix-run/node'
import { atomResponse, buildAtomFeed } from '../lib/atom'
import { siteUrlOf } from '../lib/site-url'
import { listNewCases } from '../models/case.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const site = siteUrlOf(request)
  const cases = await listNewCases()
  return atomResponse(
    buildAtomFeed({
      selfUrl: `${site}/cases/feed.atom`,
      pageUrl: `${site}/cases`,
      title: 'SectorPulse: new cases',
      subtitle: 'Lessons-learned case studies of public-sector technology projects, newest first.',
      entries: cases.map((c) => ({
        id: `${site}/cases/${c.slug}`,
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
