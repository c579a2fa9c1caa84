import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { EventForm } from '../components/event-form'
import { requireRole } from '../lib/auth.server'
import { eventFormOptions, parseEventForm } from '../lib/event-form.server'
import { redirectWithFlash } from '../lib/flash.server'
import { readForm, recordIdParam } from '../lib/forms'
import { getEventForEditing, updateEvent } from '../models/event.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Edit event: ${String(data.editable.input.title)}`, 'Events') : pageTitle('Edit event', 'Events') },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const editable = await getEventForEditing(organizer, recordIdParam(params.id))
  if (!editable.ok) throw new Response(editable.message, { status: editable.status })
  return json({ editable: editable.value, ...(await eventFormOptions()) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const { parsed, fail } = parseEventForm(await readForm(request))
  if (!parsed.ok) return fail(parsed.errors)
  const eventId = recordIdParam(params.id)
  const updated = await updateEvent(organizer, eventId, parsed.data)
  if (!updated.ok) return fail({ [updated.field ?? 'form']: updated.message }, updated.status)
  const promoted = updated.value.promoted
  return redirectWithFlash(
    `/events/${eventId}/${updated.value.slug}`,
    `The event is updated.${promoted ? ` ${promoted} ${promoted === 1 ? 'member moved' : 'members moved'} from the waitlist to going.` : ''}`,
  )
}

export default function EditEvent() {
  const { editable, themes, timeZones } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to="/events">Events</Link>
      </p>
      <h1>Edit event</h1>
      <EventForm values={actionData?.values ?? editable.input} errors={actionData?.errors} themes={themes} timeZones={timeZones} submitLabel="Save changes" />
    </div>
  )
}
