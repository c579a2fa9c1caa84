import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { recordActivity } from './activity.server'
import { trackThreadByDefault } from './follow.server'
import { excerpt, renderPostBody, saveMentions } from './post-body.server'
import { pageOfPost, POSTS_PER_PAGE } from '../lib/discussion-paths'
import { placeOfPost } from '../lib/discussion-validation'
import { type Actor, DUPLICATE_WINDOW_MS, isDuplicatePost, isModerator, noteThreadChanged, type WriteOptions } from './thread.server'
import { participationRefusal } from './participation.server'

export const REPLY_INTERVAL_MS = 10_000
export { DUPLICATE_WINDOW_MS }

export type PostVisibility = 'visible' | 'deleted' | 'hidden-by-moderator' | 'hidden-by-flags'

export interface PostView {
  id: number
  number: number
  author: { handle: string; displayName: string; verifiedPublicServant: boolean }
  /** Null when the reader may not see the text (deleted, or hidden from a non-moderator). */
  bodyHtml: string | null
  visibility: PostVisibility
  hiddenReason: string | null
  helpfulCount: number
  createdAt: string
  editedAt: string | null
  isAccepted: boolean
  viewer: {
    markedHelpful: boolean
    flagged: boolean
    canEdit: boolean
    canDelete: boolean
    canMarkHelpful: boolean
    canFlag: boolean
    canAccept: boolean
    canQuote: boolean
    canModerate: boolean
  }
}

export interface ThreadPage {
  thread: {
    id: number
    slug: string
    title: string
    isLocked: boolean
    isPinned: boolean
    createdAt: string
    replyCount: number
    helpfulCount: number
    category: { slug: string; name: string }
    tags: { slug: string; name: string }[]
    author: { handle: string; displayName: string }
    lastPostNumber: number
  }
  posts: PostView[]
  accepted: PostView | null
  page: number
  pageCount: number
  viewer: { canReply: boolean; isModerator: boolean; isAuthor: boolean }
}

function visibilityOf(post: { is_deleted: number; hidden_at: string | null; hidden_by_id: number | null }): PostVisibility {
  if (post.is_deleted) return 'deleted'
  if (post.hidden_at) return post.hidden_by_id ? 'hidden-by-moderator' : 'hidden-by-flags'
  return 'visible'
}

/**
 * A page of a thread with everything the reader needs, in a fixed number of queries whatever
 * the thread's length: thread, tags, posts, the accepted answer, the reader's marks and flags.
 */
