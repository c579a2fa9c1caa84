import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { listAttendees } from '../models/event-attendance.server'
import { getEvent } from '../models/event-listing.server'

export const meta: MetaFunction = () => [{ title: 'Attendees · Events · SectorPulse' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const event = await getEvent(Number(params.id), organizer)
  if (!event) throw new Response('No event has that number.', { status: 404 })
  const attendees = await listAttendees(organizer, event.id)
  if (!attendees.ok) throw new Response(attendees.message, { status: attendees.status })
  return json({ event: { id: event.id, slug: event.slug, title: event.title, capacity: event.capacity }, attendees: attendees.value })
}

const GROUPS = [
  { status: 'going', title: 'Going' },
  { status: 'waitlisted', title: 'Waitlist, in order' },
  { status: 'interested', title: 'Interested' },
] as const

export default function Attendees() {
  const { event, attendees } = useLoaderData<typeof loader>()
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
      {GROUPS.map((group) => {
        const people = attendees.filter((a) => a.status === group.status)
        return (
          <section key={group.status} aria-labelledby={`${group.status}-heading`}>
            <h2 id={`${group.status}-heading`}>
              {group.title} ({people.length}
              {group.status === 'going' && event.capacity !== null ? ` of ${event.capacity}` : ''})
            </h2>
            {people.length ? (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">{group.title}</caption>
                  <thead>
                    <tr>
                      {group.status === 'waitlisted' ? <th scope="col">Place</th> : null}
                      <th scope="col">Member</th>
                      <th scope="col">Organization</th>
                      <th scope="col">Email</th>
                      <th scope="col">Answered</th>
                    </tr>
                  </thead>
                  <tbody>
                    {people.map((person) => (
                      <tr key={person.handle}>
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
              </div>
            ) : (
              <p className="muted">No one yet.</p>
            )}
          </section>
        )
      })}
    </>
  )
}
