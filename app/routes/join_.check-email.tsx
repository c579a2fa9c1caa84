import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Check your email') }]

// Every join lands here, whether or not the address already had an account.
export default function CheckEmail() {
  return (
    <div className="form">
      <h1>Check your email</h1>
      <p className="lead">We have sent an email to the address you gave us.</p>
      <p>Open the link in it within 24 hours to confirm your address and sign in. Until you confirm, you can read and save drafts but not post.</p>
      <p>If it has not arrived after a few minutes, look in your spam or junk folder. You can also sign in with your password and ask for a new link.</p>
      <p>
        Already have an account? <Link to="/login">Sign in</Link> or <Link to="/forgot-password">reset your password</Link>.
      </p>
    </div>
  )
}
