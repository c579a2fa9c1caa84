import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { EmailLinkPage } from '../components/email-link'
import { startSession } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { checkEmailToken, confirmEmail } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Confirm your email address') }]

// Opening the link only reads (mail scanners open links too); the button confirms.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await checkEmailToken('verify-email', params.token ?? '')
  return json({ link }, { status: link.ok ? 200 : 410, headers: { 'Referrer-Policy': 'no-referrer' } })
}

export async function action({ params }: ActionFunctionArgs) {
  const confirmed = await confirmEmail(params.token ?? '')
  if (!confirmed.ok) return json({ link: confirmed }, { status: 410 })
  return redirectWithFlash('/', `Your email address is confirmed. Welcome to SectorPulse, ${confirmed.displayName}.`, {
    'Set-Cookie': await startSession(confirmed.userId),
  })
}

export default function VerifyEmail() {
  const { link } = useLoaderData<typeof loader>()
  const refused = useActionData<typeof action>()?.link
  return (
    <EmailLinkPage
      title="Confirm your email address"
      link={refused ?? link}
      whenUnusable={<p>Confirmation links work once, for 24 hours. Sign in with your password and use “Resend the confirmation email” for a new one.</p>}
      lead="Confirm this address to finish joining SectorPulse. You will be signed in."
      submitLabel="Confirm my email address"
      submittingLabel="Confirming…"
    />
  )
}
