import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorSummary, TextField } from '../components/forms'
import { requireUser } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { accountMailsByMember, failedLoginsByAccount } from '../lib/rate-limit.server'
import { changeEmailSchema } from '../lib/user-validation'
import { requestEmailChange } from '../models/account.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Change your email address') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ email: user.email })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const values = typedValues(formData)
  delete values.currentPassword
  const fail = (errors: FieldErrors, status: number) => json<ActionData>({ errors, values }, { status })
  const parsed = parseForm(formData, changeEmailSchema)
  if (!parsed.ok) return fail(parsed.errors, 400)

  // Guessing the current password from a stolen session counts against the sign-in limit.
  const accountKey = `account:${user.email}`
  if (!(await failedLoginsByAccount.consume(accountKey))) {
    return fail({ currentPassword: 'Too many wrong passwords. Wait 15 minutes and try again.' }, 429)
  }
  if (!(await accountMailsByMember.consume(`member:${user.id}`))) {
    await failedLoginsByAccount.refund(accountKey)
    return fail({ email: 'We have sent several emails already. Wait an hour before asking again.' }, 429)
  }
  const requested = await requestEmailChange(user.id, parsed.data.currentPassword, parsed.data.email)
  if (!requested.ok) {
    if (requested.field === 'email') await failedLoginsByAccount.refund(accountKey)
    await accountMailsByMember.refund(`member:${user.id}`)
    return fail({ [requested.field]: requested.message }, requested.field === 'currentPassword' ? 401 : 400)
  }
  await failedLoginsByAccount.refund(accountKey)
  return redirectWithFlash(
    '/settings/email',
    `We have sent a link to ${parsed.data.email}. Follow it within 24 hours to start using that address. Until then, nothing changes.`,
  )
}

export default function ChangeEmail() {
  const { email } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const errors = actionData?.errors
  return (
    <div className="form">
      <p className="breadcrumbs">
        <Link to="/settings">Settings</Link>
      </p>
      <h1>Change your email address</h1>
      <p>
        Your email address is <strong>{email}</strong>. We send a link to the new address; the change happens when you
        follow it. We also tell this address, with a link to undo the change for 7 days.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label="New email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
          defaultValue={actionData?.values.email}
          error={errors?.email}
          hint="A government address gives you the “Verified government email” mark."
        />
        <TextField
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.currentPassword}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Sending…' : 'Send a confirmation link'}
        </button>
      </Form>
    </div>
  )
}
