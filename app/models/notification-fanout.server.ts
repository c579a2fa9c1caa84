import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import type { Database, FollowLevel, FollowTarget } from '../../db/schema'
import { type NotificationKind, type NotificationReason, NOTIFICATION_KINDS } from '../lib/notification-kinds'
import { pageTags } from '../../db/page-tags'
import { type Activity, activityFromRow } from './activity.server'
import { queueNotificationMails } from './notification-mail.server'

interface Recipient {
  userId: number
  kind: NotificationKind
  reason: NotificationReason
}

/** A recipient after merging activities: how many of them it stands for, and the first post. */
interface Delivery extends Recipient {
  weight: number
  postId: number | null
  /** Who caused the latest of those activities (never the recipient). */
  actorId: number | null
}

/** What every notification of one activity shares: who caused it, what it is about. */
interface Subject {
  actorId: number | null
  threadId?: number | null
  postId?: number | null
  caseId?: number | null
  eventId?: number | null
  data?: Record<string, unknown>
}

interface Audience {
  recipients: Recipient[]
  subject: Subject
}

const NOBODY: Audience = { recipients: [], subject: { actorId: null } }

/** Kinds whose unread notifications about one thing grow a count instead of adding a row. */
const CONSOLIDATE_BY: Partial<Record<NotificationKind, { column: 'thread_id' | 'post_id' | 'event_id'; of: (subject: Subject) => number | null | undefined }>> = {
  reply: { column: 'thread_id', of: (subject) => subject.threadId },
  helpful: { column: 'post_id', of: (subject) => subject.postId },
  event_changed: { column: 'event_id', of: (subject) => subject.eventId },
}

/** `> @handle wrote (post #N):`, the line Quote starts a reply with. */
const QUOTE_ATTRIBUTION = /^>\s*@([a-z0-9][a-z0-9_-]*) wrote \(post #\d+\)/gim

export function quotedHandles(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(QUOTE_ATTRIBUTION)].map((match) => match[1].toLowerCase()))]
}

/** Replies to one thread waiting together are fanned out together, at most this many at once. */
const COALESCE = 100

/**
 * Turns recorded activities into notifications and queued email, oldest first, each in its own
 * write transaction (so two processes never fan out one activity, and a crash redoes at most
 * the one in hand). Posts to one thread that are waiting together go out in one pass: a busy
 * thread with thousands of watchers then costs one pass over its watchers, not one per reply.
 * Returns how many activities were processed.
 */
export async function fanOutPendingActivities({ limit = 20, now = new Date() }: { limit?: number; now?: Date } = {}): Promise<number> {
  let processed = 0
  // The idle check is a read: a write lock taken every poll would retire every cached page.
  while (processed < limit && (await hasPendingActivities())) {
    const done = await writeTransaction(async (trx) => {
      const row = await trx
        .selectFrom('activities')
        .selectAll()
        .where('processed_at', 'is', null)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      if (!row) return 0
      const rows =
        row.kind === 'post_created' && row.thread_id !== null
          ? [
              row,
              ...(await trx
                .selectFrom('activities')
                .selectAll()
                .where('processed_at', 'is', null)
                .where('kind', '=', 'post_created')
                .where('thread_id', '=', row.thread_id)
                .where('id', '>', row.id)
                .orderBy('id')
                .limit(COALESCE - 1)
                .execute()),
            ]
          : [row]
      const audiences: Audience[] = []
      for (const activity of rows) audiences.push(await audienceOf(trx, activityFromRow(activity)))
      await deliver(trx, mergeAudiences(audiences), now)
      // Marking activities done and queueing their mail change no page a member reads.
      noteChanges(trx, [pageTags.mail])
      await trx
        .updateTable('activities')
        .set({ processed_at: now.toISOString() })
        .where('id', 'in', rows.map((r) => r.id))
        .execute()
      return rows.length
    })
    if (!done) break
    processed += done
  }
  return processed
}

/**
 * One delivery per member and kind across the activities, weighted by how many of them it
 * stands for. Within one activity a member gets one notification, the most specific reason
 * first, and never about their own action.
 */
