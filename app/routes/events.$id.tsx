import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { buildCalendar, calendarResponse } from '../lib/ics'
import { siteUrl } from '../lib/site-url'
import { getCalendarEvent } from '../models/event-calendar.server'
import { getEvent } from '../models/event-listing.server'
import { getOptionalUser } from '../lib/auth.server'

// `/events/12.ics` is the event's calendar file; `/events/12` goes to the event's page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const match = /^(\d{1,12})(\.ics)?$/.exec(params.id ?? '')
  if (!match) throw new Response('No event has that address.', { status: 404 })
  const id = Number(match[1])
  if (match[2]) {
    const event = await getCalendarEvent(id)
    if (!event) throw new Response('No published event has that number.', { status: 404 })
    return calendarResponse(buildCalendar([event], { siteUrl: siteUrl(), name: event.title }), `sectorpulse-event-${id}.ics`)
  }
  const event = await getEvent(id, await getOptionalUser(request))
  if (!event) throw new Response('No published event has that number.', { status: 404 })
  throw redirect(`/events/${event.id}/${event.slug}`, { status: 301 })
}
