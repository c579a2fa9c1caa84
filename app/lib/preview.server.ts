import type { SessionUser } from './auth.server'
import { type PostPlace, previewSchema } from './discussion-validation'
import { type FieldErrors, parseForm } from './forms'
import { TokenBucketLimiter } from './rate-limit.server'
import { previewPostBody } from '../models/post-body.server'

/**
 * Previews per member: the live preview asks at most about once a second while someone types,
 * and each costs a full render, so a burst of 30 and then one every two seconds.
 */
export const previewsByMember = new TokenBucketLimiter(30, 60_000, Date.now, 'previews-by-member')

export type Preview = { ok: true; html: string } | { ok: false; status: 400 | 429; errors: FieldErrors; headers: HeadersInit }

/** The one way a form's `body` is previewed: validated like a post, limited per member. */
export async function previewBody(user: SessionUser, formData: FormData, place: PostPlace): Promise<Preview> {
  const parsed = parseForm(formData, previewSchema)
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, headers: {} }
  const key = String(user.id)
  if (!(await previewsByMember.consume(key))) {
    const seconds = await previewsByMember.retryAfterSeconds(key)
    return {
      ok: false,
      status: 429,
      errors: { body: `Previews are coming too fast. The preview will work again in ${seconds} second${seconds === 1 ? '' : 's'}.` },
      headers: { 'Retry-After': String(seconds) },
    }
  }
  return { ok: true, html: await previewPostBody(parsed.data.body, place) }
}