function mergeAudiences(audiences: Audience[]): { deliveries: Delivery[]; subject: Subject } {
  const merged = new Map<string, Delivery>()
  for (const { recipients, subject } of audiences) {
    const told = new Set<number>()
    for (const recipient of recipients) {
      if (recipient.userId === subject.actorId || told.has(recipient.userId)) continue
      told.add(recipient.userId)
      const key = `${recipient.userId}:${recipient.kind}`
      const earlier = merged.get(key)
      if (earlier) {
        earlier.weight++
        earlier.actorId = subject.actorId
      } else {
        merged.set(key, { ...recipient, weight: 1, postId: subject.postId ?? null, actorId: subject.actorId })
      }
    }
  }
  const subjects = audiences.map((audience) => audience.subject).filter((subject) => subject !== NOBODY.subject)
  const first = subjects[0] ?? NOBODY.subject
  return { deliveries: [...merged.values()], subject: first }
}

export async function hasPendingActivities(): Promise<boolean> {
  return !!(await db.selectFrom('activities').select('id').where('processed_at', 'is', null).limit(1).executeTakeFirst())
}

// ---------------------------------------------------------------------------------------------
// Who hears about each activity. Each answer already leaves out what its recipients may not
// see: a hidden or deleted post, an unpublished case, a draft event.

async function audienceOf(trx: Kysely<Database>, activity: Activity): Promise<Audience> {
  switch (activity.kind) {
    case 'post_created':
      return postCreatedAudience(trx, activity.postId, activity.actorId)
    case 'post_edited':
      return postEditedAudience(trx, activity.postId, activity.actorId, activity.previouslyMentioned)
    case 'answer_accepted': {
      const post = await visiblePost(trx, activity.postId)
      if (!post || post.accepted_post_id !== post.id) return NOBODY
      return single(post.author_id, 'accepted', 'post-author', { actorId: activity.actorId, threadId: post.thread_id, postId: post.id })
    }
    case 'post_marked_helpful': {
      const post = await visiblePost(trx, activity.postId)
      if (!post) return NOBODY
      return single(post.author_id, 'helpful', 'post-author', { actorId: activity.actorId, threadId: post.thread_id, postId: post.id })
    }
    case 'post_hidden':
    case 'post_restored':
      return moderationAudience(trx, activity)
    case 'case_returned':
    case 'case_published':
      return caseAudience(trx, activity)
    case 'event_published':
    case 'event_changed':
    case 'event_cancelled':
    case 'waitlist_promoted':
    case 'event_reminder':
      return eventAudience(trx, activity)
    case 'member_restricted':
    case 'appeal_decided':
      return standingAudience(trx, activity)
  }
}

function single(userId: number, kind: NotificationKind, reason: NotificationReason, subject: Subject): Audience {
  return { recipients: [{ userId, kind, reason }], subject }
}

/** A post everyone may read: not deleted, not hidden, in a thread that exists. */
function visiblePost(trx: Kysely<Database>, postId: number) {
  return trx
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.thread_id', 'p.author_id', 'p.number', 'p.body_md', 't.author_id as thread_author_id', 't.category_id', 't.accepted_post_id'])
    .where('p.id', '=', postId)
    .where('p.is_deleted', '=', 0)
    .where('p.hidden_at', 'is', null)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirst()
}

