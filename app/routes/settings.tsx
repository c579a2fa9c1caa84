import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GOVERNMENT_LEVELS, MEMBER_TYPES } from '../../db/schema'
import { CheckboxGroupField, ErrorSummary, NewPasswordField, SelectField, TextAreaField, TextField } from '../components/forms'
import { requireSession } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { failedLoginsByAccount } from '../lib/rate-limit.server'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { BIO_MAX_LENGTH, changePasswordSchema, JOB_TITLE_MAX_LENGTH, memberProfileSchema } from '../lib/user-validation'
import { createCalendarToken, hasCalendarToken, revokeCalendarToken } from '../models/calendar-token.server'
import { changePassword, setTimeZone } from '../models/user.server'
import { getProfileSettings, listExperienceChoices, updateMemberProfile } from '../models/member-profile.server'
import { HANDLE_RESERVATION_DAYS } from '../lib/handle-rules'
import { isValidTimeZone, listTimeZones } from '../lib/time-zones'
import { TimeZoneField } from '../components/time-zone-field'
import { siteUrl } from '../lib/site-url'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Settings') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSession(request)
  const [hasCalendarFeed, profile, experienceChoices] = await Promise.all([
    hasCalendarToken(user.id),
    getProfileSettings(user.id),
    listExperienceChoices(),
  ])
  return json({
    timeZone: user.time_zone,
    timeZones: listTimeZones(),
    hasCalendarFeed,
    email: user.email,
    profile,
    experienceChoices,
  })
}

type ActionData = {
  intent: 'profile' | 'password' | 'timezone' | 'calendar'
  errors: FieldErrors
  values: Record<string, string>
  experience?: string[]
  calendarUrl?: string
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireSession(request)
  const formData = await readForm(request)
  const values = typedValues(formData)

  const intent = formData.get('intent')
  if (intent === 'timezone') {
    const zone = String(formData.get('timeZone') ?? '')
    if (zone && !isValidTimeZone(zone)) {
      return json<ActionData>({ intent: 'timezone', errors: { timeZone: 'Choose a time zone from the list' }, values }, { status: 400 })
    }
    await setTimeZone(session.user.id, zone || null)
    return redirectWithFlash('/settings', 'Your time zone is saved. Event times now show in it too.')
  }
  if (intent === 'calendar-new') {
    const token = await createCalendarToken(session.user.id)
    const calendarUrl = `${siteUrl()}/events/calendar/${token}.ics`
    return json<ActionData>({ intent: 'calendar', errors: {}, values: {}, calendarUrl })
  }
  if (intent === 'calendar-revoke') {
    await revokeCalendarToken(session.user.id)
    return redirectWithFlash('/settings', 'Your calendar address no longer works.')
  }

  if (intent === 'password') {
    const fail = (errors: FieldErrors, status = 400) =>
      json<ActionData>({ intent: 'password', errors, values }, { status })
    const parsed = parseForm(formData, changePasswordSchema)
    if (!parsed.ok) return fail(parsed.errors)
    // Guessing the current password from a stolen session counts against the sign-in limit.
    const accountKey = `account:${session.user.email}`
    if (!(await failedLoginsByAccount.consume(accountKey))) {
      return fail({ currentPassword: 'Too many wrong passwords. Wait 15 minutes and try again.' }, 429)
    }
    const changed = await changePassword(
      session.user.id,
      session.id,
      parsed.data.currentPassword,
      parsed.data.newPassword,
    )
    if (!changed.ok) return fail({ currentPassword: changed.message })
    await failedLoginsByAccount.refund(accountKey)
    return redirectWithFlash('/settings', 'Your password has been changed. Any other devices have been signed out.')
  }

  const refuseProfile = (errors: FieldErrors, status = 400) =>
    json<ActionData>({ intent: 'profile', errors, values, experience: formData.getAll('experience').map(String) }, { status })
  const parsed = parseForm(formData, memberProfileSchema)
  if (!parsed.ok) return refuseProfile(parsed.errors)
  const saved = await updateMemberProfile(session.user.id, parsed.data)
  if (!saved.ok) return refuseProfile({ [saved.field ?? 'form']: saved.message }, saved.status)
  return redirectWithFlash('/settings', 'Your profile has been saved.')
}

