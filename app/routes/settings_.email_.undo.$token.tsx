import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { EmailLinkProblem } from '../components/email-link'
import { clearSessionCookie } from '../lib/auth.server'
import { checkEmailToken, undoEmailChange } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Undo a change of email address') }]

// Opening the link only reads; the button puts the old address back.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await checkEmailToken('undo-email-change', params.token ?? '')
  return json({ link }, { status: link.ok ? 200 : 410, headers: { 'Referrer-Policy': 'no-referrer' } })
}

export async function action({ params }: ActionFunctionArgs) {
  const undone = await undoEmailChange(params.token ?? '')
  if (!undone.ok) return json({ undone }, { status: 410 })
  // Every session of the account is gone; this browser's cookie goes too.
  return json({ undone }, { headers: { 'Set-Cookie': await clearSessionCookie() } })
}

export default function UndoEmailChange() {
  const { link } = useLoaderData<typeof loader>()
  const undone = useActionData<typeof action>()?.undone
  const submitting = useNavigation().state === 'submitting'
  const outcome = undone ?? link
  if (!outcome.ok) {
    return (
      <EmailLinkProblem
        title="Undo a change of email address"
        problem={outcome.problem}
        next={
          <p>
            Undo links work once, for 7 days. If someone else has your account, <Link to="/forgot-password">reset your password</Link> or tell the
            moderators.
          </p>
        }
      />
    )
  }
  if (undone?.ok) {
    return (
      <div className="form">
        <h1>Your email address is back</h1>
        <div className="flash" role="status">
          Your SectorPulse email address is <strong>{undone.email}</strong> again, and everyone using your account has been signed out.
        </div>
        <p>If you did not make the change, someone may know your password. Choose a new one now.</p>
        <p>
          <Link to="/forgot-password" className="button">
            Reset your password
          </Link>
        </p>
      </div>
    )
  }
  return (
    <div className="form">
      <h1>Undo a change of email address</h1>
      <p className="lead">Put this address back on your SectorPulse account and sign out everyone using it.</p>
      <Form method="post">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Undoing…' : 'Undo the change'}
        </button>
      </Form>
    </div>
  )
}
