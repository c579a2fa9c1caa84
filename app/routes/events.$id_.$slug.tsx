import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { markSubjectSeen } from '../models/notification.server'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { RSVP_ANSWERS, type RsvpAnswer } from '../../db/schema'
import { EventTime } from '../components/event-time'
import { ErrorAlert, TextAreaField } from '../components/forms'
import { getOptionalUser, requireUser } from '../lib/auth.server'
import { EVENT_KINDS, FORMAT_LABELS } from '../lib/event-fields'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm } from '../lib/forms'
import { redirectToCanonical } from '../lib/canonical'
import { isSlug } from '../lib/slug'
import { z } from 'zod'
import { FollowButton } from '../components/follow-controls'
import { isFollowing } from '../models/follow.server'
import { describeEventTime, formatInZone } from '../lib/time-zones'
import { cancelEvent, isOrganizer, publishEvent } from '../models/event.server'
import { getEvent } from '../models/event-listing.server'
import { rsvpToEvent } from '../models/event-rsvp.server'
import { pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'
import { useParticipationRefusal } from '../components/participation-notice'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: pageTitle(data.event.title, 'Events') }] : [{ title: pageTitle('Event not found') }]

function eventIdFrom(params: LoaderFunctionArgs['params']): number {
  const id = Number(params.id)
  if (!Number.isSafeInteger(id) || id < 1) throw new Response('No event has that address.', { status: 404 })
  return id
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.events])
  const user = await getOptionalUser(request)
  const event = await getEvent(eventIdFrom(params), user)
  if (!event) throw new Response('No published event has that number.', { status: 404 })
  if (params.slug !== event.slug) redirectToCanonical(context, `/events/${event.id}/${event.slug}`)
  if (user) await markSubjectSeen(user.id, { eventId: event.id })
  return json({
    event,
    time: describeEventTime(event, user?.time_zone ?? null),
    rsvpBy: event.rsvpDeadline ? formatInZone(event.rsvpDeadline, event.timeZone) : null,
    ended: event.endsAt <= new Date().toISOString(),
    started: event.startsAt <= new Date().toISOString(),
    signedIn: !!user,
    organizer: isOrganizer(user),
    following: user ? await isFollowing(user.id, 'event', event.id) : null,
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const eventId = eventIdFrom(params)
  const user = await requireUser(request)
  const formData = await readForm(request)
  const intent = String(formData.get('intent') ?? '')
  // Back to the address the form was posted to when its slug is one this site could have made;
  // otherwise ("../../login", characters a header cannot carry) the short address, which leads
  // to the event's page.
  const back = isSlug(params.slug) ? `/events/${eventId}/${params.slug}` : `/events/${eventId}`

  if ((RSVP_ANSWERS as readonly string[]).includes(intent)) {
    const result = await rsvpToEvent(user, eventId, intent as RsvpAnswer, { showAsGoing: formData.get('showAsGoing') === 'on' })
    if (!result.ok) return json({ error: result.message }, { status: result.status })
    const message =
      result.value.status === 'going'
        ? 'You are going. The details are below.'
        : result.value.status === 'waitlisted'
          ? `The event is full. You are number ${result.value.position} on the waitlist, and you will move up automatically if a place opens.`
          : result.value.status === 'interested'
            ? 'Marked as interested.'
            : 'Marked as not going.'
    return redirectWithFlash(`${back}#rsvp`, message)
  }
  if (intent === 'publish') {
    const published = await publishEvent(user, eventId)
    return published.ok ? redirectWithFlash(back, 'The event is published.') : json({ error: published.message }, { status: published.status })
  }
  if (intent === 'cancel') {
    const parsed = parseForm(formData, cancelSchema)
    if (!parsed.ok) return json({ error: 'The event was not cancelled.', errors: parsed.errors }, { status: 400 })
    const cancelled = await cancelEvent(user, eventId, parsed.data.message || null)
    return cancelled.ok
      ? redirectWithFlash(back, `The event is cancelled. ${cancelled.value.notified} ${cancelled.value.notified === 1 ? 'member was' : 'members were'} told.`)
      : json({ error: cancelled.message }, { status: cancelled.status })
  }
  return json({ error: 'That action is not available.' }, { status: 400 })
}

const CANCELLATION_MESSAGE_MAX = 1000
const cancelSchema = z.object({
  message: z.string().trim().max(CANCELLATION_MESSAGE_MAX, `Keep the message to ${CANCELLATION_MESSAGE_MAX} characters or fewer`).optional(),
})

const ANSWER_LABELS: Record<RsvpAnswer, string> = { going: 'Going', interested: 'Interested', 'not-going': 'Not going' }

export default function EventPage() {
  const { event, time, rsvpBy, ended, started, signedIn, organizer, following } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const answering = useNavigation().formData?.get('intent')
  const full = event.capacity !== null && event.goingCount >= event.capacity
  // A member who may only read can still take back an answer ("not going" frees a place for the
  // waitlist); every other answer would be refused, so it is not offered.
  const participationRefusal = useParticipationRefusal()
  const mayWithdraw = event.viewerStatus !== null && event.viewerStatus !== 'not-going'
  const offeredAnswers = participationRefusal ? RSVP_ANSWERS.filter((answer) => answer === 'not-going') : RSVP_ANSWERS
  const here = `/events/${event.id}/${event.slug}`

  return (
    <article className="event">
      <p className="breadcrumbs">
        <Link to="/events">Events</Link>
      </p>
      <div className="page-heading">
        <h1>{event.title}</h1>
        {following !== null && event.status !== 'draft' ? (
          <FollowButton targetType="event" targetId={event.id} following={following} name={event.title} />
        ) : null}
      </div>
      {event.status === 'cancelled' ? (
        <p className="notice notice--cancelled" role="note">
          {event.cancellationMessage
            ? `This event has been cancelled. From the organizer: ${event.cancellationMessage}`
            : 'This event has been cancelled.'}
        </p>
      ) : event.status === 'draft' ? (
        <p className="notice" role="note">
          This event is a draft. Only organizers can see it.
        </p>
      ) : null}
      <p className="event__when">
        <EventTime startsAt={event.startsAt} when={time.when} yourTime={time.yourTime} />
      </p>
      <ErrorAlert message={actionData?.error} />

      <dl className="summary-list">
        <dt>Kind</dt>
        <dd>{EVENT_KINDS[event.kind as keyof typeof EVENT_KINDS] ?? event.kind}</dd>
        <dt>Format</dt>
        <dd>{FORMAT_LABELS[event.format]}</dd>
        {event.venue ? (
          <>
            <dt>Where</dt>
            <dd>
              {event.venue}
              {event.address ? (
                <>
                  <br />
                  {event.address}
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {event.format !== 'in-person' ? (
          <>
            <dt>Join online</dt>
            <dd>
              {event.joinUrl ? (
                <a href={event.joinUrl} rel="noopener noreferrer">
                  Join link
                </a>
              ) : (
                <span className="muted">The join link is shown here to members who are going.</span>
              )}
            </dd>
          </>
        ) : null}
        {event.hosts ? (
          <>
            <dt>Hosts</dt>
            <dd>{event.hosts}</dd>
          </>
        ) : null}
        {event.speakers ? (
          <>
            <dt>Speakers</dt>
            <dd>{event.speakers}</dd>
          </>
        ) : null}
        {event.rsvpDeadline ? (
          <>
            <dt>RSVP by</dt>
            <dd>
              <time dateTime={event.rsvpDeadline}>{rsvpBy}</time>
            </dd>
          </>
        ) : null}
        {event.themes.length ? (
          <>
            <dt>Themes</dt>
            <dd>
              {event.themes.map((t, i) => (
                <span key={t.slug}>
                  {i ? ', ' : ''}
                  <Link to={`/cases/themes/${t.slug}`}>{t.name}</Link>
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="attendance-heading" className="attendance" id="rsvp">
        <h2 id="attendance-heading">Attendance</h2>
        {ended ? (
          <p>{event.attendedCount !== null ? `${event.attendedCount} attended` : `${event.goingCount} said they were going`}</p>
        ) : (
          <p>
            {event.goingCount} going
            {event.capacity !== null ? ` of ${event.capacity} places` : ''}
            {event.waitlistCount ? ` · ${event.waitlistCount} on the waitlist` : ''}
            {event.interestedCount ? ` · ${event.interestedCount} interested` : ''}
          </p>
        )}
        {!ended && event.placesLeft !== null ? (
          <p className="places-left">
            <strong>{event.placesLeft === 0 ? 'No places left.' : `${event.placesLeft} ${event.placesLeft === 1 ? 'place' : 'places'} left.`}</strong>
          </p>
        ) : null}
        {event.whosGoing.length && !ended ? (
          <>
            <h3>Who's going</h3>
            <ul className="whos-going">
              {event.whosGoing.map((person) => (
                <li key={person.handle}>
                  <Link to={`/members/${person.handle}`}>{person.displayName}</Link>
                </li>
              ))}
            </ul>
            {event.goingCount > event.whosGoing.length ? (
              <p className="muted">and {event.goingCount - event.whosGoing.length} more who chose not to be named.</p>
            ) : null}
          </>
        ) : null}
        {event.viewerStatus === 'waitlisted' ? (
          <p className="rsvp-status">
            <strong>You are number {event.viewerPosition} on the waitlist.</strong> You will move up automatically when a place opens.
          </p>
        ) : event.viewerStatus ? (
          <p className="rsvp-status">
            <strong>Your answer: {ANSWER_LABELS[event.viewerStatus as RsvpAnswer]}.</strong>
          </p>
        ) : null}
        {event.rsvpOpen && signedIn && participationRefusal && !mayWithdraw ? (
          <p>{participationRefusal}</p>
        ) : event.rsvpOpen && signedIn ? (
          <Form method="post" className="rsvp-form" preventScrollReset>
            {participationRefusal ? (
              <p>{`${participationRefusal} You can still answer Not going.`}</p>
            ) : (
              <>
                <p className="rsvp-form__label">Will you come?</p>
                <div className="checkbox-field">
                  <input type="checkbox" id="showAsGoing" name="showAsGoing" defaultChecked={event.viewerShownAsGoing} aria-describedby="showAsGoing-hint" />
                  <label htmlFor="showAsGoing">Show my name under “Who's going”</label>
                  <span className="hint" id="showAsGoing-hint">
                    Applies when you answer Going. Otherwise members see only how many are going.
                  </span>
                </div>
              </>
            )}
            <div className="rsvp-form__buttons">
              {offeredAnswers.map((answer) => {
                const current = event.viewerStatus === answer || (answer === 'going' && event.viewerStatus === 'waitlisted')
                return (
                  <button
                    key={answer}
                    type="submit"
                    name="intent"
                    value={answer}
                    className={current ? 'button' : 'button button--secondary'}
                    aria-pressed={current}
                    disabled={answering === answer}
                  >
                    {answer === 'going' && full && event.viewerStatus !== 'going' ? 'Join the waitlist' : ANSWER_LABELS[answer]}
                  </button>
                )
              })}
            </div>
          </Form>
        ) : event.rsvpOpen ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>Sign in</Link> or <Link to="/join">join</Link> to RSVP.
          </p>
        ) : event.status === 'published' ? (
          <p>RSVPs are closed.</p>
        ) : null}
        <p>
          <a href={`/events/${event.id}.ics`}>Add to your calendar (.ics)</a>
        </p>
      </section>

      <section aria-labelledby="about-heading">
        <h2 id="about-heading">About this event</h2>
        <div className="post-body" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
      </section>

      {event.recapHtml || event.recapLinks.length ? (
        <section aria-labelledby="recap-heading">
          <h2 id="recap-heading">Recap</h2>
          {event.recapHtml ? <div className="post-body" dangerouslySetInnerHTML={{ __html: event.recapHtml }} /> : null}
          {event.recapLinks.length ? (
            <ul>
              {event.recapLinks.map((link) => (
                <li key={link.url}>
                  <a href={link.url} rel="nofollow noopener">
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {organizer ? (
        <section aria-labelledby="organizer-heading" className="mod-tools">
          <h2 id="organizer-heading">Organizer tools</h2>
          <div className="mod-tools__row">
            <Link to={`/events/${event.id}/edit`} className="button button--secondary">
              Edit event
            </Link>
            <Link to={`/events/${event.id}/attendees`} className="button button--secondary">
              {started && event.status === 'published' ? 'Attendee list and attendance' : 'Attendee list'}
            </Link>
            {event.status === 'draft' ? (
              <Form method="post">
                <button type="submit" name="intent" value="publish" className="button">
                  Publish
                </button>
              </Form>
            ) : null}
          </div>
          {event.status !== 'cancelled' ? (
            <details className="confirm">
              <summary>Cancel this event</summary>
              <Form method="post">
                <p>Everyone going, waitlisted or interested will be told, on the site and by email. This cannot be undone.</p>
                <TextAreaField
                  name="message"
                  label="Message to attendees (optional)"
                  hint="For example why, and whether it will be rescheduled."
                  maxLength={CANCELLATION_MESSAGE_MAX}
                  rows={3}
                  error={actionData && 'errors' in actionData ? (actionData.errors as Record<string, string>).message : undefined}
                />
                <button type="submit" name="intent" value="cancel" className="button button--danger">
                  Yes, cancel the event
                </button>
              </Form>
            </details>
          ) : null}
        </section>
      ) : null}
    </article>
  )
}