export async function getThreadPage(threadId: number, requestedPage: number, viewer: Actor | null): Promise<ThreadPage | null> {
  const thread = await db
    .selectFrom('threads as t')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .innerJoin('users as u', 'u.id', 't.author_id')
    .select([
      't.id',
      't.slug',
      't.title',
      't.is_locked',
      't.is_pinned',
      't.created_at',
      't.reply_count',
      't.helpful_count',
      't.last_post_number',
      't.accepted_post_id',
      't.author_id',
      'c.slug as category_slug',
      'c.name as category_name',
      'u.handle as author_handle',
      'u.display_name as author_name',
    ])
    .where('t.id', '=', threadId)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirst()
  if (!thread) return null

  const pageCount = pageOfPost(thread.last_post_number)
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount)
  const first = (page - 1) * POSTS_PER_PAGE + 1
  const last = page * POSTS_PER_PAGE

  const tags = await db
    .selectFrom('thread_tags as tt')
    .innerJoin('taxonomy_terms as term', 'term.id', 'tt.term_id')
    .select(['term.slug', 'term.name'])
    .where('tt.thread_id', '=', threadId)
    .orderBy('term.position')
    .execute()

  const postRows = await db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.number',
      'p.author_id',
      'p.body_html',
      'p.is_deleted',
      'p.hidden_at',
      'p.hidden_by_id',
      'p.hidden_reason',
      'p.helpful_count',
      'p.created_at',
      'p.edited_at',
      'u.handle',
      'u.display_name',
      'u.public_servant_verified_by',
    ])
    .where('p.thread_id', '=', threadId)
    .where((eb) =>
      eb.or([
        eb.between('p.number', first, last),
        ...(thread.accepted_post_id ? [eb('p.id', '=', thread.accepted_post_id)] : []),
      ]),
    )
    .orderBy('p.number')
    .execute()

  const postIds = postRows.map((row) => row.id)
  const [helpfulRows, flagRows] =
    viewer && postIds.length
      ? await Promise.all([
          db.selectFrom('post_helpful').select('post_id').where('user_id', '=', viewer.id).where('post_id', 'in', postIds).execute(),
          db.selectFrom('flags').select('post_id').where('user_id', '=', viewer.id).where('post_id', 'in', postIds).execute(),
        ])
      : [[], []]
  const helpful = new Set(helpfulRows.map((row) => row.post_id))
  const flagged = new Set(flagRows.map((row) => row.post_id))
  const moderator = isModerator(viewer)
  const isThreadAuthor = viewer?.id === thread.author_id

  const toView = (row: (typeof postRows)[number]): PostView => {
    const visibility = visibilityOf(row)
    const own = viewer?.id === row.author_id
    const live = visibility === 'visible'
    return {
      id: row.id,
      number: row.number,
      author: { handle: row.handle, displayName: row.display_name, verifiedPublicServant: row.public_servant_verified_by !== null },
      bodyHtml: visibility === 'deleted' || (!live && !moderator) ? null : row.body_html,
      visibility,
      hiddenReason: moderator ? row.hidden_reason : null,
      helpfulCount: row.helpful_count,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      isAccepted: row.id === thread.accepted_post_id,
      viewer: {
        markedHelpful: helpful.has(row.id),
        flagged: flagged.has(row.id),
        canEdit: own && visibility !== 'deleted',
        canDelete: own && visibility !== 'deleted' && !(row.number === 1 && thread.reply_count > 0),
        canMarkHelpful: !!viewer && !own && live,
        canFlag: !!viewer && !own && live && !flagged.has(row.id),
        canAccept: isThreadAuthor && row.number > 1 && live,
        canQuote: !!viewer && live && (!thread.is_locked || moderator),
        canModerate: moderator && visibility !== 'deleted',
      },
    }
  }

  const posts = postRows.filter((row) => row.number >= first && row.number <= last).map(toView)
  const acceptedRow = postRows.find((row) => row.id === thread.accepted_post_id)

  return {
    thread: {
      id: thread.id,
      slug: thread.slug,
      title: thread.title,
      isLocked: !!thread.is_locked,
      isPinned: !!thread.is_pinned,
      createdAt: thread.created_at,
      replyCount: thread.reply_count,
      helpfulCount: thread.helpful_count,
      category: { slug: thread.category_slug, name: thread.category_name },
      tags,
      author: { handle: thread.author_handle, displayName: thread.author_name },
      lastPostNumber: thread.last_post_number,
    },
    posts,
    accepted: acceptedRow && visibilityOf(acceptedRow) === 'visible' ? toView(acceptedRow) : null,
    page,
    pageCount,
    viewer: {
      canReply: !!viewer && (!thread.is_locked || moderator),
      isModerator: moderator,
      isAuthor: isThreadAuthor,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export async function replyToThread(
  actor: Actor,
  threadId: number,
  body: string,
  options: WriteOptions = {},
): Promise<Outcome<{ number: number }>> {
  const now = options.now ?? new Date()
  const nowIso = now.toISOString()
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, actor)
    if (refusal) return refusal
    const thread = await trx
      .selectFrom('threads')
      .select(['id', 'is_locked', 'last_post_number'])
      .where('id', '=', threadId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (!thread) return refuse(404, 'This thread no longer exists.')
    noteThreadChanged(trx, threadId, actor.id)
    if (thread.is_locked && !isModerator(actor)) {
      return refuse(403, 'This thread is locked. No new replies can be added.')
    }
    if (!options.isDemo) {
      const latest = await trx
        .selectFrom('posts')
        .select('created_at')
        .where('author_id', '=', actor.id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (latest && now.getTime() - Date.parse(latest.created_at) < REPLY_INTERVAL_MS) {
        return refuse(429, 'You can post one reply every 10 seconds. Wait a moment and post again; your text is kept below.')
      }
      if (await isDuplicatePost(trx, actor.id, body, now.getTime())) {
        return refuse(400, 'You posted this exact text a moment ago. Change it or post something new.', 'body')
      }
    }

    const number = thread.last_post_number + 1
    const { html, mentionedUserIds } = await renderPostBody(trx, body, placeOfPost(number))
    const post = await trx
      .insertInto('posts')
      .values({ thread_id: threadId, author_id: actor.id, number, body_md: body, body_html: html, created_at: nowIso })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('post_revisions')
      .values({ post_id: post.id, editor_id: actor.id, body_md: body, body_html: html, created_at: nowIso })
      .execute()
    await saveMentions(trx, post.id, mentionedUserIds, nowIso)
    await trx
      .updateTable('threads')
      .set({
        last_post_number: number,
        last_posted_at: nowIso,
        reply_count: sql<number>`reply_count + 1`,
        updated_at: nowIso,
      })
      .where('id', '=', threadId)
      .execute()
    await trx
      .insertInto('thread_reads')
      .values({ user_id: actor.id, thread_id: threadId, last_read_number: number })
      .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet({ last_read_number: number }))
      .execute()
    if (!options.isDemo) {
      await trackThreadByDefault(trx, actor.id, threadId, nowIso)
      await recordActivity(trx, { kind: 'post_created', actorId: actor.id, threadId, postId: post.id }, now)
    }
    return ok({ number })
  }, options.trx)
}

