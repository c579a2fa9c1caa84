import { type Kysely, sql } from 'kysely'
import { db, noteChanges, writeIfPossible, writeMemberBookkeeping, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { MAX_TAGS } from '../lib/discussion-validation'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, isModerator } from '../lib/roles'
import { slugify } from '../lib/slug'
import { pageTags } from '../../db/page-tags'
import { recordActivity } from './activity.server'
import { trackThreadByDefault } from './follow.server'
import { renderPostBody, saveMentions } from './post-body.server'
import { participationRefusal } from './participation.server'

export const THREADS_PER_PAGE = 30
export const NEW_THREAD_INTERVAL_MS = 30_000
export const DUPLICATE_WINDOW_MS = 5 * 60_000

export const THREAD_SORTS = ['latest', 'newest', 'helpful'] as const
export type ThreadSort = (typeof THREAD_SORTS)[number]

export type { Actor }
export { isModerator }

// ---------------------------------------------------------------------------------------------
// Reading

export interface ThreadListItem {
  id: number
  slug: string
  title: string
  isPinned: boolean
  isLocked: boolean
  category: { slug: string; name: string }
  author: { handle: string; displayName: string }
  tags: { slug: string; name: string }[]
  replyCount: number
  helpfulCount: number
  lastPostedAt: string
  createdAt: string
  /** For a signed-in reader: never opened ("new"), or how many posts arrived since. */
  readState: { isNew: boolean; unread: number } | null
}

export interface ThreadListQuery {
  categoryId?: number
  tagSlug?: string
  sort?: ThreadSort
  /** Opaque keyset cursor from a previous page's `nextCursor`. */
  after?: string | null
  viewerId?: number | null
  /** In a category, pinned threads come first (on the first page only). */
  pinnedFirst?: boolean
  /** Threads per page; a summary (the home page) asks for fewer. */
  pageSize?: number
}

const SORT_COLUMN = { latest: 't.last_posted_at', newest: 't.created_at', helpful: 't.helpful_count' } as const

interface Cursor {
  pinned: number | null
  value: string | number
  id: number
}

/** `value~id`, or `pinned~value~id` in a pinned-first listing. Anything malformed means page 1. */
function parseCursor(cursor: string | null | undefined, sort: ThreadSort, pinnedFirst: boolean): Cursor | null {
  if (!cursor) return null
  const parts = cursor.split('~')
  if (parts.length !== (pinnedFirst ? 3 : 2)) return null
  const pinned = pinnedFirst ? Number(parts[0]) : null
  const raw = parts.at(-2)!
  const id = Number(parts.at(-1))
  if (!Number.isSafeInteger(id) || id < 1 || (pinned !== null && pinned !== 0 && pinned !== 1)) return null
  if (sort === 'helpful') {
    const count = Number(raw)
    return raw !== '' && Number.isSafeInteger(count) ? { pinned, value: count, id } : null
  }
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(raw) ? { pinned, value: raw, id } : null
}

/**
 * One page of threads, by keyset (never by offset): a thread bumped while a member pages
 * through cannot push another thread onto the next page twice. Two queries whatever the size.
 */
