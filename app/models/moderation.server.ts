import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database, FlagReason } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { recordActivity } from './activity.server'
import { excerpt } from './post-body.server'
import { findLivePost } from './post.server'
import { type Actor, isModerator, noteThreadChanged } from './thread.server'
import { participationRefusal } from './participation.server'

/** Distinct established members' open flags that hide a post until a moderator reviews it. */
export const FLAGS_TO_HIDE = 3

/**
 * A flag counts toward hiding a post only from an account at least this old with a confirmed
 * address: three accounts made a minute ago must not be able to hide anyone's post. Their flags
 * are still recorded and shown to moderators.
 */
export const FLAG_COUNTS_AFTER_MS = 24 * 60 * 60 * 1000

/** Whether a flagger's account may help hide a post by flags alone. */
export function flagCounts(flagger: { created_at: string; email_verified_at: string | null }, now: Date = new Date()): boolean {
  return !!flagger.email_verified_at && flagger.created_at <= new Date(now.getTime() - FLAG_COUNTS_AFTER_MS).toISOString()
}

export const MODERATION_ACTIONS = {
  pin: 'Pinned thread',
  unpin: 'Unpinned thread',
  lock: 'Locked thread',
  unlock: 'Unlocked thread',
  move: 'Moved thread',
  hide: 'Hid post',
  unhide: 'Unhid post',
  'auto-hide': 'Post hidden by member flags',
  'flags-agreed': 'Agreed with flags',
  'flags-disagreed': 'Cleared flags',
  'case-publish': 'Published case',
  'case-return': 'Returned case to its author',
  'case-edit': 'Edited published case',
  'verify-public-servant': 'Verified a public servant',
  'unverify-public-servant': 'Removed a public servant mark',
  silence: 'Silenced member',
  suspend: 'Suspended member',
  'lift-silence': 'Lifted silence',
  'lift-suspension': 'Lifted suspension',
  'role-change': 'Changed role',
  'appeal-upheld': 'Upheld decision on appeal',
  'appeal-overturned': 'Overturned decision on appeal',
  'category-add': 'Added category',
  'category-edit': 'Edited category',
  'category-move': 'Moved category',
} as const
export type ModerationAction = keyof typeof MODERATION_ACTIONS

