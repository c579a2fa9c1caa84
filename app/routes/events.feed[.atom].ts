import type { LoaderFunctionArgs } from '@remix-run/node'
import { atomResponse, buildAtomFeed, permanentEntryId } from '../lib/atom'
import { siteUrl } from '../lib/site-url'
import { listEventsFeed } from '../models/event-calendar.server'
import { pageShows, pageTags } from '../../db/page-tags'

export async function loader({ context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.events])
  const site = siteUrl()
  const events = await listEventsFeed()
  return atomResponse(
    buildAtomFeed({
      selfUrl: `${site}/events/feed.atom`,
      pageUrl: `${site}/events`,
      title: 'SectorPulse: events',
      subtitle: 'Roundtables, webinars and site visits for public-sector technology leaders: upcoming, and those of the last 90 days.',
      entries: events.map((event) => {
        const url = `${site}/events/${event.id}/${event.slug}`
        return {
          id: permanentEntryId(site, 'event', event.id),
          url,
          title: event.status === 'cancelled' ? `Cancelled: ${event.title}` : event.title,
          author: 'SectorPulse events',
          published: event.createdAt,
          updated: event.updatedAt,
          summary: event.status === 'cancelled' ? `Cancelled. Was planned for ${event.when}.` : event.when,
          contentHtml: event.descriptionHtml,
        }
      }),
    }),
  )
}
