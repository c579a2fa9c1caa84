import { atomResponse, buildAtomFeed } from '../lib/atom'
import { threadFeedEntry } from '../lib/thread-feed'
import { siteUrl } from '../lib/site-url'
import { listNewThreads } from '../models/thread.server'

export async function loader() {
  const site = siteUrl()
  const threads = await listNewThreads()
  return atomResponse(
    buildAtomFeed({
      selfUrl: `${site}/discussions/feed.atom`,
      pageUrl: `${site}/discussions`,
      title: 'SectorPulse: new discussions',
      subtitle: 'New threads from public-sector technology leaders, newest first.',
      entries: threads.map((thread) => threadFeedEntry(site, thread)),
    }),
  )
}
