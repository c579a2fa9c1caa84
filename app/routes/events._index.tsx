import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { EVENT_FORMATS, type EventFormat } from '../../db/schema'
import { EventTime } from '../components/event-time'
import { SelectField, TextField } from '../components/forms'
import { getOptionalUser, hasRole } from '../lib/auth.server'
import { EVENT_KINDS, FORMAT_LABELS } from '../lib/event-fields'
import { listEvents } from '../models/event-listing.server'
import { listTerms } from '../models/taxonomy.server'
import { describeEventTime } from '../lib/time-zones'
import { feedLink } from '../lib/atom'
import { narrowedList, pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

/** "March 2027" for "2027-03". */
const monthName = (month: string) => new Date(`${month}-01T12:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? pageTitle('Events') },
  { name: 'description', content: 'Curated roundtables, webinars, site visits and peer cohorts for public-sector technology leaders.' },
  feedLink('/events/feed.atom', 'Upcoming events (Atom feed)'),
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.events])
  const url = new URL(request.url)
  const user = await getOptionalUser(request)
  const when = url.searchParams.get('when') === 'past' ? 'past' : 'upcoming'
  const formatParam = url.searchParams.get('format') ?? ''
  const format = (EVENT_FORMATS as readonly string[]).includes(formatParam) ? (formatParam as EventFormat) : undefined
  const theme = url.searchParams.get('theme')?.slice(0, 80) || undefined
  const month = /^\d{4}-\d{2}$/.test(url.searchParams.get('month') ?? '') ? url.searchParams.get('month')! : undefined
  const [events, themes] = await Promise.all([listEvents({ when, format, theme, month, viewerId: user?.id }), listTerms('failure-mode')])
  const viewerZone = user?.time_zone ?? null
  const title = pageTitle(
    narrowedList(when === 'past' ? 'Past events' : 'Events', [
      themes.find((t) => t.slug === theme)?.name,
      format ? FORMAT_LABELS[format] : null,
      month ? monthName(month) : null,
    ]),
  )
  return json({
    title,
    events: events.map((event) => ({ ...event, time: describeEventTime(event, viewerZone) })),
    when,
    selected: { format: format ?? '', theme: theme ?? '', month: month ?? '' },
    themes: themes.map(({ slug, name }) => ({ slug, name })),
    canOrganize: hasRole(user, 'moderator'),
  })
}

const STATUS_LABELS = { going: 'You are going', waitlisted: 'You are on the waitlist', interested: 'You are interested', 'not-going': 'You are not going' }

export default function Events() {
  const { events, when, selected, themes, canOrganize } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  const tab = (value: 'upcoming' | 'past', label: string) =>
    value === when ? (
      <span aria-current="page">{label}</span>
    ) : (
      <Link to={value === 'past' ? '/events?when=past' : '/events'}>{label}</Link>
    )
  return (
    <>
      <div className="page-heading">
        <h1>Events</h1>
        {canOrganize ? (
          <Link to="/events/new" className="button">
            Create an event
          </Link>
        ) : null}
      </div>
      <p className="lead">Curated roundtables, webinars, site visits and peer cohorts for public-sector technology leaders.</p>
      <nav aria-label="Upcoming or past" className="tabs">
        <ul>
          <li>{tab('upcoming', 'Upcoming')}</li>
          <li>{tab('past', 'Past')}</li>
        </ul>
      </nav>
      <Form method="get" className="filters" aria-label="Filter events" key={search}>
        {when === 'past' ? <input type="hidden" name="when" value="past" /> : null}
        <SelectField
          name="theme"
          label="Theme"
          placeholder="Any theme"
          defaultValue={selected.theme}
          options={themes.map((t) => ({ value: t.slug, label: t.name }))}
        />
        <SelectField
          name="format"
          label="Format"
          placeholder="Any format"
          defaultValue={selected.format}
          options={EVENT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))}
        />
        <TextField name="month" label="Month" type="month" defaultValue={selected.month} />
        <div className="filters__actions">
          <button type="submit" className="button button--secondary">
            Apply
          </button>
        </div>
      </Form>
      {events.length === 0 ? (
        <p className="empty">{when === 'past' ? 'No past events match.' : 'No upcoming events match. Try another filter.'}</p>
      ) : (
        <ol className="event-list">
          {events.map((event) => (
            <li key={event.id} className={event.status === 'cancelled' ? 'event-card event-card--cancelled' : 'event-card'}>
              <h2>
                {event.status === 'cancelled' ? <span className="status-tag status-tag--cancelled">Cancelled</span> : null}
                <Link to={`/events/${event.id}/${event.slug}`}>{event.title}</Link>
              </h2>
              <p className="event-card__when">
                <EventTime startsAt={event.startsAt} when={event.time.when} yourTime={event.time.yourTime} />
              </p>
              <p className="event-card__meta">
                {EVENT_KINDS[event.kind as keyof typeof EVENT_KINDS] ?? event.kind} · {FORMAT_LABELS[event.format]}
                {event.venue ? ` · ${event.venue}` : ''}
                {when === 'past'
                  ? event.attendedCount !== null
                    ? ` · ${event.attendedCount} attended`
                    : ''
                  : event.placesLeft !== null
                    ? ` · ${event.placesLeft} of ${event.capacity} places left${event.waitlistCount ? `, ${event.waitlistCount} on the waitlist` : ''}`
                    : ''}
              </p>
              {event.viewerStatus ? <p className="event-card__rsvp">{STATUS_LABELS[event.viewerStatus]}</p> : null}
              {event.themes.length ? (
                <ul className="tag-list" aria-label="Themes">
                  {event.themes.map((t) => (
                    <li key={t.slug}>
                      <Link className="tag" to={`/events?${when === 'past' ? 'when=past&' : ''}theme=${t.slug}`}>
                        {t.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="/events/feed.ics">Subscribe to all upcoming events</a> in your calendar app.
      </p>
    </>
  )
}
