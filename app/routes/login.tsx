import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { ErrorSummary, TextField } from '../components/forms'
import { getOptionalUser, startSession } from '../lib/auth.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { failedLoginsByAccount, failedLoginsByIp, retryAfterHeaders } from '../lib/rate-limit.server'
import { safeRedirect } from '../lib/safe-redirect'
import { loginSchema } from '../lib/user-validation'
import { verifyLogin } from '../models/user.server'
import { measureInForce } from '../models/member-moderation.server'
import { appealPath } from '../lib/appeal-link.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Sign in') }]

export const headers: HeadersFunction = retryAfterHeaders

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect('/')
  return null
}

// One message for an unknown email and a wrong password, so the form cannot confirm who is a member.
export const WRONG_CREDENTIALS = 'The email address or password is not correct'

type ActionData = {
  errors: FieldErrors
  values: Record<string, string>
  suspension?: { until: string; reason: string | null; appealHref: string | null }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const values = typedValues(formData)
  const fail = (errors: FieldErrors, status: number, headers?: HeadersInit) =>
    json<ActionData>({ errors, values }, { status, headers })

  const parsed = parseForm(formData, loginSchema)
  if (!parsed.ok) return fail(parsed.errors, 400)
  const { email, password } = parsed.data

  // Take the tokens before the slow password check, so parallel guesses cannot all slip
  // past the limit; a successful sign-in gives them back.
  const accountKey = `account:${email}`
  const ipKey = `ip:${context.clientIp}`
  const accountAllowed = await failedLoginsByAccount.consume(accountKey)
  const ipAllowed = await failedLoginsByIp.consume(ipKey)
  if (!accountAllowed || !ipAllowed) {
    if (accountAllowed) await failedLoginsByAccount.refund(accountKey)
    if (ipAllowed) await failedLoginsByIp.refund(ipKey)
    const seconds = Math.max(await failedLoginsByAccount.retryAfterSeconds(accountKey), await failedLoginsByIp.retryAfterSeconds(ipKey))
    const minutes = Math.max(1, Math.ceil(seconds / 60))
    return fail(
      {
        form: `Too many failed sign-in attempts. For your security, wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      },
      429,
      { 'Retry-After': String(minutes * 60) },
    )
  }

  const userId = await verifyLogin(email, password)
  if (!userId) return fail({ form: WRONG_CREDENTIALS }, 401)
  await failedLoginsByAccount.refund(accountKey)
  await failedLoginsByIp.refund(ipKey)

  // Told only after the right password, so the form says nothing about an account to anyone else.
  const suspension = await measureInForce(userId, 'suspend')
  if (suspension) {
    return json<ActionData>(
      {
        errors: { form: `Your account is suspended ${suspension.until}, so you cannot sign in.` },
        values,
        suspension: {
          until: suspension.until,
          reason: suspension.reason,
          appealHref: suspension.decisionId ? appealPath(suspension.decisionId) : null,
        },
      },
      { status: 403 },
    )
  }

  return redirect(safeRedirect(formData.get('redirectTo'), '/'), {
    headers: { 'Set-Cookie': await startSession(userId) },
  })
}

export default function Login() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const submitting = useNavigation().state === 'submitting'
  const errors = actionData?.errors
  const values = actionData?.values ?? {}

  return (
    <div className="form">
      <h1>Sign in</h1>
      <ErrorSummary errors={errors} />
      {actionData?.suspension ? (
        <div className="notice">
          <p>Reason: {actionData.suspension.reason ?? 'No reason was recorded.'}</p>
          {actionData.suspension.appealHref ? (
            <p>
              If you think this decision was wrong, <Link to={actionData.suspension.appealHref}>appeal it</Link>: a
              moderator other than the one who decided will review it and you will hear the outcome by email.
            </p>
          ) : null}
        </div>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? values.redirectTo ?? '/'} />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
          defaultValue={values.email}
          error={errors?.email}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.password}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New to SectorPulse? <Link to="/join">Join</Link>.
      </p>
    </div>
  )
}
