import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ThreadList } from '../components/thread-list'
import { getOptionalUser } from '../lib/auth.server'
import { CASE_STATUS_LABELS } from '../lib/case-fields'
import { postPath } from '../lib/discussion-paths'
import { formatInZone } from '../lib/time-zones'
import { listFeaturedCases, listNewCases } from '../models/case-reading.server'
import { listMySubmissions } from '../models/case-submission.server'
import { listThemes } from '../models/case-themes.server'
import { listEvents } from '../models/event-listing.server'
import { listMyUpcomingRsvps } from '../models/event-rsvp.server'
import { listThreads, listUnreadThreads } from '../models/thread.server'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction = () => [
  { title: 'SectorPulse · Peer learning for public-sector technology leaders' },
  {
    name: 'description',
    content:
      'Discussions, a lessons-learned case library, curated events and an execution-readiness self-assessment for public-sector technology leaders who want their projects to succeed in execution.',
  },
]

const ACTIVE_THREADS = 5
const UPCOMING_EVENTS = 3

export async function loader({ request, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.threads, pageTags.cases, pageTags.events])
  const user = await getOptionalUser(request)
  const now = new Date()
  const [featured, newest, threads, events, themes, member] = await Promise.all([
    listFeaturedCases(3),
    listNewCases(7),
    listThreads({ sort: 'latest', viewerId: user?.id, pageSize: ACTIVE_THREADS }),
    listEvents({ when: 'upcoming', viewerId: user?.id, now, limit: UPCOMING_EVENTS }),
    listThemes(),
    user
      ? Promise.all([listUnreadThreads(user.id), listMyUpcomingRsvps(user.id, now), listMySubmissions(user.id)]).then(
          ([unread, rsvps, submissions]) => ({ unread, rsvps, submissions: submissions.slice(0, 5) })
        )
      : null,
  ])
  const featuredSlugs = new Set(featured.map((c) => c.slug))
  return json({
    member: member && { displayName: user!.display_name, ...member },
    featured,
    newest: newest.filter((c) => !featuredSlugs.has(c.slug)).slice(0, 4),
    threads: threads.threads,
    events: events.map((e) => ({
      id: e.id,
      slug: e.slug,
      title: e.title,
      kind: e.kind,
      status: e.status,
      when: formatInZone(e.startsAt, e.timeZone),
    })),
    themes: themes.filter((t) => t.caseCount > 0).sort((a, b) => b.caseCount - a.caseCount),
    now: now.toISOString(),
  })
}

const RSVP_LABELS = { going: 'Going', interested: 'Interested', 'not-going': 'Not going', waitlisted: 'On the waitlist' } as const