export async function listThreads(query: ThreadListQuery): Promise<{ threads: ThreadListItem[]; nextCursor: string | null }> {
  const pageSize = query.pageSize ?? THREADS_PER_PAGE
  const sort = query.sort ?? 'latest'
  const column = SORT_COLUMN[sort]
  const pinnedFirst = !!query.pinnedFirst
  const cursor = parseCursor(query.after, sort, pinnedFirst)
  const viewerId = query.viewerId ?? null

  let tagTermId: number | null = null
  if (query.tagSlug) {
    const term = await db
      .selectFrom('taxonomy_terms')
      .select('id')
      .where('facet', '=', 'failure-mode')
      .where('slug', '=', query.tagSlug)
      .executeTakeFirst()
    if (!term) return { threads: [], nextCursor: null }
    tagTermId = term.id
  }

  const rows = await db
    .selectFrom('threads as t')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .innerJoin('users as u', 'u.id', 't.author_id')
    .leftJoin('thread_reads as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', viewerId ?? -1),
    )
    .select([
      't.id',
      't.slug',
      't.title',
      't.is_pinned',
      't.is_locked',
      't.reply_count',
      't.helpful_count',
      't.last_posted_at',
      't.created_at',
      'c.slug as category_slug',
      'c.name as category_name',
      'u.handle as author_handle',
      'u.display_name as author_name',
      'r.last_read_number',
      sql<number>`(select count(*) from posts p where p.thread_id = t.id and p.number > r.last_read_number and p.is_deleted = 0)`.as(
        'unread',
      ),
    ])
    .where('t.deleted_at', 'is', null)
    .$if(query.categoryId !== undefined, (q) => q.where('t.category_id', '=', query.categoryId!))
    .$if(tagTermId !== null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('thread_tags as tt')
            .select('tt.thread_id')
            .whereRef('tt.thread_id', '=', 't.id')
            .where('tt.term_id', '=', tagTermId!),
        ),
      ),
    )
    .$if(cursor !== null, (q) =>
      q.where(
        pinnedFirst
          ? sql<boolean>`(t.is_pinned, ${sql.ref(column)}, t.id) < (${cursor!.pinned}, ${cursor!.value}, ${cursor!.id})`
          : sql<boolean>`(${sql.ref(column)}, t.id) < (${cursor!.value}, ${cursor!.id})`,
      ),
    )
    .$if(pinnedFirst, (q) => q.orderBy('t.is_pinned', 'desc'))
    .orderBy(sql.ref(column), 'desc')
    .orderBy('t.id', 'desc')
    .limit(pageSize + 1)
    .execute()

  const page = rows.slice(0, pageSize)
  const tags = await tagsForThreads(page.map((row) => row.id))
  const last = page.at(-1)
  const hasMore = rows.length > pageSize
  const lastValue = last && (sort === 'latest' ? last.last_posted_at : sort === 'newest' ? last.created_at : last.helpful_count)
  const nextCursor =
    hasMore && last ? `${pinnedFirst ? `${last.is_pinned}~` : ''}${lastValue}~${last.id}` : null

  return {
    threads: page.map((row) => ({
      id: row.id,
      slug: row.slug,
      title: row.title,
      isPinned: !!row.is_pinned,
      isLocked: !!row.is_locked,
      category: { slug: row.category_slug, name: row.category_name },
      author: { handle: row.author_handle, displayName: row.author_name },
      tags: tags.get(row.id) ?? [],
      replyCount: row.reply_count,
      helpfulCount: row.helpful_count,
      lastPostedAt: row.last_posted_at,
      createdAt: row.created_at,
      readState: viewerId
        ? { isNew: row.last_read_number === null, unread: row.last_read_number === null ? 0 : Number(row.unread) }
        : null,
    })),
    nextCursor,
  }
}

async function tagsForThreads(threadIds: number[]): Promise<Map<number, { slug: string; name: string }[]>> {
  const byThread = new Map<number, { slug: string; name: string }[]>()
  if (!threadIds.length) return byThread
  const rows = await db
    .selectFrom('thread_tags as tt')
    .innerJoin('taxonomy_terms as term', 'term.id', 'tt.term_id')
    .select(['tt.thread_id', 'term.slug', 'term.name'])
    .where('tt.thread_id', 'in', threadIds)
    .orderBy('term.position')
    .execute()
  for (const row of rows) {
    const list = byThread.get(row.thread_id) ?? []
    list.push({ slug: row.slug, name: row.name })
    byThread.set(row.thread_id, list)
  }
  return byThread
}

export interface ThreadSummary {
  id: number
  slug: string
  title: string
  authorId: number
  categoryId: number
  isLocked: boolean
  isPinned: boolean
  lastPostNumber: number
  acceptedPostId: number | null
}

/** The thread's identity and state, or undefined when it does not exist (or was deleted). */
export async function getThreadSummary(threadId: number): Promise<ThreadSummary | undefined> {
  const row = await db
    .selectFrom('threads')
    .select(['id', 'slug', 'title', 'author_id', 'category_id', 'is_locked', 'is_pinned', 'last_post_number', 'accepted_post_id'])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return (
    row && {
      id: row.id,
      slug: row.slug,
      title: row.title,
      authorId: row.author_id,
      categoryId: row.category_id,
      isLocked: !!row.is_locked,
      isPinned: !!row.is_pinned,
      lastPostNumber: row.last_post_number,
      acceptedPostId: row.accepted_post_id,
    }
  )
}

