import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { ErrorSummary, TextField } from '../components/forms'
import { TableRegion } from '../components/table-region'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm, recordIdParam } from '../lib/forms'
import { listAttendees, recordAttendance } from '../models/event-attendance.server'
import { getEvent } from '../models/event-listing.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Attendees: ${data.event.title}`, 'Events') : pageTitle('Attendees', 'Events') },
]

async function organizerAndEvent(request: Request, params: LoaderFunctionArgs['params']) {
  const organizer = await requireRole(request, 'moderator')
  const event = await getEvent(recordIdParam(params.id), organizer)
  if (!event) throw new Response('No event has that number.', { status: 404 })
  return { organizer, event }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organizer, event } = await organizerAndEvent(request, params)
  const attendees = await listAttendees(organizer, event.id)
  if (!attendees.ok) throw new Response(attendees.message, { status: attendees.status })
  return json({
    event: { id: event.id, slug: event.slug, title: event.title, capacity: event.capacity, walkInCount: event.walkInCount, attendedCount: event.attendedCount },
    canRecordAttendance: event.status === 'published' && event.startsAt <= new Date().toISOString(),
    attendees: attendees.value,
  })
}

const attendanceSchema = z.object({
  attended: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
  walkIns: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || '0')
    .pipe(z.coerce.number({ invalid_type_error: 'Enter a whole number of walk-ins' }).int('Enter a whole number of walk-ins').min(0, 'Walk-ins cannot be negative').max(100_000, 'Enter 100,000 walk-ins or fewer')),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const { organizer, event } = await organizerAndEvent(request, params)
  const formData = await readForm(request)
  // What the organizer ticked and typed, to put back in the form when it is refused.
  const typed = { attended: formData.getAll('attended').map(String), walkIns: String(formData.get('walkIns') ?? '') }
  const parsed = parseForm(formData, attendanceSchema)
  if (!parsed.ok) return json({ errors: parsed.errors, typed }, { status: 400 })
  const recorded = await recordAttendance(organizer, event.id, { attendedHandles: parsed.data.attended, walkIns: parsed.data.walkIns })
  if (!recorded.ok) return json({ errors: { [recorded.field ?? 'form']: recorded.message }, typed }, { status: recorded.status })
  return redirectWithFlash(`/events/${event.id}/${event.slug}`, `Attendance recorded: ${recorded.value.attendedCount} attended.`)
}

const GROUPS = [
  { status: 'going', title: 'Going' },
  { status: 'waitlisted', title: 'Waitlist, in order' },
  { status: 'interested', title: 'Interested' },
] as const

export default function Attendees() {
  const { event, attendees, canRecordAttendance } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors as Record<string, string> | undefined
  const typed = actionData?.typed
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/events/${event.id}/${event.slug}`}>{event.title}</Link>
      </p>
      <div className="page-heading">
        <h1>Attendees</h1>
        <a href={`/events/${event.id}/attendees.csv`} className="button button--secondary" download>
          Download CSV
        </a>
      </div>
      <ErrorSummary errors={errors} />
      {event.attendedCount !== null ? (
        <p>
          Recorded: {event.attendedCount} attended, {event.walkInCount} of them walk-ins.
        </p>
      ) : null}
      <Form method="post" id="attendance-form">
        {GROUPS.map((group) => {
          const people = attendees.filter((a) => a.status === group.status)
          const recordsAttendance = canRecordAttendance && group.status === 'going'
          return (
            <section key={group.status} aria-labelledby={`${group.status}-heading`}>
              <h2 id={`${group.status}-heading`}>
                {group.title} ({people.length}
                {group.status === 'going' && event.capacity !== null ? ` of ${event.capacity}` : ''})
              </h2>
              {people.length ? (
                <TableRegion captionId={`${group.status}-caption`}>
                  <table>
                    <caption id={`${group.status}-caption`} className="visually-hidden">
                      {group.title}
                    </caption>
                    <thead>
                      <tr>
                        {recordsAttendance ? <th scope="col">Came</th> : null}
                        {group.status === 'waitlisted' ? <th scope="col">Place</th> : null}
                        <th scope="col">Member</th>
                        <th scope="col">Organization</th>
                        <th scope="col">Email</th>
                        <th scope="col">Answered</th>
                      </tr>
                    </thead>
                    <tbody>
                      {people.map((person, index) => (
                        <tr key={person.handle}>
                          {recordsAttendance ? (
                            <td>
                              <input
                                type="checkbox"
                                name="attended"
                                value={person.handle}
                                id={index === 0 ? 'attended' : `attended-${person.handle}`}
                                defaultChecked={typed ? typed.attended.includes(person.handle) : person.attended}
                                aria-label={`${person.displayName} came`}
                              />
                            </td>
                          ) : null}
                          {group.status === 'waitlisted' ? <td>{person.position}</td> : null}
                          <td>
                            <Link to={`/members/${person.handle}`}>{person.displayName}</Link>
                          </td>
                          <td>{person.organization ?? ''}</td>
                          <td>{person.email}</td>
                          <td>
                            <time dateTime={person.answeredAt}>{formatDateTime(person.answeredAt)}</time>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableRegion>
              ) : (
                <p className="muted">No one yet.</p>
              )}
            </section>
          )
        })}
        {canRecordAttendance ? (
          <section aria-labelledby="record-heading">
            <h2 id="record-heading">Record attendance</h2>
            <p>Tick who came from the going list above, and count the people who came without an RSVP.</p>
            <TextField
              name="walkIns"
              label="Walk-ins"
              inputMode="numeric"
              defaultValue={typed ? typed.walkIns : String(event.walkInCount)}
              error={errors?.walkIns}
            />
            <button type="submit" className="button">
              Save attendance
            </button>
          </section>
        ) : null}
      </Form>
    </>
  )
}
