import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildCalendar, calendarResponse } from '../lib/ics'
import { siteUrlOf } from '../lib/site-url'
import { listCalendarEvents } from '../models/event.server'

/** Every upcoming published event, for subscribing in a calendar app. */
export async function loader({ request }: LoaderFunctionArgs) {
  const events = await listCalendarEvents()
  return calendarResponse(buildCalendar(events, { siteUrl: siteUrlOf(request), name: 'SectorPulse events' }), 'sectorpulse-events.ics')
}