export interface FeedThread {
  id: number
  slug: string
  title: string
  authorName: string
  categoryName: string
  createdAt: string
  /** When the entry's content (the opening post) last changed; replies do not move it. */
  updatedAt: string
  /** The opening post, unless it is hidden or deleted (then a feed shows the title only). */
  bodyHtml: string | null
}

/** The newest threads, optionally of one category, with their opening posts: for Atom feeds. */
export async function listNewThreads({ categoryId, limit = 30 }: { categoryId?: number; limit?: number } = {}): Promise<FeedThread[]> {
  let query = db
    .selectFrom('threads as t')
    .innerJoin('users as u', 'u.id', 't.author_id')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .leftJoin('posts as p', (join) =>
      join.onRef('p.thread_id', '=', 't.id').on('p.number', '=', 1).on('p.is_deleted', '=', 0).on('p.hidden_at', 'is', null),
    )
    .select(['t.id', 't.slug', 't.title', 'u.display_name', 'c.name as category_name', 't.created_at', 'p.edited_at', 'p.body_html'])
    .where('t.deleted_at', 'is', null)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit)
  if (categoryId !== undefined) query = query.where('t.category_id', '=', categoryId)
  const rows = await query.execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    authorName: row.display_name,
    categoryName: row.category_name,
    createdAt: row.created_at,
    updatedAt: row.edited_at && row.edited_at > row.created_at ? row.edited_at : row.created_at,
    bodyHtml: row.body_html,
  }))
}

export interface UnreadThread {
  id: number
  slug: string
  title: string
  unread: number
  firstUnread: number
  lastPostedAt: string
}

/**
 * Threads the member has read before that have new posts since, most recently active first.
 * Unread counts skip replies their authors deleted, as the thread list does.
 */
export async function listUnreadThreads(userId: number, limit = 5): Promise<UnreadThread[]> {
  const newPosts = sql`from posts p where p.thread_id = t.id and p.number > r.last_read_number and p.is_deleted = 0`
  const rows = await db
    .selectFrom('thread_reads as r')
    .innerJoin('threads as t', 't.id', 'r.thread_id')
    .select([
      't.id',
      't.slug',
      't.title',
      't.last_posted_at',
      sql<number>`(select count(*) ${newPosts})`.as('unread'),
      sql<number>`(select min(p.number) ${newPosts})`.as('first_unread'),
    ])
    .where('r.user_id', '=', userId)
    .where('t.deleted_at', 'is', null)
    .whereRef('t.last_post_number', '>', 'r.last_read_number')
    .where(sql<boolean>`exists (select 1 ${newPosts})`)
    .orderBy('t.last_posted_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    unread: Number(row.unread),
    firstUnread: Number(row.first_unread),
    lastPostedAt: row.last_posted_at,
  }))
}

/**
 * Notes, in the write's transaction, that a thread changed: its own pages and every list of
 * threads are retired from the page cache, and those of the member who wrote (their read
 * marker and follow moved too).
 */
export function noteThreadChanged(trx: Kysely<Database>, threadId: number, memberId?: number): void {
  noteChanges(trx, [pageTags.thread(threadId), pageTags.threads, ...(memberId === undefined ? [] : [pageTags.member(memberId)])])
}

