import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { EMAIL_DELIVERIES } from '../../db/schema'
import { choiceId, ErrorSummary } from '../components/forms'
import { requireUser } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm } from '../lib/forms'
import { DELIVERY_LABELS, NOTIFICATION_KIND_NAMES, NOTIFICATION_KINDS, SUMMARY_HOUR } from '../lib/notification-kinds'
import { getEmailPreferences, saveEmailPreferences } from '../models/email-preference.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Email preferences', 'Settings') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ preferences: await getEmailPreferences(user.id), timeZone: user.time_zone })
}

const delivery = z.enum(EMAIL_DELIVERIES, { errorMap: () => ({ message: 'Choose when this email comes' }) })
const preferencesSchema = z.object(Object.fromEntries(NOTIFICATION_KIND_NAMES.map((kind) => [kind, delivery])) as Record<(typeof NOTIFICATION_KIND_NAMES)[number], typeof delivery>)

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm(await readForm(request), preferencesSchema)
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 })
  await saveEmailPreferences(user.id, parsed.data)
  return redirectWithFlash('/settings/notifications', 'Your email preferences are saved.')
}

export default function EmailPreferences() {
  const { preferences, timeZone } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="prose">
      <p className="breadcrumbs">
        <Link to="/settings">Settings</Link>
      </p>
      <h1>Email preferences</h1>
      <p>
        Everything also appears in your <Link to="/notifications">notifications</Link>. Choose, for each kind, whether it
        also comes by email right away, in a summary, or not at all. An email waits a few minutes first and is not sent
        if you have already seen it on the site.
      </p>
      <p className="hint">
        Summaries arrive after {SUMMARY_HOUR}:00 in your time zone ({timeZone ?? 'UTC until you choose one'};{' '}
        <Link to="/settings">change it in Settings</Link>): the daily one each morning, the weekly one on Monday morning,
        and only when there is something new.
      </p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" className="preferences-form">
        {NOTIFICATION_KIND_NAMES.map((kind) => (
          <fieldset key={kind} className="preference">
            <legend>{NOTIFICATION_KINDS[kind].label}</legend>
            {actionData?.errors?.[kind] ? (
              <span className="field-error">
                <span className="visually-hidden">Error: </span>
                {actionData.errors[kind]}
              </span>
            ) : null}
            <div className="preference__options">
              {EMAIL_DELIVERIES.map((option, index) => (
                <div className="radio" key={option}>
                  <input type="radio" id={choiceId(kind, option, index)} name={kind} value={option} defaultChecked={preferences[kind] === option} />
                  <label htmlFor={choiceId(kind, option, index)}>{DELIVERY_LABELS[option]}</label>
                </div>
              ))}
            </div>
          </fieldset>
        ))}
        <button type="submit" className="button">
          Save email preferences
        </button>
      </Form>
    </div>
  )
}
