import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { EmailLinkPage } from '../components/email-link'
import { NewPasswordField, TextField } from '../components/forms'
import { startSession } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm } from '../lib/forms'
import { resetPasswordSchema } from '../lib/user-validation'
import { checkEmailToken, resetPassword, type TokenOutcome } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Choose a new password') }]

// The link's page only reads; the password changes when the form is posted.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await checkEmailToken('reset-password', params.token ?? '')
  return json({ link }, { status: link.ok ? 200 : 410, headers: { 'Referrer-Policy': 'no-referrer' } })
}

type ActionData = { errors?: FieldErrors; link?: TokenOutcome }

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), resetPasswordSchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors }, { status: 400 })
  const reset = await resetPassword(params.token ?? '', parsed.data.newPassword)
  if (!reset.ok) return json<ActionData>({ link: reset }, { status: 410 })
  return redirectWithFlash('/', 'Your password has been changed. You are signed in, and signed out everywhere else.', {
    'Set-Cookie': await startSession(reset.userId),
  })
}

export default function ResetPassword() {
  const { link } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  return (
    <EmailLinkPage
      title="Choose a new password"
      link={actionData?.link ?? link}
      whenUnusable={
        <p>
          Reset links work once, for 1 hour. <Link to="/forgot-password">Ask for a new link</Link>.
        </p>
      }
      lead="Choosing a new password signs you out on every device, then signs you in here."
      submitLabel="Save the new password"
      submittingLabel="Saving…"
      errors={errors}
    >
      <NewPasswordField name="newPassword" label="New password" error={errors?.newPassword} />
      <TextField name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required error={errors?.confirmPassword} />
    </EmailLinkPage>
  )
}
