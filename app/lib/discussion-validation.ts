import { z } from 'zod'
import { FLAG_REASONS } from '../../db/schema'
import { withinMarkdownLimits } from './markdown-limits'
import { singleLine } from './single-line'

export const TITLE_MIN = 8
export const TITLE_MAX = 150
export const BODY_MAX = 20_000
export const MAX_TAGS = 5

const BODY_TOO_LONG = `Posts must be ${BODY_MAX.toLocaleString('en-US')} characters or fewer`

export const bodySchema = withinMarkdownLimits(
  z.string({ required_error: 'Write your post' }).trim().min(1, 'Write your post').max(BODY_MAX, BODY_TOO_LONG),
)

/** Where a post's text is shown: its headings nest under the post's own heading there. */
export type PostPlace = 'openingPost' | 'reply'
export const placeOfPost = (postNumber: number): PostPlace => (postNumber === 1 ? 'openingPost' : 'reply')

/** A body to preview: like a post's, but empty is fine (there is just nothing to show). */
export const previewSchema = z.object({ body: withinMarkdownLimits(z.string().max(BODY_MAX, BODY_TOO_LONG).default('')) })
/** What the live preview says it previews; anything else previews a reply. */
export const postPlaceSchema = z.enum(['openingPost', 'reply']).catch('reply')

/** A form field that may be sent zero, one or many times (checkboxes), as a list without blanks. */
export const listOf = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean))

export const newThreadSchema = z.object({
  category: z.string({ required_error: 'Choose a category' }).min(1, 'Choose a category'),
  title: singleLine(
    'Title',
    z
      .string({ required_error: 'Enter a title' })
      .min(TITLE_MIN, `Title must be at least ${TITLE_MIN} characters`)
      .max(TITLE_MAX, `Title must be ${TITLE_MAX} characters or fewer`),
  ),
  body: bodySchema,
  tags: listOf.refine((tags) => tags.length <= MAX_TAGS, `Choose up to ${MAX_TAGS} tags`),
})

export const replySchema = z.object({ body: bodySchema })

export const FLAG_REASON_LABELS: Record<(typeof FLAG_REASONS)[number], string> = {
  'off-topic': 'Off-topic: it does not belong in this thread',
  inappropriate: 'Inappropriate: a reasonable member would find it offensive or abusive',
  spam: 'Spam: an advertisement or promotion',
  other: 'Something else',
}

export const flagSchema = z
  .object({
    reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: 'Choose why you are flagging this post' }) }),
    note: z.string().trim().max(500, 'Keep the explanation to 500 characters or fewer').optional(),
  })
  .refine((flag) => flag.reason !== 'other' || !!flag.note, {
    path: ['note'],
    message: 'Tell the moderators what is wrong with this post',
  })

export const moderationReasonSchema = singleLine(
  'The reason',
  z
    .string()
    .max(500, 'Keep the reason to 500 characters or fewer')
    .optional()
    .transform((value) => value || null),
)
