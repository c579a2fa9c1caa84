import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireRole } from '../lib/auth.server'
import { attendeesCsv, listAttendees } from '../models/event.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const attendees = await listAttendees(organizer, Number(params.id))
  if (!attendees.ok) throw new Response(attendees.message, { status: attendees.status })
  return new Response(attendeesCsv(attendees.value), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="event-${Number(params.id)}-attendees.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
