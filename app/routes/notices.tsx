import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { requireUser } from '../lib/auth.server'
import { readForm } from '../lib/forms'
import { safeRedirect } from '../lib/safe-redirect'
import { dismissNotices } from '../models/event.server'

/** Marks the member's notices as read. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  await dismissNotices(user.id)
  return redirect(safeRedirect(formData.get('redirectTo'), '/'))
}

export async function loader() {
  return redirect('/')
}
