import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getOptionalUser } from '../lib/auth.server'

export const meta: MetaFunction = () => [
  { title: 'SectorPulse · Peer learning for public-sector technology leaders' },
  {
    name: 'description',
    content:
      'Discussions, a lessons-learned case library and curated events for public-sector technology leaders who want their projects to succeed in execution.',
  },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  return json({ signedIn: !!user })
}

const AREAS = [
  {
    to: '/discussions',
    title: 'Discussions',
    text: 'Honest threads about scope, risk, governance, vendor management, adoption, IT-program alignment and AI in government.',
  },
  {
    to: '/cases',
    title: 'Case library',
    text: 'Structured lessons learned from real modernization projects, tagged by how they failed, the phase it bit and the level of government.',
  },
  {
    to: '/events',
    title: 'Events',
    text: 'Curated roundtables, webinars, site visits and peer cohorts, with RSVP, waitlists and calendar files.',
  },
]

export default function Home() {
  const { signedIn } = useLoaderData<typeof loader>()
  return (
    <>
      <section aria-labelledby="intro-heading">
        <h1 id="intro-heading">Public-sector projects rarely fail for lack of a good system</h1>
        <p className="lead">
          They fail in execution: in the handoffs, the untested assumptions, the unclear ownership, the rushed
          requirements and the unmanaged risks. SectorPulse is where CIOs, program leaders, practitioners, advisors and
          partner firms learn from each other how to close that gap.
        </p>
        {signedIn ? null : (
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
      <section aria-labelledby="areas-heading">
        <h2 id="areas-heading">What you will find here</h2>
        <ul className="card-grid">
          {AREAS.map((area) => (
            <li key={area.to} className="card">
              <h3>
                <Link to={area.to}>{area.title}</Link>
              </h3>
              <p>{area.text}</p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="anon-heading" className="prose">
        <h2 id="anon-heading">Share what happened without naming your agency</h2>
        <p>
          Many officials cannot name their agency in public. Case studies can be published anonymized, described as
          “a mid-size county human services agency” rather than by name, so the lesson travels even when the name
          cannot.
        </p>
      </section>
    </>
  )
}