export interface EditablePost {
  id: number
  threadId: number
  threadSlug: string
  threadTitle: string
  number: number
  authorId: number
  bodyMd: string
  isDeleted: boolean
  isHidden: boolean
}

export async function getPostForEditing(postId: number): Promise<EditablePost | undefined> {
  const row = await db
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.thread_id', 't.slug', 't.title', 'p.number', 'p.author_id', 'p.body_md', 'p.is_deleted', 'p.hidden_at'])
    .where('p.id', '=', postId)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      threadId: row.thread_id,
      threadSlug: row.slug,
      threadTitle: row.title,
      number: row.number,
      authorId: row.author_id,
      bodyMd: row.body_md,
      isDeleted: !!row.is_deleted,
      isHidden: !!row.hidden_at,
    }
  )
}

/** Only the author edits a post; every version is kept for the history. */
export async function editPost(actor: Actor, postId: number, body: string, now = new Date()): Promise<Outcome> {
  const nowIso = now.toISOString()
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, actor)
    if (refusal) return refusal
    const post = await trx
      .selectFrom('posts')
      .select(['id', 'thread_id', 'author_id', 'number', 'body_md', 'is_deleted'])
      .where('id', '=', postId)
      .executeTakeFirst()
    if (!post || post.is_deleted) return refuse(404, 'This post no longer exists.')
    if (post.author_id !== actor.id) return refuse(403, 'You can only edit your own posts.')
    noteThreadChanged(trx, post.thread_id)
    if (post.body_md === body) return ok()
    const previouslyMentioned = (await trx.selectFrom('post_mentions').select('user_id').where('post_id', '=', postId).execute()).map((m) => m.user_id)
    const { html, mentionedUserIds } = await renderPostBody(trx, body, placeOfPost(post.number))
    await trx.updateTable('posts').set({ body_md: body, body_html: html, edited_at: nowIso }).where('id', '=', postId).execute()
    await trx
      .insertInto('post_revisions')
      .values({ post_id: postId, editor_id: actor.id, body_md: body, body_html: html, created_at: nowIso })
      .execute()
    await saveMentions(trx, postId, mentionedUserIds, nowIso)
    if (mentionedUserIds.some((id) => !previouslyMentioned.includes(id))) {
      await recordActivity(trx, { kind: 'post_edited', actorId: actor.id, threadId: post.thread_id, postId, previouslyMentioned }, now)
    }
    return ok()
  })
}

export interface PostRevision {
  version: number
  bodyHtml: string
  bodyMd: string
  createdAt: string
}

