import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'

export const meta: MetaFunction = () => [{ title: 'Events · SectorPulse' }]

export default function Events() {
  return (
    <div className="prose">
      <h1>Events</h1>
      <p className="lead">
        Curated roundtables, webinars, site visits and peer cohorts for public-sector technology leaders.
      </p>
      <p>
        <span className="status-tag">Coming soon</span>
      </p>
      <p>
        The events calendar opens soon, with RSVP, waitlists and calendar feeds. Until then, the{' '}
        <Link to="/cases">case library’s failure modes</Link> show the themes the first events will cover.
      </p>
    </div>
  )
}