export default function Settings() {
  const { email, profile, experienceChoices, timeZone, timeZones, hasCalendarFeed } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busyIntent = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null
  const profileErrors = actionData?.intent === 'profile' ? actionData.errors : undefined
  const passwordErrors = actionData?.intent === 'password' ? actionData.errors : undefined
  const typed = actionData?.intent === 'profile' ? actionData.values : undefined
  const checkedExperience = new Set(actionData?.intent === 'profile' ? actionData.experience : profile.experience)
  const listed = typed ? typed.listed === 'yes' : profile.listed

  return (
    <div className="form">
      <h1>Settings</h1>
      <p>
        Signed in as <strong>{email}</strong>. Your public profile is{' '}
        <Link to={`/members/${profile.handle}`}>@{profile.handle}</Link>.
      </p>
      <p>
        <Link to="/settings/email">Change your email address</Link>
      </p>

      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ErrorSummary errors={profileErrors} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <TextField
            name="displayName"
            label="Display name"
            autoComplete="name"
            required
            maxLength={80}
            defaultValue={typed?.displayName ?? profile.displayName}
            error={profileErrors?.displayName}
          />
          <TextField
            name="handle"
            label="Handle"
            autoComplete="username"
            required
            maxLength={30}
            hint={`Your address is /members/<handle> and others mention you as @handle. After a change, your old handle keeps working (links and mentions lead to you) and nobody else can take it for ${HANDLE_RESERVATION_DAYS} days.`}
            defaultValue={typed?.handle ?? profile.handle}
            error={profileErrors?.handle}
          />
          <TextField
            name="jobTitle"
            label="Job title (optional)"
            autoComplete="organization-title"
            maxLength={JOB_TITLE_MAX_LENGTH}
            defaultValue={typed?.jobTitle ?? profile.jobTitle}
            error={profileErrors?.jobTitle}
          />
          <SelectField
            name="memberType"
            label="Member type"
            required
            defaultValue={typed?.memberType ?? profile.memberType}
            error={profileErrors?.memberType}
            options={MEMBER_TYPES.map((value) => ({ value, label: MEMBER_TYPE_LABELS[value] }))}
          />
          <TextField
            name="organization"
            label="Organization (optional)"
            autoComplete="organization"
            maxLength={120}
            defaultValue={typed?.organization ?? profile.organization}
            error={profileErrors?.organization}
          />
          <SelectField
            name="governmentLevel"
            label="Level of government"
            required
            defaultValue={typed?.governmentLevel ?? profile.governmentLevel}
            error={profileErrors?.governmentLevel}
            options={GOVERNMENT_LEVELS.map((value) => ({ value, label: GOVERNMENT_LEVEL_LABELS[value] }))}
          />
          <TextAreaField
            name="bio"
            label="Bio (optional)"
            hint={`A few lines about you and your work, up to ${BIO_MAX_LENGTH.toLocaleString('en-US')} characters. Markdown works.`}
            rows={4}
            maxLength={BIO_MAX_LENGTH}
            defaultValue={typed?.bio ?? profile.bio}
            error={profileErrors?.bio}
          />
          <CheckboxGroupField
            name="experience"
            legend="Experience you can share"
            hint="The failure modes you have lived through and the domains you have worked in. They show on your profile and help peers find you."
            error={profileErrors?.experience}
            options={[...experienceChoices['failure-mode'], ...experienceChoices.domain].map((term) => ({ value: term.slug, label: term.name }))}
            checked={checkedExperience}
          />
          <div className="checkbox-field">
            <input type="checkbox" id="listed" name="listed" value="yes" defaultChecked={listed} aria-describedby="listed-hint" />
            <label htmlFor="listed">List me in the member directory, so members can find me as someone who has been there</label>
          </div>
          <p className="hint" id="listed-hint">
            On unless you turn it off. Your profile page stays public either way.
          </p>
          <button type="submit" className="button" disabled={busyIntent === 'profile'}>
            Save profile
          </button>
        </Form>
      </section>

      <section aria-labelledby="timezone-heading">
        <h2 id="timezone-heading">Time zone</h2>
        <p>Event times are shown in each event's own zone and in yours.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="timezone" />
          <TimeZoneField zones={timeZones} current={timeZone} error={actionData?.intent === 'timezone' ? actionData.errors.timeZone : undefined} />
          <button type="submit" className="button" disabled={busyIntent === 'timezone'}>
            Save time zone
          </button>
        </Form>
      </section>

      <section aria-labelledby="calendar-heading">
        <h2 id="calendar-heading">Your events calendar</h2>
        <p>
          A private calendar address with the events you are going to, for Outlook, Google Calendar or Apple Calendar.
          Anyone with the address can see that list, so keep it to yourself. Making a new one stops the old one working.
        </p>
        {actionData?.calendarUrl ? (
          <div className="notice notice--success" role="status">
            <p>Your calendar address (shown once; copy it now):</p>
            <p>
              <code className="secret-url">{actionData.calendarUrl}</code>
            </p>
          </div>
        ) : null}
        <div className="mod-tools__row">
          <Form method="post">
            <button type="submit" name="intent" value="calendar-new" className="button button--secondary">
              {hasCalendarFeed ? 'Make a new address' : 'Make my calendar address'}
            </button>
          </Form>
          {hasCalendarFeed ? (
            <Form method="post">
              <button type="submit" name="intent" value="calendar-revoke" className="button button--secondary">
                Turn off the address
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Your data and your account</h2>
        <ul>
          <li>
            <Link to="/settings/export">Download your data</Link>: everything you wrote or saved here, as a JSON file.
          </li>
          <li>
            <Link to="/appeals">Moderation decisions about you</Link>: who decided, why, and the state of your appeals.
          </li>
          <li>
            <Link to="/settings/delete">Delete your account</Link>
          </li>
        </ul>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <p>Changing your password signs you out on every other device.</p>
        <ErrorSummary errors={passwordErrors} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="password" />
          <TextField
            name="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            error={passwordErrors?.currentPassword}
          />
          <NewPasswordField name="newPassword" label="New password" error={passwordErrors?.newPassword} />
          <TextField
            name="confirmPassword"
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            required
            error={passwordErrors?.confirmPassword}
          />
          <button type="submit" className="button" disabled={busyIntent === 'password'}>
            Change password
          </button>
        </Form>
      </section>
    </div>
  )
}
