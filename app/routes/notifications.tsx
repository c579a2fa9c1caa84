import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { RelativeTime } from '../components/time'
import { requireUser } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm, recordId } from '../lib/forms'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../models/notification.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Notifications') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const before = new URL(request.url).searchParams.get('before')
  const { notifications, nextCursor } = await listNotifications(user.id, { before, viewerZone: user.time_zone })
  return json({ notifications, nextCursor, isFirstPage: !before, now: new Date().toISOString() })
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: recordId() }),
  z.object({ intent: z.literal('read-all') }),
])

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const parsed = parseForm(await readForm(request), actionSchema)
  if (!parsed.ok) return json({ error: 'Choose a notification to mark as read.' }, { status: 400 })
  if (parsed.data.intent === 'read-all') {
    const count = await markAllNotificationsRead(user.id)
    return redirectWithFlash('/notifications', count ? 'All your notifications are marked as read.' : 'You have no unread notifications.')
  }
  await markNotificationRead(user.id, parsed.data.id)
  return redirectWithFlash('/notifications', 'Marked as read.')
}

export default function Notifications() {
  const { notifications, nextCursor, isFirstPage, now } = useLoaderData<typeof loader>()
  const unread = notifications.filter((n) => !n.isRead).length
  return (
    <div className="notifications-page">
      <h1>Notifications</h1>
      <p>
        Replies, mentions, decisions on your cases and changes to your events.{' '}
        <Link to="/settings/notifications">Choose which emails you get</Link> ·{' '}
        <Link to="/settings/following">What you follow</Link>
      </p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="button button--secondary button--small">
            Mark all as read
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p className="empty">
          {isFirstPage
            ? 'Nothing yet. You will hear here when someone replies to you, mentions you or decides on your case, and about what you follow.'
            : 'No older notifications.'}
        </p>
      ) : (
        <ol className="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.isRead ? 'notification' : 'notification notification--unread'}>
              <p className="notification__text">
                {n.isRead ? null : <strong className="notification__badge">Unread: </strong>}
                <Link to={`/notifications/${n.id}/open`}>{n.text}</Link>
              </p>
              {n.detail ? <p className="notification__detail">{n.detail}</p> : null}
              {n.nextStep ? <p className="notification__detail">{n.nextStep}</p> : null}
              <p className="notification__meta">
                <RelativeTime iso={n.updatedAt} now={now} /> · <span>{n.reason}</span>
              </p>
              {n.isRead ? null : (
                <Form method="post" className="notification__action">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button">
                    Mark as read<span className="visually-hidden">: {n.text}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      {nextCursor || !isFirstPage ? (
        <nav className="pagination" aria-label="Notification pages">
          <ul>
            {!isFirstPage ? (
              <li>
                <Link to="/notifications">Newest</Link>
              </li>
            ) : null}
            {nextCursor ? (
              <li>
                <Link to={`/notifications?before=${encodeURIComponent(nextCursor)}`} rel="next">
                  Older notifications
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </div>
  )
}
