import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { requireUser } from '../lib/auth.server'
import { openNotification } from '../models/notification.server'

/**
 * Following a notification marks it read and takes the member to the exact place. Like the
 * thread read marker, this GET changes only the reader's own unread state, and a cross-site
 * page cannot make a browser send it with the session cookie (SameSite=Lax), so it is safe.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = Number(params.id)
  const href = Number.isSafeInteger(id) && id > 0 ? await openNotification(user.id, id, user.time_zone) : null
  if (!href) throw new Response('You have no notification with that number.', { status: 404 })
  return redirect(href)
}