async function postCreatedAudience(trx: Kysely<Database>, postId: number, actorId: number): Promise<Audience> {
  const post = await visiblePost(trx, postId)
  if (!post) return NOBODY
  const subject: Subject = { actorId, threadId: post.thread_id, postId }
  const recipients: Recipient[] = []

  // A quote's attribution line names its author, so the quoted member is also among the stored
  // mentions: being quoted is the more telling of the two, so it comes first.
  const quoted = quotedHandles(post.body_md)
  if (quoted.length) {
    const users = await trx.selectFrom('users').select('id').where('handle', 'in', quoted).execute()
    recipients.push(...users.map((u) => ({ userId: u.id, kind: 'quote' as const, reason: 'quoted' as const })))
  }
  const mentioned = await trx.selectFrom('post_mentions').select('user_id').where('post_id', '=', postId).execute()
  recipients.push(...mentioned.map((m) => ({ userId: m.user_id, kind: 'mention' as const, reason: 'mentioned' as const })))

  if (post.number === 1) {
    const categoryFollowers = await followersOf(trx, 'category', post.category_id)
    const { followers, theme } = await themeAudience(trx, trx.selectFrom('thread_tags').select('term_id').where('thread_id', '=', post.thread_id))
    subject.data = { theme }
    recipients.push(
      ...categoryFollowers.map((f) => ({ userId: f.user_id, kind: 'followed_thread' as const, reason: 'follows-category' as const })),
      ...followers.map((userId) => ({ userId, kind: 'followed_thread' as const, reason: 'follows-theme' as const })),
    )
    return { recipients, subject }
  }

  const levels = await trx
    .selectFrom('follows')
    .select(['user_id', 'level'])
    .where('target_type', '=', 'thread')
    .where('target_id', '=', post.thread_id)
    .execute()
  const levelOf = new Map(levels.map((l) => [l.user_id, l.level]))
  const authorLevel = levelOf.get(post.thread_author_id) ?? 'tracking'
  if (authorLevel === 'tracking' || authorLevel === 'watching') {
    recipients.push({ userId: post.thread_author_id, kind: 'reply', reason: 'thread-author' })
  }
  for (const { user_id, level } of levels) {
    if (level === 'watching') recipients.push({ userId: user_id, kind: 'reply', reason: 'watching' })
  }
  const muted = new Set(levels.filter((l) => l.level === 'muted').map((l) => l.user_id))
  return { recipients: recipients.filter((r) => !muted.has(r.userId)), subject }
}

async function postEditedAudience(trx: Kysely<Database>, postId: number, actorId: number, previouslyMentioned: number[]): Promise<Audience> {
  const post = await visiblePost(trx, postId)
  if (!post) return NOBODY
  // Already told about this post (the fan-out of the post itself may have seen the edit).
  const told = await trx.selectFrom('notifications').select('user_id').where('post_id', '=', postId).where('kind', 'in', ['mention', 'quote', 'reply']).execute()
  const before = new Set([...previouslyMentioned, ...told.map((t) => t.user_id)])
  const mentioned = await trx.selectFrom('post_mentions').select('user_id').where('post_id', '=', postId).execute()
  const muted = await mutedIn(trx, post.thread_id)
  return {
    recipients: mentioned
      .filter((m) => !before.has(m.user_id) && !muted.has(m.user_id))
      .map((m) => ({ userId: m.user_id, kind: 'mention', reason: 'mentioned' })),
    subject: { actorId, threadId: post.thread_id, postId },
  }
}

/**
 * Who follows any of the themes a case, thread or event is tagged with, and the name of its
 * first theme (a case's primary failure mode) for the sentence they read.
 */
async function themeAudience(
  trx: Kysely<Database>,
  termIds: SelectQueryBuilder<Database, never, { term_id: number }>,
): Promise<{ followers: number[]; theme: string | null }> {
  const ids = (await termIds.execute()).map((row) => row.term_id)
  if (!ids.length) return { followers: [], theme: null }
  const [followers, first] = await Promise.all([
    trx
      .selectFrom('follows')
      .select('user_id')
      .distinct()
      .where('target_type', '=', 'theme')
      .where('target_id', 'in', ids)
      .where('level', '=', 'watching')
      .execute(),
    trx.selectFrom('taxonomy_terms').select('name').where('id', '=', ids[0]).executeTakeFirstOrThrow(),
  ])
  return { followers: followers.map((f) => f.user_id), theme: first.name }
}

function followersOf(trx: Kysely<Database>, targetType: FollowTarget, targetId: number, level: FollowLevel = 'watching') {
  return trx
    .selectFrom('follows')
    .select('user_id')
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('level', '=', level)
    .execute()
}

