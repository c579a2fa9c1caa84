import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildCalendar, calendarResponse } from '../lib/ics'
import { siteUrl } from '../lib/site-url'
import { listCalendarEvents } from '../models/event-calendar.server'
import { pageShows, pageTags } from '../../db/page-tags'

/** Every published event, upcoming and of the last 90 days, for subscribing in a calendar app. */
export async function loader({ context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.events])
  const events = await listCalendarEvents()
  return calendarResponse(buildCalendar(events, { siteUrl: siteUrl(), name: 'SectorPulse events', subscription: true }), 'sectorpulse-events.ics')
}
