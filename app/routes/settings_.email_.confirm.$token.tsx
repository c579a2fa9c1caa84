import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { EmailLinkProblem } from '../components/email-link'
import { checkEmailToken, confirmEmailChange } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Confirm your new email address') }]

// Opening the link only reads; the button makes the change.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await checkEmailToken('change-email', params.token ?? '')
  return json({ link }, { status: link.ok ? 200 : 410, headers: { 'Referrer-Policy': 'no-referrer' } })
}

export async function action({ params }: ActionFunctionArgs) {
  const changed = await confirmEmailChange(params.token ?? '')
  return json({ changed }, { status: changed.ok ? 200 : 410 })
}

export default function ConfirmEmailChange() {
  const { link } = useLoaderData<typeof loader>()
  const changed = useActionData<typeof action>()?.changed
  const submitting = useNavigation().state === 'submitting'
  const outcome = changed ?? link
  if (!outcome.ok) {
    return (
      <EmailLinkProblem
        title="Confirm your new email address"
        problem={outcome.problem}
        next={
          <p>
            Links to confirm a new address work once, for 24 hours. <Link to="/settings/email">Ask for a new link</Link>.
          </p>
        }
      />
    )
  }
  if (changed?.ok) {
    return (
      <div className="form">
        <h1>Your email address is changed</h1>
        <div className="flash" role="status">
          Your SectorPulse email address is now <strong>{changed.email}</strong>. Sign in with it from now on.
        </div>
        <p>We have told your old address, with a link to undo the change for 7 days.</p>
        <p>
          <Link to="/settings">Go to your settings</Link>
        </p>
      </div>
    )
  }
  return (
    <div className="form">
      <h1>Confirm your new email address</h1>
      <p className="lead">Start using this address for SectorPulse. We will tell your old address.</p>
      <Form method="post">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Confirming…' : 'Confirm my new email address'}
        </button>
      </Form>
    </div>
  )
}
