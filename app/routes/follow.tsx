import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { z } from 'zod'
import { FOLLOW_TARGETS, THREAD_LEVELS } from '../../db/schema'
import { requireUser } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm } from '../lib/forms'
import { safeRedirect } from '../lib/safe-redirect'
import { setFollow } from '../models/follow.server'

const followSchema = z.object({
  targetType: z.enum(FOLLOW_TARGETS, { errorMap: () => ({ message: 'Choose what to follow.' }) }),
  targetId: z.coerce.number({ invalid_type_error: 'Choose what to follow.' }).int().positive('Choose what to follow.'),
  level: z.enum([...THREAD_LEVELS, 'unfollow'], { errorMap: () => ({ message: 'Choose how to follow it.' }) }),
  redirectTo: z.string().optional(),
})

const CONFIRMATIONS = {
  watching: 'You are watching this thread: you will hear about every new post.',
  tracking: 'You are tracking this thread: you will hear about replies to you and mentions.',
  normal: 'This thread is back to normal: you will hear only when someone mentions or quotes you.',
  muted: 'This thread is muted: you will not hear about it.',
} as const

/** Follow, unfollow, or set a thread's level: one action for every follow button on the site. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const back = safeRedirect(formData.get('redirectTo'), '/settings/following')
  const parsed = parseForm(formData, followSchema)
  // The form's fields are all fixed by the page, so a bad value is a tampered request.
  if (!parsed.ok) throw new Response(Object.values(parsed.errors)[0], { status: 400 })
  const { targetType, targetId, level } = parsed.data
  const outcome = await setFollow(user.id, targetType, targetId, level === 'unfollow' ? null : level)
  if (!outcome.ok) throw new Response(outcome.message, { status: outcome.status })
  const message =
    targetType === 'thread' && level !== 'unfollow'
      ? CONFIRMATIONS[level]
      : level === 'unfollow'
        ? 'You no longer follow it.'
        : 'You follow it now. New activity will reach your notifications.'
  return redirectWithFlash(back, message)
}

export async function loader() {
  return redirect('/settings/following')
}