export async function logAction(
  trx: Kysely<Database>,
  entry: {
    actorId: number | null
    action: ModerationAction
    threadId?: number | null
    postId?: number | null
    caseId?: number | null
    /** The member the decision affects; they are told of it and may appeal. */
    memberId?: number | null
    reason?: string | null
    details?: string | null
  },
): Promise<number> {
  const { id } = await trx
    .insertInto('moderation_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      thread_id: entry.threadId ?? null,
      post_id: entry.postId ?? null,
      case_id: entry.caseId ?? null,
      member_id: entry.memberId ?? null,
      reason: entry.reason || null,
      details: entry.details ?? null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

const notAllowed = () => refuse(403, 'Only moderators can do that.')

export type ThreadModeration = 'pin' | 'unpin' | 'lock' | 'unlock'

export async function moderateThread(actor: Actor, threadId: number, action: ThreadModeration, reason: string | null): Promise<Outcome> {
  if (!isModerator(actor)) return notAllowed()
  return writeTransaction(async (trx) => {
    const thread = await trx.selectFrom('threads').select(['id']).where('id', '=', threadId).where('deleted_at', 'is', null).executeTakeFirst()
    if (!thread) return refuse(404, 'This thread no longer exists.')
    noteThreadChanged(trx, threadId)
    const change =
      action === 'pin' || action === 'unpin' ? { is_pinned: action === 'pin' ? 1 : 0 } : { is_locked: action === 'lock' ? 1 : 0 }
    await trx.updateTable('threads').set(change).where('id', '=', threadId).execute()
    await logAction(trx, { actorId: actor.id, action, threadId, reason })
    return ok()
  })
}

export async function moveThread(actor: Actor, threadId: number, categorySlug: string, reason: string | null): Promise<Outcome> {
  if (!isModerator(actor)) return notAllowed()
  return writeTransaction(async (trx) => {
    const thread = await trx
      .selectFrom('threads as t')
      .innerJoin('categories as c', 'c.id', 't.category_id')
      .select(['t.id', 'c.name as from_name', 'c.id as from_id'])
      .where('t.id', '=', threadId)
      .where('t.deleted_at', 'is', null)
      .executeTakeFirst()
    if (!thread) return refuse(404, 'This thread no longer exists.')
    noteThreadChanged(trx, threadId)
    const target = await trx.selectFrom('categories').select(['id', 'name']).where('slug', '=', categorySlug).executeTakeFirst()
    if (!target) return refuse(400, 'Choose a category from the list', 'category')
    if (target.id === thread.from_id) return refuse(400, 'The thread is already in that category', 'category')
    await trx.updateTable('threads').set({ category_id: target.id }).where('id', '=', threadId).execute()
    await logAction(trx, { actorId: actor.id, action: 'move', threadId, reason, details: `${thread.from_name} → ${target.name}` })
    return ok()
  })
}

export async function setPostHidden(actor: Actor, postId: number, hidden: boolean, reason: string | null): Promise<Outcome> {
  if (!isModerator(actor)) return notAllowed()
  return writeTransaction(async (trx) => {
    const post = await trx
      .selectFrom('posts')
      .select(['id', 'thread_id', 'author_id', 'hidden_at', 'is_deleted'])
      .where('id', '=', postId)
      .executeTakeFirst()
    if (!post || post.is_deleted) return refuse(404, 'This post no longer exists.')
    noteThreadChanged(trx, post.thread_id)
    const now = new Date().toISOString()
    await trx
      .updateTable('posts')
      .set(
        hidden
          ? { hidden_at: now, hidden_by_id: actor.id, hidden_reason: reason || null }
          : { hidden_at: null, hidden_by_id: null, hidden_reason: null },
      )
      .where('id', '=', postId)
      .execute()
    if (!hidden) {
      // Showing a post again answers the flags that hid it; otherwise one more flag re-hides it.
      await trx
        .updateTable('flags')
        .set({ status: 'disagreed', resolved_by_id: actor.id, resolved_at: now })
        .where('post_id', '=', postId)
        .where('status', '=', 'open')
        .execute()
      await trx.updateTable('posts').set({ open_flag_count: 0 }).where('id', '=', postId).execute()
    }
    if (hidden) {
      // A hidden post cannot stand as the accepted answer.
      await trx.updateTable('threads').set({ accepted_post_id: null }).where('accepted_post_id', '=', postId).execute()
    }
    const decisionId = await logAction(trx, {
      actorId: actor.id,
      action: hidden ? 'hide' : 'unhide',
      threadId: post.thread_id,
      postId,
      memberId: post.author_id,
      reason,
    })
    if (hidden !== !!post.hidden_at) {
      await recordActivity(
        trx,
        hidden
          ? { kind: 'post_hidden', actorId: actor.id, threadId: post.thread_id, postId, reason: reason || null, decisionId }
          : { kind: 'post_restored', actorId: actor.id, threadId: post.thread_id, postId },
      )
    }
    return ok()
  })
}

/**
 * A member flags someone else's post, once. The third distinct open flag hides the post until
 * a moderator reviews it.
 */
export async function flagPost(
  actor: Actor,
  postId: number,
  reason: FlagReason,
  note: string | null,
): Promise<Outcome<{ hidden: boolean }>> {
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, actor)
    if (refusal) return refusal
    const post = await findLivePost(trx, postId)
    if (!post) return refuse(404, 'This post no longer exists.')
    noteThreadChanged(trx, post.thread_id)
    if (post.author_id === actor.id) return refuse(403, 'You cannot flag your own post.')
    if (post.hidden_at) return refuse(409, 'This post is already hidden and waiting for a moderator.')
    const already = await trx.selectFrom('flags').select('id').where('post_id', '=', postId).where('user_id', '=', actor.id).executeTakeFirst()
    if (already) return refuse(409, 'You have already flagged this post. A moderator will review it.')
    const now = new Date().toISOString()
    await trx.insertInto('flags').values({ post_id: postId, user_id: actor.id, reason, note, created_at: now }).execute()
    const openFlaggers = await trx
      .selectFrom('flags as f')
      .innerJoin('users as u', 'u.id', 'f.user_id')
      .select(['u.created_at', 'u.email_verified_at'])
      .where('f.post_id', '=', postId)
      .where('f.status', '=', 'open')
      .execute()
    const open = openFlaggers.length
    const counting = openFlaggers.filter((flagger) => flagCounts(flagger)).length
    await trx.updateTable('posts').set({ open_flag_count: open }).where('id', '=', postId).execute()
    const hide = counting >= FLAGS_TO_HIDE && !post.hidden_at
    if (hide) {
      await trx
        .updateTable('posts')
        .set({ hidden_at: now, hidden_by_id: null, hidden_reason: `Flagged by ${counting} members` })
        .where('id', '=', postId)
        .execute()
      await trx.updateTable('threads').set({ accepted_post_id: null }).where('accepted_post_id', '=', postId).execute()
      const decisionId = await logAction(trx, {
        actorId: null,
        action: 'auto-hide',
        threadId: post.thread_id,
        postId,
        memberId: post.author_id,
        details: `${open} open flags, ${counting} from established members`,
      })
      await recordActivity(trx, { kind: 'post_hidden', actorId: null, threadId: post.thread_id, postId, reason: `Flagged by ${counting} members`, decisionId })
    }
    return ok({ hidden: hide })
  })
}

