import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DELIVERY_LABELS, NOTIFICATION_KINDS } from '../lib/notification-kinds'
import { turnOffEmail } from '../models/email-preference.server'
import { readUnsubscribeToken, userExists } from '../models/notification-mail.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Unsubscribe') }, { name: 'robots', content: 'noindex' }]

async function subscriptionFrom(token: string | undefined) {
  const found = token ? readUnsubscribeToken(token) : null
  if (!found || !(await userExists(found.userId))) {
    throw new Response('This unsubscribe link is not valid. Sign in and choose your email preferences in Settings.', { status: 404 })
  }
  return found
}

function describeScope(scope: ReturnType<typeof readUnsubscribeToken> & object) {
  return scope.scope === 'daily' || scope.scope === 'weekly'
    ? `the ${scope.scope} summary (everything set to “${DELIVERY_LABELS[scope.scope].toLowerCase()}”)`
    : `emails about “${NOTIFICATION_KINDS[scope.scope].label.toLowerCase()}”`
}

/** Opening the link asks first (GET never changes anything); mail clients post directly. */
export async function loader({ params }: LoaderFunctionArgs) {
  return json({ what: describeScope(await subscriptionFrom(params.token)) })
}

/**
 * RFC 8058 one-click: the mail provider POSTs `List-Unsubscribe=One-Click` here with no cookie
 * and no Origin header; the signed token is the whole authority, and it can only turn email off.
 */
export async function action({ params }: ActionFunctionArgs) {
  const found = await subscriptionFrom(params.token)
  await turnOffEmail(found.userId, found.scope)
  return json({ done: describeScope(found) })
}

export default function Unsubscribe() {
  const { what } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <div className="prose">
      <h1>{result ? 'You are unsubscribed' : 'Unsubscribe'}</h1>
      {result ? (
        <p role="status">You will no longer get {result.done} by email. You still see them in your notifications on the site.</p>
      ) : (
        <>
          <p>Stop getting {what} by email? You will still see them in your notifications on the site.</p>
          <Form method="post">
            <button type="submit" className="button">
              Unsubscribe
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/settings/notifications">Choose all your email preferences</Link> (you may need to sign in).
      </p>
    </div>
  )
}
