import type { LoaderFunctionArgs } from '@remix-run/node'
import { atomResponse, buildAtomFeed } from '../lib/atom'
import { threadFeedEntry } from '../lib/thread-feed'
import { siteUrl } from '../lib/site-url'
import { getCategory } from '../models/category.server'
import { listNewThreads } from '../models/thread.server'

export async function loader({ params }: LoaderFunctionArgs) {
  const category = await getCategory(params.slug ?? '')
  if (!category) throw new Response('No category has that name.', { status: 404 })
  const site = siteUrl()
  const threads = await listNewThreads({ categoryId: category.id })
  return atomResponse(
    buildAtomFeed({
      selfUrl: `${site}/discussions/c/${category.slug}/feed.atom`,
      pageUrl: `${site}/discussions/c/${category.slug}`,
      title: `SectorPulse: new discussions in ${category.name}`,
      subtitle: `New threads in ${category.name}, newest first.`,
      entries: threads.map((thread) => threadFeedEntry(site, thread)),
    }),
  )
}
