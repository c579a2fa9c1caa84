import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildCalendar, calendarResponse } from '../lib/ics'
import { siteUrl } from '../lib/site-url'
import { userForCalendarToken } from '../models/calendar-token.server'
import { listGoingCalendarEvents } from '../models/event-calendar.server'

/** A member's private feed of the events they are going to, at `/events/calendar/<token>.ics`. */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.token ?? '').replace(/\.ics$/, '')
  const userId = await userForCalendarToken(token)
  if (!userId) throw new Response('This calendar address is not valid. Make a new one in your settings.', { status: 404 })
  const events = await listGoingCalendarEvents(userId)
  const response = calendarResponse(buildCalendar(events, { siteUrl: siteUrl(), name: 'My SectorPulse events', subscription: true }), 'my-sectorpulse-events.ics')
  // The address is the secret: keep it out of shared caches and referrers.
  response.headers.set('Cache-Control', 'private, no-store')
  response.headers.set('Referrer-Policy', 'no-referrer')
  return response
}
