import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { EventForm } from '../components/event-form'
import { requireRole } from '../lib/auth.server'
import { eventFormOptions, parseEventForm } from '../lib/event-form.server'
import { redirectWithFlash } from '../lib/flash.server'
import { readForm } from '../lib/forms'
import { createEvent } from '../models/event.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Create an event', 'Events') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator')
  return json(await eventFormOptions())
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireRole(request, 'moderator')
  const { parsed, fail } = parseEventForm(await readForm(request))
  if (!parsed.ok) return fail(parsed.errors)
  const created = await createEvent(organizer, parsed.data)
  if (!created.ok) return fail({ [created.field ?? 'form']: created.message }, created.status)
  return redirectWithFlash(
    `/events/${created.value.id}/${created.value.slug}`,
    'The event is saved as a draft. Publish it when it is ready.',
  )
}

export default function NewEvent() {
  const options = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to="/events">Events</Link>
      </p>
      <h1>Create an event</h1>
      <EventForm values={actionData?.values ?? {}} errors={actionData?.errors} {...options} submitLabel="Save as draft" />
    </div>
  )
}
