import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { EmailLinkPage } from '../components/email-link'
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
  return (
    <EmailLinkPage
      title="Confirm your new email address"
      link={changed ?? link}
      whenUnusable={
        <p>
          Links to confirm a new address work once, for 24 hours. <Link to="/settings/email">Ask for a new link</Link>.
        </p>
      }
      lead="Start using this address for SectorPulse. We will tell your old address."
      submitLabel="Confirm my new email address"
      submittingLabel="Confirming…"
      done={
        changed?.ok && {
          title: 'Your email address is changed',
          body: (
            <>
              <div className="notice notice--success" role="status">
                Your SectorPulse email address is now <strong>{changed.email}</strong>. Sign in with it from now on.
              </div>
              <p>We have told your old address, with a link to undo the change for 7 days.</p>
              <p>
                <Link to="/settings">Go to your settings</Link>
              </p>
            </>
          ),
        }
      }
    />
  )
}
