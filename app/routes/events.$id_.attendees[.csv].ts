import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireRole } from '../lib/auth.server'
import { attendeesCsv, listAttendees } from '../models/event-attendance.server'
import { getEvent } from '../models/event-listing.server'
import { recordIdParam } from '../lib/forms'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const event = await getEvent(recordIdParam(params.id), organizer)
  if (!event) throw new Response('No event has that number.', { status: 404 })
  const attendees = await listAttendees(organizer, event.id)
  if (!attendees.ok) throw new Response(attendees.message, { status: attendees.status })
  return new Response(attendeesCsv(attendees.value, { attendanceRecorded: event.attendedCount !== null }), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="event-${event.id}-attendees.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