export default function Home() {
  const { member, featured, newest, threads, events, themes, now } = useLoaderData<typeof loader>()
  return (
    <div className="home">
      <section aria-labelledby="intro-heading">
        <h1 id="intro-heading">Public-sector projects rarely fail for lack of a good system</h1>
        <p className="lead">
          They fail in execution: in the handoffs, the untested assumptions, the unclear ownership, the rushed requirements and the
          unmanaged risks. SectorPulse is where CIOs, program leaders, practitioners, advisors and partner firms learn from each other how
          to close that gap: in honest discussions, a lessons-learned case library that can be published anonymized, and curated events.
        </p>
        {member ? null : (
          <p>
            <Link to="/join" className="button">
              Join SectorPulse
            </Link>{' '}
            <span className="muted">
              or <Link to="/login">sign in</Link>
            </span>
          </p>
        )}
      </section>
      {member ? (
        <section aria-labelledby="yours-heading" className="home-member">
          <h2 id="yours-heading">Your SectorPulse, {member.displayName}</h2>
          <div className="card-grid">
            <section className="card" aria-labelledby="unread-heading">
              <h3 id="unread-heading">Unread in your threads</h3>
              {member.unread.length ? (
                <ul>
                  {member.unread.map((t) => (
                    <li key={t.id}>
                      <Link to={postPath(t, t.firstUnread)}>{t.title}</Link> <span className="badge badge--unread">{t.unread} new</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Nothing new in the threads you have read.</p>
              )}
            </section>
            <section className="card" aria-labelledby="rsvps-heading">
              <h3 id="rsvps-heading">Your upcoming events</h3>
              {member.rsvps.length ? (
                <ul>
                  {member.rsvps.map((r) => (
                    <li key={r.id}>
                      <Link to={`/events/${r.id}/${r.slug}`}>{r.title}</Link>
                      <span className="muted detail">
                        {r.when}.{' '}
                        <strong>
                          {r.status === 'waitlisted' && r.waitlistPosition ? `Waitlist place ${r.waitlistPosition}` : RSVP_LABELS[r.status]}
                        </strong>
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>
                  You have not answered any upcoming event. <Link to="/events">Browse events</Link>.
                </p>
              )}
            </section>
            <section className="card" aria-labelledby="submissions-heading">
              <h3 id="submissions-heading">Your cases</h3>
              {member.submissions.length ? (
                <ul>
                  {member.submissions.map((c) => (
                    <li key={c.id}>
                      <Link to={c.status === 'published' ? `/cases/${c.slug}` : `/cases/submissions/${c.id}`}>{c.title}</Link>{' '}
                      <span className={`status-tag status-tag--${c.status}`}>{CASE_STATUS_LABELS[c.status]}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>
                  You have not shared a case yet. <Link to="/cases/new">Share what your project learned</Link>, anonymized if you need to.
                </p>
              )}
            </section>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="readiness-heading" className="callout">
        <h2 id="readiness-heading">Is your project ready to deliver?</h2>
        <p>
          Thirteen questions about how your project is run. Each weak answer points to the failure modes it exposes and the cases,
          discussions and events that teach them.
        </p>
        <Link to="/readiness" className="button">
          Take the readiness self-assessment
        </Link>
      </section>

      <div className="home-columns">
        <section aria-labelledby="featured-heading">
          <h2 id="featured-heading">Featured cases</h2>
          <ul className="home-list">
            {featured.map((c) => (
              <li key={c.slug}>
                <h3>
                  <Link to={`/cases/${c.slug}`}>{c.title}</Link>
                </h3>
                <p>{c.summary}</p>
                <p className="muted">
                  {c.outcome}
                  {c.seenCount ? ` · ${c.seenCount} ${c.seenCount === 1 ? 'member has' : 'members have'} seen this too` : ''}
                </p>
              </li>
            ))}
          </ul>
          <h2 id="newest-heading">Newest cases</h2>
          <ul>
            {newest.map((c) => (
              <li key={c.slug}>
                <Link to={`/cases/${c.slug}`}>{c.title}</Link>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/cases">Browse the case library</Link>
          </p>
        </section>

        <section aria-labelledby="active-heading">
          <h2 id="active-heading">Active discussions</h2>
          <ThreadList threads={threads} now={now} />
          <p>
            <Link to="/discussions">All discussions</Link>
          </p>
          <h2 id="events-heading">Upcoming events</h2>
          {events.length ? (
            <ul>
              {events.map((e) => (
                <li key={e.id}>
                  <Link to={`/events/${e.id}/${e.slug}`}>{e.title}</Link>
                  <span className="muted detail">
                    {e.status === 'cancelled' ? 'Cancelled. ' : ''}
                    {e.kind}, {e.when}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p>No events are planned yet.</p>
          )}
          <p>
            <Link to="/events">All events</Link>
          </p>
        </section>
      </div>

      <section aria-labelledby="themes-heading">
        <h2 id="themes-heading">Browse by failure mode</h2>
        <ul className="theme-chips">
          {themes.map((t) => (
            <li key={t.slug}>
              <Link to={`/cases/themes/${t.slug}`}>
                {t.name}{' '}
                <span className="theme-chips__count">
                  ({t.caseCount} {t.caseCount === 1 ? 'case' : 'cases'})
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/insights">See where projects fail, by phase and outcome</Link>
        </p>
      </section>
    </div>
  )
}