/** Every version of a post, oldest first; none for a deleted post or one hidden from this reader. */
export async function getPostHistory(postId: number, viewer: Actor | null) {
  const post = await getPostForEditing(postId)
  if (!post || post.isDeleted) return null
  if (post.isHidden && !isModerator(viewer)) return { post, revisions: [] as PostRevision[], hidden: true }
  const rows = await db
    .selectFrom('post_revisions')
    .select(['body_html', 'body_md', 'created_at'])
    .where('post_id', '=', postId)
    .orderBy('id')
    .execute()
  const revisions: PostRevision[] = rows.map((row, index) => ({
    version: index + 1,
    bodyHtml: row.body_html,
    bodyMd: row.body_md,
    createdAt: row.created_at,
  }))
  return { post, revisions, hidden: false }
}

/**
 * A post that can still be acted on (not deleted, in a thread that exists), with what the
 * write rules need to know about it and its thread; undefined otherwise.
 */
export function findLivePost(trx: Kysely<Database>, postId: number) {
  return trx
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select([
      'p.id',
      'p.thread_id',
      'p.author_id',
      'p.number',
      'p.hidden_at',
      'p.helpful_count',
      't.reply_count',
      't.accepted_post_id',
      't.author_id as thread_author_id',
    ])
    .where('p.id', '=', postId)
    .where('p.is_deleted', '=', 0)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirst()
}

/**
 * The author deletes a post: it stays as a placeholder so numbering and links hold. An opening
 * post with replies cannot go; one without replies takes its thread with it.
 */
export async function deletePost(actor: Actor, postId: number, now = new Date()): Promise<Outcome<{ threadDeleted: boolean }>> {
  const nowIso = now.toISOString()
  return writeTransaction(async (trx) => {
    const post = await findLivePost(trx, postId)
    if (!post) return refuse(404, 'This post no longer exists.')
    if (post.author_id !== actor.id) return refuse(403, 'You can only delete your own posts.')
    noteThreadChanged(trx, post.thread_id)
    if (post.number === 1 && post.reply_count > 0) {
      return refuse(409, 'An opening post with replies cannot be deleted. You can edit it instead.')
    }
    await trx.updateTable('posts').set({ is_deleted: 1 }).where('id', '=', postId).execute()
    if (post.number === 1) {
      await trx.updateTable('threads').set({ deleted_at: nowIso, updated_at: nowIso }).where('id', '=', post.thread_id).execute()
      return ok({ threadDeleted: true })
    }
    await trx
      .updateTable('threads')
      .set({
        reply_count: sql<number>`reply_count - 1`,
        helpful_count: sql<number>`helpful_count - ${post.helpful_count}`,
        accepted_post_id: post.accepted_post_id === postId ? null : post.accepted_post_id,
        updated_at: nowIso,
      })
      .where('id', '=', post.thread_id)
      .execute()
    return ok({ threadDeleted: false })
  })
}

/** One helpful mark per member per post, and undoable; never on one's own post. */
export async function toggleHelpful(actor: Actor, postId: number, options: WriteOptions = {}): Promise<Outcome<{ marked: boolean }>> {
  const now = options.now ?? new Date()
  return writeTransaction(async (trx) => {
    const post = await findLivePost(trx, postId)
    if (!post) return refuse(404, 'This post no longer exists.')
    noteThreadChanged(trx, post.thread_id, actor.id)
    if (post.author_id === actor.id) return refuse(403, 'You cannot mark your own post as helpful.')
    const existing = await trx
      .selectFrom('post_helpful')
      .select('post_id')
      .where('post_id', '=', postId)
      .where('user_id', '=', actor.id)
      .executeTakeFirst()
    if (!existing && post.hidden_at) return refuse(403, 'This post is hidden.')
    // A mark counts toward what the community sees as helpful, so only a member who may take part
    // adds one (an unconfirmed account cannot inflate a count); anyone takes their own mark back.
    if (!existing) {
      const refusal = await participationRefusal(trx, actor)
      if (refusal) return refusal
    }
    const delta = existing ? -1 : 1
    if (existing) {
      await trx.deleteFrom('post_helpful').where('post_id', '=', postId).where('user_id', '=', actor.id).execute()
    } else {
      await trx.insertInto('post_helpful').values({ post_id: postId, user_id: actor.id, created_at: now.toISOString() }).execute()
    }
    await trx.updateTable('posts').set({ helpful_count: sql<number>`helpful_count + ${delta}` }).where('id', '=', postId).execute()
    await trx.updateTable('threads').set({ helpful_count: sql<number>`helpful_count + ${delta}` }).where('id', '=', post.thread_id).execute()
    if (!existing && !options.isDemo) {
      await recordActivity(trx, { kind: 'post_marked_helpful', actorId: actor.id, threadId: post.thread_id, postId }, now)
    }
    return ok({ marked: !existing })
  }, options.trx)
}