/** Moves the member's read marker forward (never back) to the last post they have seen. */
export async function markThreadRead(userId: number, threadId: number, lastSeenNumber: number): Promise<void> {
  // Re-reading a page is the common case: a read answers it without taking the write lock
  // (and its fsync) that every page view by every member would otherwise queue behind.
  if ((await getReadMarker(userId, threadId)) >= lastSeenNumber) return
  // A marker that cannot be saved (a full disk) must not cost the member the page.
  // It changes only the reader's own pages and does not wait for the disk: a power cut may take
  // back the last markers, never a post (see writeMemberBookkeeping).
  await writeIfPossible(() =>
    writeMemberBookkeeping(pageTags.member(userId), (trx) =>
      trx
        .insertInto('thread_reads')
        .values({ user_id: userId, thread_id: threadId, last_read_number: lastSeenNumber })
        .onConflict((oc) =>
          oc.columns(['user_id', 'thread_id']).doUpdateSet({
            last_read_number: sql<number>`case when excluded.last_read_number > thread_reads.last_read_number then excluded.last_read_number else thread_reads.last_read_number end`,
          }),
        )
        .execute(),
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface WriteOptions {
  now?: Date
  /** Demo content: marked as demo, and not subject to posting limits. */
  isDemo?: boolean
  /** Join an open transaction (the seed creates demo threads inside its own). */
  trx?: Kysely<Database>
}

export interface NewThread {
  categorySlug: string
  title: string
  body: string
  tagSlugs: string[]
}

/** Refuses the same text from the same member within five minutes (a double submit or spam). */
export async function isDuplicatePost(trx: Kysely<Database>, authorId: number, body: string, now: number): Promise<boolean> {
  const recent = await trx
    .selectFrom('posts')
    .select('id')
    .where('author_id', '=', authorId)
    .where('created_at', '>', new Date(now - DUPLICATE_WINDOW_MS).toISOString())
    .where('body_md', '=', body)
    .where('is_deleted', '=', 0)
    .executeTakeFirst()
  return !!recent
}

export async function createThread(
  actor: Actor,
  input: NewThread,
  options: WriteOptions = {},
): Promise<Outcome<{ id: number; slug: string }>> {
  const now = options.now ?? new Date()
  const nowIso = now.toISOString()
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, actor)
    if (refusal) return refusal
    const category = await trx.selectFrom('categories').select('id').where('slug', '=', input.categorySlug).executeTakeFirst()
    if (!category) return refuse(400, 'Choose a category from the list', 'category')

    const tagSlugs = [...new Set(input.tagSlugs)]
    if (tagSlugs.length > MAX_TAGS) return refuse(400, `Choose up to ${MAX_TAGS} tags`, 'tags')
    const terms = tagSlugs.length
      ? await trx
          .selectFrom('taxonomy_terms')
          .select('id')
          .where('facet', '=', 'failure-mode')
          .where('slug', 'in', tagSlugs)
          .execute()
      : []
    if (terms.length !== tagSlugs.length) return refuse(400, 'Choose tags from the list', 'tags')

    if (!options.isDemo) {
      const latest = await trx
        .selectFrom('threads')
        .select('created_at')
        .where('author_id', '=', actor.id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (latest && now.getTime() - Date.parse(latest.created_at) < NEW_THREAD_INTERVAL_MS) {
        return refuse(429, 'You can start one thread every 30 seconds. Wait a moment and post again; your text is kept below.')
      }
      if (await isDuplicatePost(trx, actor.id, input.body, now.getTime())) {
        return refuse(400, 'You posted this exact text a moment ago. Change it or post something new.', 'body')
      }
    }

    const slug = slugify(input.title)
    const { id } = await trx
      .insertInto('threads')
      .values({
        category_id: category.id,
        author_id: actor.id,
        title: input.title,
        slug,
        is_demo: options.isDemo ? 1 : 0,
        last_post_number: 1,
        last_posted_at: nowIso,
        accepted_post_id: null,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const { html, mentionedUserIds } = await renderPostBody(trx, input.body, 'openingPost')
    const post = await trx
      .insertInto('posts')
      .values({ thread_id: id, author_id: actor.id, number: 1, body_md: input.body, body_html: html, created_at: nowIso })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('post_revisions')
      .values({ post_id: post.id, editor_id: actor.id, body_md: input.body, body_html: html, created_at: nowIso })
      .execute()
    await saveMentions(trx, post.id, mentionedUserIds, nowIso)
    if (terms.length) {
      await trx
        .insertInto('thread_tags')
        .values(terms.map((term) => ({ thread_id: id, term_id: term.id })))
        .execute()
    }
    await trx
      .insertInto('thread_reads')
      .values({ user_id: actor.id, thread_id: id, last_read_number: 1 })
      .execute()
    if (!options.isDemo) {
      await trackThreadByDefault(trx, actor.id, id, nowIso)
      await recordActivity(trx, { kind: 'post_created', actorId: actor.id, threadId: id, postId: post.id }, now)
    }
    noteThreadChanged(trx, id, actor.id)
    return ok({ id, slug })
  }, options.trx)
}

/** The number of the last post the member has seen in the thread (0 when never opened). */
export async function getReadMarker(userId: number, threadId: number): Promise<number> {
  const row = await db
    .selectFrom('thread_reads')
    .select('last_read_number')
    .where('user_id', '=', userId)
    .where('thread_id', '=', threadId)
    .executeTakeFirst()
  return row?.last_read_number ?? 0
}