async function mutedIn(trx: Kysely<Database>, threadId: number): Promise<Set<number>> {
  return new Set((await followersOf(trx, 'thread', threadId, 'muted')).map((r) => r.user_id))
}

async function moderationAudience(trx: Kysely<Database>, activity: Extract<Activity, { kind: 'post_hidden' | 'post_restored' }>): Promise<Audience> {
  const post = await trx
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.thread_id', 'p.author_id', 'p.hidden_at', 'p.is_deleted'])
    .where('p.id', '=', activity.postId)
    .where('t.deleted_at', 'is', null)
    .executeTakeFirst()
  if (!post || post.is_deleted) return NOBODY
  const hidden = activity.kind === 'post_hidden'
  // The decision may have been reversed before the fan-out ran: tell only what still stands.
  if (hidden !== !!post.hidden_at) return NOBODY
  if (hidden) {
    // Nobody else should be pointed at a post they can no longer read.
    const withdrawn = await trx
      .deleteFrom('notifications')
      .where('post_id', '=', post.id)
      .where('kind', 'in', ['reply', 'quote', 'mention', 'followed_thread', 'accepted', 'helpful'])
      .where('read_at', 'is', null)
      .returning('user_id')
      .execute()
    noteChanges(trx, withdrawn.map((row) => pageTags.member(row.user_id)))
  }
  return single(post.author_id, activity.kind, 'post-author', {
    actorId: activity.actorId,
    threadId: post.thread_id,
    postId: post.id,
    data: hidden ? { reason: activity.reason, byFlags: activity.actorId === null, decisionId: activity.decisionId ?? null } : {},
  })
}

/** A measure on the member's account, or the outcome of their appeal: told to them alone. */
async function standingAudience(trx: Kysely<Database>, activity: Extract<Activity, { kind: 'member_restricted' | 'appeal_decided' }>): Promise<Audience> {
  if (activity.kind === 'member_restricted') {
    const decision = await trx
      .selectFrom('moderation_log')
      .select(['id', 'action', 'reason', 'details'])
      .where('id', '=', activity.decisionId)
      .executeTakeFirst()
    if (!decision) return NOBODY
    return single(activity.memberId, 'member_restricted', 'your-account', {
      actorId: activity.actorId,
      data: { decisionId: decision.id, measure: decision.action, reason: decision.reason, until: decision.details },
    })
  }
  const appeal = await trx
    .selectFrom('appeals as a')
    .innerJoin('moderation_log as l', 'l.id', 'a.decision_id')
    .select(['a.id', 'a.status', 'a.outcome_reason', 'l.action'])
    .where('a.id', '=', activity.appealId)
    .executeTakeFirst()
  if (!appeal || appeal.status === 'open') return NOBODY
  return single(activity.memberId, 'appeal_decided', 'your-account', {
    actorId: activity.actorId,
    data: { outcome: appeal.status, reason: appeal.outcome_reason, measure: appeal.action },
  })
}

async function caseAudience(trx: Kysely<Database>, activity: Extract<Activity, { kind: 'case_returned' | 'case_published' }>): Promise<Audience> {
  const found = await trx.selectFrom('cases').select(['id', 'author_id', 'status']).where('id', '=', activity.caseId).executeTakeFirst()
  if (!found) return NOBODY
  if (activity.kind === 'case_returned') {
    if (found.status !== 'returned') return NOBODY
    return single(found.author_id, 'case_returned', 'case-author', {
      actorId: activity.actorId,
      caseId: found.id,
      data: { feedback: activity.feedback, decisionId: activity.decisionId ?? null },
    })
  }
  if (found.status !== 'published') return NOBODY
  const { followers, theme } = await themeAudience(
    trx,
    trx.selectFrom('case_failure_modes').select('term_id').where('case_id', '=', found.id).orderBy('is_primary', 'desc'),
  )
  return {
    // The author hears first (their own decision); a follower's notification never names the
    // author, so an anonymized case stays anonymous.
    recipients: [
      { userId: found.author_id, kind: 'case_published', reason: 'case-author' },
      ...followers.map((userId) => ({ userId, kind: 'followed_case' as const, reason: 'follows-theme' as const })),
    ],
    // The publishing moderator, never the author: the actor is what "never about your own
    // actions" compares with, and no sentence about a case names it.
    subject: { actorId: activity.actorId, caseId: found.id, data: { theme } },
  }
}

