import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { requireUser } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { readForm } from '../lib/forms'
import { accountMailsByMember } from '../lib/rate-limit.server'
import { safeRedirect } from '../lib/safe-redirect'
import { resendEmailConfirmation } from '../models/account.server'

// The "Resend the confirmation email" button every page shows an unconfirmed member.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const back = safeRedirect((await readForm(request)).get('redirectTo'), '/')
  if (user.email_verified_at) return redirectWithFlash(back, 'Your email address is already confirmed.')
  if (!(await accountMailsByMember.consume(`member:${user.id}`))) {
    const minutes = Math.max(1, Math.ceil(await accountMailsByMember.retryAfterSeconds(`member:${user.id}`) / 60))
    return redirectWithFlash(back, `We have sent several emails already. Wait ${minutes} minute${minutes === 1 ? '' : 's'} before asking for another.`)
  }
  await resendEmailConfirmation(user.id)
  return redirectWithFlash(back, `We have sent a new confirmation link to ${user.email}. It works for 24 hours.`)
}

export const loader = () => redirect('/')