/**
 * A moderator reviews a post's open flags: agreeing hides the post (if it is not hidden
 * already); disagreeing clears the flags and shows a post the flags had hidden.
 */
export async function resolveFlags(actor: Actor, postId: number, decision: 'agree' | 'disagree', reason: string | null): Promise<Outcome> {
  if (!isModerator(actor)) return notAllowed()
  return writeTransaction(async (trx) => {
    const post = await trx.selectFrom('posts').select(['id', 'thread_id', 'author_id', 'hidden_at', 'hidden_by_id']).where('id', '=', postId).executeTakeFirst()
    if (!post) return refuse(404, 'This post no longer exists.')
    noteThreadChanged(trx, post.thread_id)
    const now = new Date().toISOString()
    const updated = await trx
      .updateTable('flags')
      .set({ status: decision === 'agree' ? 'agreed' : 'disagreed', resolved_by_id: actor.id, resolved_at: now })
      .where('post_id', '=', postId)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return refuse(409, 'These flags were already resolved.')
    if (decision === 'agree') {
      await trx
        .updateTable('posts')
        .set({ open_flag_count: 0, hidden_at: post.hidden_at ?? now, hidden_by_id: actor.id, hidden_reason: reason || 'Agreed with member flags' })
        .where('id', '=', postId)
        .execute()
      await trx.updateTable('threads').set({ accepted_post_id: null }).where('accepted_post_id', '=', postId).execute()
    } else {
      const hiddenByFlags = post.hidden_at && post.hidden_by_id === null
      await trx
        .updateTable('posts')
        .set(hiddenByFlags ? { open_flag_count: 0, hidden_at: null, hidden_reason: null } : { open_flag_count: 0 })
        .where('id', '=', postId)
        .execute()
    }
    const decisionId = await logAction(trx, {
      actorId: actor.id,
      action: decision === 'agree' ? 'flags-agreed' : 'flags-disagreed',
      threadId: post.thread_id,
      postId,
      memberId: post.author_id,
      reason,
      details: `${updated.numUpdatedRows} flag(s)`,
    })
    const restored = decision === 'disagree' && !!post.hidden_at && post.hidden_by_id === null
    if (decision === 'agree' || restored) {
      await recordActivity(
        trx,
        restored
          ? { kind: 'post_restored', actorId: actor.id, threadId: post.thread_id, postId }
          : { kind: 'post_hidden', actorId: actor.id, threadId: post.thread_id, postId, reason: reason || 'Agreed with member flags', decisionId },
      )
    }
    return ok()
  })
}

export interface FlaggedPost {
  postId: number
  postNumber: number
  threadId: number
  threadSlug: string
  threadTitle: string
  author: { handle: string; displayName: string }
  excerpt: string
  bodyHtml: string
  isHidden: boolean
  createdAt: string
  /** `counts` is false for a flag from a new or unconfirmed account, which cannot hide a post by itself. */
  flags: { reason: FlagReason; note: string | null; by: string; createdAt: string; counts: boolean }[]
}

