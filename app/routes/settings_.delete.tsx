import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { choiceId, ErrorSummary, TextField } from '../components/forms'
import { clearSessionCookie, requireSession } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm } from '../lib/forms'
import { FORMER_MEMBER_NAME } from '../lib/member-labels'
import { failedLoginsByAccount } from '../lib/rate-limit.server'
import { type DeletionChoice, deleteAccountSchema } from '../lib/user-validation'
import { deleteAccount } from '../models/account-deletion.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Delete your account', 'Settings') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSession(request)
  return json({})
}

type ActionData = { errors: FieldErrors; posts: string | null }

export async function action({ request }: ActionFunctionArgs) {
  // Once the account is gone its session is gone too: a replayed form only meets the sign-in page.
  const session = await requireSession(request)
  const formData = await readForm(request)
  const posts = typeof formData.get('posts') === 'string' ? String(formData.get('posts')) : null
  const fail = (errors: FieldErrors, status = 400) => json<ActionData>({ errors, posts }, { status })
  const parsed = parseForm(formData, deleteAccountSchema)
  if (!parsed.ok) return fail(parsed.errors)
  // Guessing the password from a stolen session counts against the sign-in limit.
  const accountKey = `account:${session.user.email}`
  if (!(await failedLoginsByAccount.consume(accountKey))) {
    return fail({ password: 'Too many wrong passwords. Wait 15 minutes and try again.' }, 429)
  }
  const deleted = await deleteAccount(session.user.id, parsed.data.password, parsed.data.posts)
  if (!deleted.ok) return fail({ [deleted.field ?? 'form']: deleted.message }, deleted.status)
  return redirectWithFlash('/', 'Your account has been deleted. Thank you for being part of SectorPulse.', {
    'Set-Cookie': await clearSessionCookie(),
  })
}

const CHOICES: { value: DeletionChoice; label: string; hint: string }[] = [
  {
    value: 'keep',
    label: `Keep my posts, credited to “${FORMER_MEMBER_NAME}”`,
    hint: 'Your threads and replies stay readable for the members who learned from them, with no name or link to you.',
  },
  {
    value: 'remove',
    label: 'Remove my posts',
    hint: 'Each of your posts becomes a “deleted by its author” placeholder and its text is erased. A thread you started stays (with its title) only if others replied to it.',
  },
]

export default function DeleteAccount() {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors = actionData?.errors
  return (
    <div className="form">
      <p className="breadcrumbs">
        <Link to="/settings">Settings</Link>
      </p>
      <h1>Delete your account</h1>
      <p>
        This cannot be undone. You may want to <Link to="/settings/export">download your data</Link> first.
      </p>
      <p>Deleting your account:</p>
      <ul>
        <li>signs you out everywhere and turns off your private calendar address;</li>
        <li>
          erases your email address, name, handle, bio, organization, job title, password, time zone, preferences, follows
          and notifications;
        </li>
        <li>deletes your draft and unpublished cases, your readiness assessments and your RSVPs (your places go to the waitlist);</li>
        <li>
          keeps your published cases in the library: credited to “{FORMER_MEMBER_NAME}”, and anonymous ones stay anonymous,
          with nothing that leads back to you.
        </li>
      </ul>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <fieldset className={errors?.posts ? 'field field--error' : 'field'} aria-describedby={errors?.posts ? 'posts-error' : undefined}>
          <legend>What should happen to your posts?</legend>
          {errors?.posts ? (
            <span className="field-error" id="posts-error">
              <span className="visually-hidden">Error: </span>
              {errors.posts}
            </span>
          ) : null}
          <ul className="radio-list">
            {CHOICES.map((choice, index) => (
              <li key={choice.value}>
                <input
                  type="radio"
                  // The error summary links to the first choice.
                  id={choiceId('posts', choice.value, index)}
                  name="posts"
                  value={choice.value}
                  defaultChecked={actionData?.posts === choice.value}
                  aria-describedby={`posts-${choice.value}-hint`}
                />
                <span>
                  <label htmlFor={choiceId('posts', choice.value, index)}>{choice.label}</label>
                  <span className="hint" id={`posts-${choice.value}-hint`}>
                    {choice.hint}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </fieldset>
        <TextField
          name="password"
          label="Your password"
          type="password"
          autoComplete="current-password"
          required
          hint="To confirm it is you."
          error={errors?.password}
        />
        <button type="submit" className="button button--danger" disabled={navigation.state === 'submitting'}>
          Delete my account
        </button>
      </Form>
    </div>
  )
}