/** The thread's author marks one reply as the accepted answer, or takes the mark back. */
export async function toggleAcceptedAnswer(
  actor: Actor,
  postId: number,
  options: Pick<WriteOptions, 'trx' | 'isDemo'> = {},
): Promise<Outcome<{ accepted: boolean }>> {
  return writeTransaction(async (trx) => {
    const post = await findLivePost(trx, postId)
    if (!post) return refuse(404, 'This post no longer exists.')
    noteThreadChanged(trx, post.thread_id, actor.id)
    if (post.thread_author_id !== actor.id) return refuse(403, 'Only the person who started the thread can accept an answer.')
    if (post.number === 1) return refuse(400, 'The opening post cannot be the accepted answer.')
    const accepting = post.accepted_post_id !== postId
    if (accepting && post.hidden_at) return refuse(403, 'A hidden post cannot be the accepted answer.')
    await trx
      .updateTable('threads')
      .set({ accepted_post_id: accepting ? postId : null })
      .where('id', '=', post.thread_id)
      .execute()
    if (accepting && !options.isDemo) {
      await recordActivity(trx, { kind: 'answer_accepted', actorId: actor.id, threadId: post.thread_id, postId })
    }
    return ok({ accepted: accepting })
  }, options.trx)
}

/** The Markdown a reply starts from when quoting a post, or null when it cannot be quoted. */
export async function quoteForReply(postId: number, threadId: number): Promise<string | null> {
  const post = await db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select(['p.body_md', 'p.number', 'u.handle'])
    .where('p.id', '=', postId)
    .where('p.thread_id', '=', threadId)
    .where('p.is_deleted', '=', 0)
    .where('p.hidden_at', 'is', null)
    .executeTakeFirst()
  if (!post) return null
  const quoted = post.body_md
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n')
  return `> @${post.handle} wrote (post #${post.number}):\n>\n${quoted}\n\n`
}

/** A member's recent threads and replies for their profile; nothing deleted or hidden. */
export async function listMemberActivity(userId: number, limit = 10) {
  const [threads, replies] = await Promise.all([
    db
      .selectFrom('threads as t')
      .innerJoin('categories as c', 'c.id', 't.category_id')
      .innerJoin('posts as p', (join) => join.onRef('p.thread_id', '=', 't.id').on('p.number', '=', 1))
      .select(['t.id', 't.slug', 't.title', 't.created_at', 't.reply_count', 'c.name as category_name'])
      .where('t.author_id', '=', userId)
      .where('t.deleted_at', 'is', null)
      .where('p.hidden_at', 'is', null)
      .orderBy('t.created_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('posts as p')
      .innerJoin('threads as t', 't.id', 'p.thread_id')
      .select(['p.id', 'p.number', 'p.body_md', 'p.created_at', 't.id as thread_id', 't.slug', 't.title'])
      .where('p.author_id', '=', userId)
      .where('p.number', '>', 1)
      .where('p.is_deleted', '=', 0)
      .where('p.hidden_at', 'is', null)
      .where('t.deleted_at', 'is', null)
      .orderBy('p.created_at', 'desc')
      .limit(limit)
      .execute(),
  ])
  return {
    threads: threads.map((t) => ({
      id: t.id,
      slug: t.slug,
      title: t.title,
      createdAt: t.created_at,
      replyCount: t.reply_count,
      categoryName: t.category_name,
    })),
    replies: replies.map((r) => ({
      threadId: r.thread_id,
      threadSlug: r.slug,
      threadTitle: r.title,
      number: r.number,
      page: pageOfPost(r.number),
      excerpt: excerpt(r.body_md, 160),
      createdAt: r.created_at,
    })),
  }
}