/** Posts with open flags, most flagged first, each with its flags; two queries. */
export async function listOpenFlags(): Promise<FlaggedPost[]> {
  const posts = await db
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.number',
      'p.body_md',
      'p.body_html',
      'p.hidden_at',
      'p.created_at',
      'p.open_flag_count',
      't.id as thread_id',
      't.slug',
      't.title',
      'u.handle',
      'u.display_name',
    ])
    .where('p.id', 'in', (eb) => eb.selectFrom('flags').select('post_id').where('status', '=', 'open'))
    .where('p.is_deleted', '=', 0)
    .where('t.deleted_at', 'is', null)
    .orderBy('p.open_flag_count', 'desc')
    .orderBy('p.id')
    .limit(100)
    .execute()
  if (!posts.length) return []
  const flags = await db
    .selectFrom('flags as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.post_id', 'f.reason', 'f.note', 'f.created_at', 'u.handle', 'u.created_at as member_since', 'u.email_verified_at'])
    .where('f.status', '=', 'open')
    .where(
      'f.post_id',
      'in',
      posts.map((p) => p.id),
    )
    .orderBy('f.id')
    .execute()
  return posts.map((post) => ({
    postId: post.id,
    postNumber: post.number,
    threadId: post.thread_id,
    threadSlug: post.slug,
    threadTitle: post.title,
    author: { handle: post.handle, displayName: post.display_name },
    excerpt: excerpt(post.body_md),
    bodyHtml: post.body_html,
    isHidden: !!post.hidden_at,
    createdAt: post.created_at,
    flags: flags
      .filter((flag) => flag.post_id === post.id)
      .map((flag) => ({
        reason: flag.reason,
        note: flag.note,
        by: flag.handle,
        createdAt: flag.created_at,
        counts: flagCounts({ created_at: flag.member_since, email_verified_at: flag.email_verified_at }),
      })),
  }))
}

export const LOG_PAGE_SIZE = 50

export async function listModerationLog(before: number | null) {
  const rows = await db
    .selectFrom('moderation_log as l')
    .leftJoin('users as u', 'u.id', 'l.actor_id')
    .leftJoin('threads as t', 't.id', 'l.thread_id')
    .leftJoin('posts as p', 'p.id', 'l.post_id')
    .leftJoin('cases as c', 'c.id', 'l.case_id')
    .leftJoin('users as m', 'm.id', 'l.member_id')
    .select([
      'l.id',
      'l.thread_id as logged_thread_id',
      'l.case_id as logged_case_id',
      'l.action',
      'l.reason',
      'l.details',
      'l.created_at',
      'u.handle as actor_handle',
      'u.display_name as actor_name',
      't.id as thread_id',
      't.slug as thread_slug',
      't.title as thread_title',
      'p.number as post_number',
      'c.slug as case_slug',
      'c.title as case_title',
      'm.handle as member_handle',
      'm.display_name as member_name',
    ])
    .$if(before !== null, (q) => q.where('l.id', '<', before!))
    .orderBy('l.id', 'desc')
    .limit(LOG_PAGE_SIZE + 1)
    .execute()
  const entries = rows.slice(0, LOG_PAGE_SIZE).map((row) => ({
    id: row.id,
    action: row.action as ModerationAction,
    label: MODERATION_ACTIONS[row.action as ModerationAction] ?? row.action,
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at,
    actor: row.actor_handle ? { handle: row.actor_handle, displayName: row.actor_name! } : null,
    thread: row.thread_id ? { id: row.thread_id, slug: row.thread_slug!, title: row.thread_title! } : null,
    postNumber: row.post_number,
    case: row.case_slug ? { slug: row.case_slug, title: row.case_title! } : null,
    // The member a decision about an account concerns (a role, a silence, a verification). A post
    // or case decision shows its post or case instead: naming an anonymous case's author would undo it.
    member:
      row.member_handle && row.logged_thread_id === null && row.logged_case_id === null
        ? { handle: row.member_handle, displayName: row.member_name! }
        : null,
  }))
  return { entries, nextBefore: rows.length > LOG_PAGE_SIZE ? entries.at(-1)!.id : null }
}

export async function countOpenFlaggedPosts(): Promise<number> {
  const row = await db
    .selectFrom('flags')
    .select(sql<number>`count(distinct post_id)`.as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
