import { buildCalendar, calendarResponse } from '../lib/ics'
import { siteUrl } from '../lib/site-url'
import { listCalendarEvents } from '../models/event-calendar.server'

/** Every published event, upcoming and of the last 90 days, for subscribing in a calendar app. */
export async function loader() {
  const events = await listCalendarEvents()
  return calendarResponse(buildCalendar(events, { siteUrl: siteUrl(), name: 'SectorPulse events', subscription: true }), 'sectorpulse-events.ics')
}
