import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { GOVERNMENT_LEVELS, MEMBER_TYPES } from '../../db/schema'
import { ErrorSummary, GuidelinesCheckbox, HoneypotField, NewPasswordField, SelectField, TextField } from '../components/forms'
import { getOptionalUser } from '../lib/auth.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { isHoneypotFilled } from '../lib/honeypot'
import { joinsByIp, retryAfterHeaders } from '../lib/rate-limit.server'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { joinSchema } from '../lib/user-validation'
import { joinAsMember } from '../models/user.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Join') }]

export const headers: HeadersFunction = retryAfterHeaders

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect('/')
  return null
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const values = typedValues(formData)
  const fail = (errors: FieldErrors, status = 400, headers?: HeadersInit) =>
    json<ActionData>({ errors, values }, { status, headers })

  if (isHoneypotFilled(formData)) return fail({ form: 'We could not create your account. Please try again.' })
  const parsed = parseForm(formData, joinSchema)
  if (!parsed.ok) return fail(parsed.errors)
  if (!(await joinsByIp.consume(context.clientIp))) {
    return fail({ form: 'Too many accounts have been created from your network. Try again later.' }, 429, {
      'Retry-After': String(await joinsByIp.retryAfterSeconds(context.clientIp)),
    })
  }

  const joined = await joinAsMember(parsed.data)
  if (!joined.ok) return fail({ [joined.field]: joined.message }, 409)
  // The same answer whether or not the address already had an account.
  return redirect('/join/check-email')
}

export default function Join() {
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const errors = actionData?.errors
  const values = actionData?.values ?? {}

  return (
    <div className="form">
      <h1>Join SectorPulse</h1>
      <p className="lead">Learn from peers who have delivered, rescued and cancelled public-sector technology projects.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <HoneypotField />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
          defaultValue={values.email}
          error={errors?.email}
          hint="Used to sign in. Never shown to other members. We will send a link to confirm it."
        />
        <TextField
          name="displayName"
          label="Display name"
          autoComplete="name"
          required
          maxLength={80}
          defaultValue={values.displayName}
          error={errors?.displayName}
        />
        <TextField
          name="handle"
          label="Handle"
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          required
          maxLength={30}
          defaultValue={values.handle}
          error={errors?.handle}
          hint="3 to 30 letters, numbers, hyphens or underscores. Others mention you as @handle."
        />
        <NewPasswordField name="password" label="Password" error={errors?.password} />
        <SelectField
          name="memberType"
          label="What kind of member are you?"
          required
          defaultValue={values.memberType ?? ''}
          error={errors?.memberType}
          options={MEMBER_TYPES.map((value) => ({ value, label: MEMBER_TYPE_LABELS[value] }))}
        />
        <TextField
          name="organization"
          label="Organization (optional)"
          autoComplete="organization"
          maxLength={120}
          defaultValue={values.organization}
          error={errors?.organization}
          hint="You can describe it generally, such as “a mid-size county human services agency”."
        />
        <SelectField
          name="governmentLevel"
          label="Level of government"
          required
          defaultValue={values.governmentLevel ?? ''}
          error={errors?.governmentLevel}
          options={GOVERNMENT_LEVELS.map((value) => ({ value, label: GOVERNMENT_LEVEL_LABELS[value] }))}
        />
        <GuidelinesCheckbox error={errors?.acceptGuidelines} checked={values.acceptGuidelines === 'on'} />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Creating your account…' : 'Create account'}
        </button>
      </Form>
      <p>
        Already a member? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  )
}
