import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { EmailLinkPage } from '../components/email-link'
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
  return (
    <EmailLinkPage
      title="Undo a change of email address"
      link={undone ?? link}
      whenUnusable={
        <p>
          Undo links work once, for 7 days. If someone else has your account, <Link to="/forgot-password">reset your password</Link> or tell the
          moderators.
        </p>
      }
      lead="Put this address back on your SectorPulse account and sign out everyone using it."
      submitLabel="Undo the change"
      submittingLabel="Undoing…"
      done={
        undone?.ok && {
          title: 'Your email address is back',
          body: (
            <>
              <div className="notice notice--success" role="status">
                Your SectorPulse email address is <strong>{undone.email}</strong> again, and everyone using your account has been signed out.
              </div>
              <p>If you did not make the change, someone may know your password. Choose a new one now.</p>
              <p>
                <Link to="/forgot-password" className="button">
                  Reset your password
                </Link>
              </p>
            </>
          ),
        }
      }
    />
  )
}
