import { type ActionFunctionArgs, type HeadersFunction, json, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { ErrorSummary, TextField } from '../components/forms'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { resetRequestsByAddress, resetRequestsByIp, retryAfterHeaders } from '../lib/rate-limit.server'
import { emailSchema } from '../lib/user-validation'
import { requestPasswordReset } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Reset your password') }]

export const headers: HeadersFunction = retryAfterHeaders

const forgotPasswordSchema = z.object({ email: emailSchema })

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const values = typedValues(formData)
  const parsed = parseForm(formData, forgotPasswordSchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values }, { status: 400 })
  const { email } = parsed.data

  // Counted by the address typed, known or not, so the limit itself tells nobody who is a member.
  const addressAllowed = await resetRequestsByAddress.consume(email)
  const ipAllowed = await resetRequestsByIp.consume(context.clientIp)
  if (!addressAllowed || !ipAllowed) {
    const seconds = Math.max(await resetRequestsByAddress.retryAfterSeconds(email), await resetRequestsByIp.retryAfterSeconds(context.clientIp))
    const minutes = Math.max(1, Math.ceil(seconds / 60))
    return json<ActionData>(
      { errors: { form: `Too many reset requests. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` }, values },
      { status: 429, headers: { 'Retry-After': String(minutes * 60) } },
    )
  }
  await requestPasswordReset(email)
  return redirect('/forgot-password/sent')
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const errors = actionData?.errors
  return (
    <div className="form">
      <h1>Reset your password</h1>
      <p className="lead">Enter the email address you use for SectorPulse. We will send you a link to choose a new password.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
          defaultValue={actionData?.values.email}
          error={errors?.email}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Sending…' : 'Send the link'}
        </button>
      </Form>
      <p>
        Remembered it? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  )
}
