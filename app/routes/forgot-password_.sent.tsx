import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Check your email') }]

// The same page for every address, with an account or without.
export default function ResetLinkSent() {
  return (
    <div className="form">
      <h1>Check your email</h1>
      <p className="lead">If that address has a SectorPulse account, we have sent it a link to choose a new password.</p>
      <p>The link works once, for 1 hour. If nothing arrives in a few minutes, look in your spam or junk folder, check the address you typed, or <Link to="/forgot-password">ask again</Link>.</p>
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </div>
  )
}
