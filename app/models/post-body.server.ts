import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { findMentionCandidates, mentionedHandles, renderMarkdown, SHOWN_UNDER } from '../lib/markdown.server'
import type { PostPlace } from '../lib/discussion-validation'
import { resolveMentionedHandles } from './handle.server'

export const BODY_MAX_LENGTH = 20_000

/**
 * Renders a post body once, at write time, linking the `@handle`s that name real members. Its
 * headings nest under the post's own: an opening post's is an h2, a reply's an h3.
 */
export async function renderPostBody(
  trx: Kysely<Database>,
  source: string,
  place: PostPlace,
): Promise<{ html: string; mentionedUserIds: number[] }> {
  const { mentions, userIdsByHandle } = await resolveMentionedHandles(trx, findMentionCandidates(source).slice(0, 50))
  const html = renderMarkdown(source, { mentions, headingsUnder: SHOWN_UNDER[place] })
  return { html, mentionedUserIds: mentionedHandles(html).flatMap((handle) => userIdsByHandle.get(handle) ?? []) }
}

export async function saveMentions(
  trx: Kysely<Database>,
  postId: number,
  userIds: number[],
  createdAt: string,
): Promise<void> {
  await trx.deleteFrom('post_mentions').where('post_id', '=', postId).execute()
  if (userIds.length) {
    await trx
      .insertInto('post_mentions')
      .values(userIds.map((user_id) => ({ post_id: postId, user_id, created_at: createdAt })))
      .execute()
  }
}

/** A plain-text excerpt of Markdown, for lists and the moderation queue. */
export function excerpt(markdown: string, length = 180): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text
}

/** What a body will look like once posted, as an opening post or a reply; nothing is saved. */
export async function previewPostBody(source: string, place: PostPlace): Promise<string> {
  return (await renderPostBody(db, source, place)).html
}