async function eventAudience(
  trx: Kysely<Database>,
  activity: Extract<Activity, { kind: 'event_published' | 'event_changed' | 'event_cancelled' | 'waitlist_promoted' | 'event_reminder' }>,
): Promise<Audience> {
  const event = await trx.selectFrom('events').select(['id', 'status']).where('id', '=', activity.eventId).executeTakeFirst()
  if (!event || event.status === 'draft') return NOBODY
  const actorId = 'actorId' in activity ? activity.actorId : null
  const subject: Subject = { actorId, eventId: event.id }

  if (activity.kind === 'waitlist_promoted') {
    if (event.status !== 'published') return NOBODY
    const stillGoing = await trx
      .selectFrom('rsvps')
      .select('user_id')
      .where('event_id', '=', event.id)
      .where('status', '=', 'going')
      .where('user_id', 'in', activity.userIds.length ? activity.userIds : [0])
      .execute()
    return { recipients: stillGoing.map((r) => ({ userId: r.user_id, kind: 'waitlist_promoted', reason: 'waitlisted' })), subject }
  }
  if (activity.kind === 'event_reminder') {
    if (event.status !== 'published') return NOBODY
    const going = await trx.selectFrom('rsvps').select('user_id').where('event_id', '=', event.id).where('status', '=', 'going').execute()
    return { recipients: going.map((r) => ({ userId: r.user_id, kind: 'event_reminder', reason: 'going' })), subject }
  }
  if (activity.kind === 'event_published') {
    const { followers, theme } = await themeAudience(trx, trx.selectFrom('event_themes').select('term_id').where('event_id', '=', event.id))
    return {
      recipients: followers.map((userId) => ({ userId, kind: 'followed_event', reason: 'follows-theme' })),
      subject: { ...subject, data: { theme } },
    }
  }

  // Changed or cancelled: everyone with a place or an interest, and the event's followers.
  const kind: NotificationKind = activity.kind === 'event_changed' ? 'event_changed' : 'event_cancelled'
  const rsvps = await trx
    .selectFrom('rsvps')
    .select(['user_id', 'status'])
    .where('event_id', '=', event.id)
    .where('status', 'in', ['going', 'waitlisted', 'interested'])
    .orderBy(sql`case status when 'going' then 0 when 'waitlisted' then 1 else 2 end`)
    .execute()
  const followers = await followersOf(trx, 'event', event.id)
  return {
    recipients: [
      ...rsvps.map((r) => ({ userId: r.user_id, kind, reason: r.status as 'going' | 'waitlisted' | 'interested' })),
      ...followers.map((f) => ({ userId: f.user_id, kind, reason: 'follows-event' as const })),
    ],
    subject: {
      ...subject,
      data: activity.kind === 'event_changed' ? { changes: activity.changes } : { message: activity.message },
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Writing what each recipient gets

const CHUNK = 500

async function deliver(trx: Kysely<Database>, { deliveries, subject }: { deliveries: Delivery[]; subject: Subject }, now: Date): Promise<void> {
  for (let start = 0; start < deliveries.length; start += CHUNK) {
    const batch = await withoutDeletedAccounts(trx, deliveries.slice(start, start + CHUNK))
    const byKind = new Map<NotificationKind, Delivery[]>()
    for (const recipient of batch) {
      const group = byKind.get(recipient.kind)
      if (group) group.push(recipient)
      else byKind.set(recipient.kind, [recipient])
    }
    for (const [kind, group] of byKind) await notifyGroup(trx, kind, group, subject, now)
  }
}

/** A deleted account (a tombstone kept for what it wrote) hears about nothing any more. */
async function withoutDeletedAccounts(trx: Kysely<Database>, batch: Delivery[]): Promise<Delivery[]> {
  const gone = await trx
    .selectFrom('users')
    .select('id')
    .where('id', 'in', batch.map((r) => r.userId))
    .where('deleted_at', 'is not', null)
    .execute()
  if (!gone.length) return batch
  const goneIds = new Set(gone.map((row) => row.id))
  return batch.filter((r) => !goneIds.has(r.userId))
}

async function notifyGroup(trx: Kysely<Database>, kind: NotificationKind, group: Delivery[], subject: Subject, now: Date) {
  const nowIso = now.toISOString()
  const userIds = group.map((r) => r.userId)
  // Each recipient's own pages show their unread count; nobody else's change.
  noteChanges(trx, userIds.map(pageTags.member))
  const consolidateBy = CONSOLIDATE_BY[kind]
  const existing = consolidateBy
    ? await trx
        .selectFrom('notifications')
        .select(['id', 'user_id'])
        .where('user_id', 'in', userIds)
        .where('kind', '=', kind)
        .where('read_at', 'is', null)
        .where(consolidateBy.column, '=', consolidateBy.of(subject) ?? 0)
        .execute()
    : []
  const consolidated = new Map(existing.map((row) => [row.user_id, row.id]))
  // One update per distinct (weight, actor): usually one for the whole group.
  const deliveryOf = new Map(group.map((r) => [r.userId, r]))
  const updates = new Map<string, { weight: number; actorId: number | null; ids: number[] }>()
  for (const row of existing) {
    const { weight, actorId } = deliveryOf.get(row.user_id)!
    const key = `${weight}:${actorId}`
    const update = updates.get(key)
    if (update) update.ids.push(row.id)
    else updates.set(key, { weight, actorId, ids: [row.id] })
  }
  for (const { weight, actorId, ids } of updates.values()) {
    await trx
      .updateTable('notifications')
      .set({ count: sql<number>`count + ${weight}`, updated_at: nowIso, actor_id: actorId })
      .where('id', 'in', ids)
      .execute()
  }
  const fresh = group.filter((r) => !consolidated.has(r.userId))
  const inserted = fresh.length
    ? await trx
        .insertInto('notifications')
        .values(
          fresh.map((r) => ({
            user_id: r.userId,
            kind,
            reason: r.reason,
            actor_id: r.actorId,
            count: r.weight,
            thread_id: subject.threadId ?? null,
            post_id: r.postId ?? subject.postId ?? null,
            case_id: subject.caseId ?? null,
            event_id: subject.eventId ?? null,
            data_json: JSON.stringify(subject.data ?? {}),
            created_at: nowIso,
            updated_at: nowIso,
            read_at: null,
          })),
        )
        .returning(['id', 'user_id'])
        .execute()
    : []

  const notificationIds = new Map([...consolidated, ...inserted.map((row) => [row.user_id, row.id] as const)])
  const immediate = await membersWantingEmailNow(trx, kind, userIds)
  await queueNotificationMails(
    trx,
    immediate.map((userId) => notificationIds.get(userId)).filter((id): id is number => id !== undefined),
    now,
  )
}

/** Members (not demo accounts) whose preference for this kind is to be emailed right away. */
async function membersWantingEmailNow(trx: Kysely<Database>, kind: NotificationKind, userIds: number[]): Promise<number[]> {
  const [members, preferences] = await Promise.all([
    trx.selectFrom('users').select('id').where('id', 'in', userIds).where('is_demo', '=', 0).execute(),
    trx.selectFrom('email_preferences').select(['user_id', 'delivery']).where('kind', '=', kind).where('user_id', 'in', userIds).execute(),
  ])
  const chosen = new Map(preferences.map((p) => [p.user_id, p.delivery]))
  const fallback = NOTIFICATION_KINDS[kind].defaultDelivery
  return members.map((m) => m.id).filter((id) => (chosen.get(id) ?? fallback) === 'immediately')
}
