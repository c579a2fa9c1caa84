import { type Kysely, type SqlBool, sql } from 'kysely'
import { db, noteChanges, writeMemberBookkeeping, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { appealPath } from '../lib/appeal-link.server'
import { postPath } from '../lib/discussion-paths'
import { pageTags } from '../../db/page-tags'
import { APPEAL_HOW, describeMeasure } from '../lib/moderation-words'
import { formatInZone } from '../lib/time-zones'
import { type NotificationKind, type NotificationReason, NOTIFICATION_REASONS, isNotificationKind } from '../lib/notification-kinds'

export const NOTIFICATIONS_PER_PAGE = 20

export interface NotificationView {
  id: number
  kind: NotificationKind
  /** One sentence saying what happened ("4 new replies in “…”"). */
  text: string
  /** A further line: the moderator's reason, the organizer's message, the reviewer's feedback. */
  detail: string | null
  /** What the member can do next, where there is something (a hidden post). */
  nextStep: string | null
  href: string
  reason: string
  count: number
  updatedAt: string
  isRead: boolean
  /** For email: where the notification is about a post, its text as written. */
  post: { bodyMd: string; bodyHtml: string } | null
  /** Groups a mail client's thread: one discussion, case or event. */
  threadKey: string
}

/**
 * A notification whose subject the member may no longer see drops out of the list, the count
 * and email: a deleted thread, a post hidden or deleted since, a case that is not published
 * (its author still hears the decision), a draft event. Needs the joins `t`, `p`, `c`, `e`.
 */
const VISIBLE_TO_RECIPIENT = sql<SqlBool>`(n.thread_id is null or t.deleted_at is null)
  and (n.post_id is null or n.kind in ('post_hidden', 'post_restored') or (p.is_deleted = 0 and p.hidden_at is null))
  and (n.case_id is null or n.kind = 'case_returned' or c.status = 'published')
  and (n.event_id is null or e.status != 'draft')`

/** Notifications whose subject their recipient may still see (the list, the count and email share it). */
function visibleNotifications(database: Kysely<Database>) {
  return database
    .selectFrom('notifications as n')
    .leftJoin('threads as t', 't.id', 'n.thread_id')
    .leftJoin('posts as p', 'p.id', 'n.post_id')
    .leftJoin('cases as c', 'c.id', 'n.case_id')
    .leftJoin('events as e', 'e.id', 'n.event_id')
    .where(VISIBLE_TO_RECIPIENT)
}

function notificationQuery(database: Kysely<Database>) {
  return visibleNotifications(database)
    .leftJoin('users as actor', 'actor.id', 'n.actor_id')
    .leftJoin('categories as cat', 'cat.id', 't.category_id')
    .select([
      'n.id',
      'n.kind',
      'n.reason',
      'n.count',
      'n.data_json',
      'n.updated_at',
      'n.read_at',
      'n.thread_id',
      'n.case_id',
      'n.event_id',
      'actor.display_name as actor_name',
      't.slug as thread_slug',
      't.title as thread_title',
      'cat.name as category_name',
      'p.number as post_number',
      'p.body_md as post_md',
      'p.body_html as post_html',
      'c.slug as case_slug',
      'c.title as case_title',
      'e.slug as event_slug',
      'e.title as event_title',
      'e.starts_at as event_starts_at',
      'e.time_zone as event_time_zone',
    ])
    
}

type NotificationRow = Awaited<ReturnType<ReturnType<typeof notificationQuery>['execute']>>[number]

function describe(row: NotificationRow, viewerZone: string | null): NotificationView | null {
  if (!isNotificationKind(row.kind)) return null
  const data = JSON.parse(row.data_json) as {
    reason?: string | null
    byFlags?: boolean
    decisionId?: number | null
    feedback?: string
    theme?: string | null
    changes?: string[]
    message?: string | null
    measure?: string
    until?: string | null
    outcome?: 'upheld' | 'overturned'
  }
  const who = row.actor_name ?? 'Someone'
  const thread = `“${row.thread_title}”`
  const theCase = `“${row.case_title}”`
  const event = `“${row.event_title}”`
  const threadHref = row.thread_id && row.thread_slug ? postPath({ id: row.thread_id, slug: row.thread_slug }, row.post_number ?? 1) : '/discussions'
  const caseHref = row.case_slug ? `/cases/${row.case_slug}` : '/cases'
  const eventHref = row.event_id ? `/events/${row.event_id}/${row.event_slug}` : '/events'
  const many = row.count > 1
  let text: string
  let href = threadHref
  let detail: string | null = null
  let nextStep: string | null = null
  switch (row.kind) {
    case 'reply':
      text = many ? `${row.count} new replies in ${thread}` : `${who} replied in ${thread}`
      break
    case 'quote':
      text = `${who} quoted you in ${thread}`
      break
    case 'mention':
      text = `${who} mentioned you in ${thread}`
      break
    case 'accepted':
      text = `${who} accepted your reply as the answer in ${thread}`
      break
    case 'helpful':
      text = many ? `${row.count} members found your post in ${thread} helpful` : `${who} found your post in ${thread} helpful`
      break
    case 'post_hidden':
      text = data.byFlags
        ? `Your post in ${thread} was hidden after members flagged it`
        : `${who}, a moderator, hid your post in ${thread}`
      detail = data.reason ? `Reason: ${data.reason}` : null
      nextStep = data.byFlags
        ? `A moderator will review the flags. You can edit the post to address them; if the moderator disagrees with the flags, the post is shown again. ${APPEAL_HOW}`
        : `You can edit the post to address the reason; moderators see your edit and can restore the post. ${APPEAL_HOW}`
      if (data.decisionId) href = appealPath(data.decisionId)
      break
    case 'member_restricted':
      text = `${who}, a moderator, ${describeMeasure(data.measure ?? '', data.until ?? null)}`
      detail = data.reason ? `Reason: ${data.reason}` : null
      nextStep = APPEAL_HOW
      if (data.decisionId) href = appealPath(data.decisionId)
      break
    case 'appeal_decided':
      text =
        data.outcome === 'overturned'
          ? `${who}, a moderator, accepted your appeal: the decision is reversed`
          : `${who}, a moderator, considered your appeal and upheld the decision`
      detail = data.reason ? `Reason: ${data.reason}` : null
      href = '/appeals'
      break
    case 'post_restored':
      text = `Your post in ${thread} is visible again`
      break
    case 'case_returned':
      text = `${who}, a moderator, returned your case ${theCase} with feedback`
      detail = data.feedback ? `Feedback: ${data.feedback}` : null
      nextStep = `Revise the case and submit it again. ${APPEAL_HOW}`
      // Returns recorded before they carried their decision lead to the case, whose page links the appeal.
      href = data.decisionId ? appealPath(data.decisionId) : `/cases/submissions/${row.case_id}`
      break
    case 'case_published':
      text = `Your case ${theCase} was published`
      href = caseHref
      break
    case 'followed_case':
      text = data.theme ? `New case in ${data.theme}: ${theCase}` : `New case: ${theCase}`
      href = caseHref
      break
    case 'followed_thread':
      text = `New thread in ${row.reason === 'follows-category' ? row.category_name : (data.theme ?? 'a theme you follow')}: ${thread}`
      break
    case 'followed_event':
      text = data.theme ? `New event in ${data.theme}: ${event}` : `New event: ${event}`
      href = eventHref
      break
    case 'waitlist_promoted':
      text = `A place opened up: you are now going to ${event}`
      href = eventHref
      break
    case 'event_changed':
      text = `${event} changed: ${(data.changes ?? ['details']).join(', ')}`
      href = eventHref
      break
    case 'event_cancelled':
      text = `${event} has been cancelled`
      detail = data.message ? `From the organizer: ${data.message}` : null
      href = eventHref
      break
    case 'event_reminder':
      text = `Reminder: ${event} starts ${row.event_starts_at ? formatInZone(row.event_starts_at, viewerZone ?? row.event_time_zone ?? 'UTC') : 'soon'}`
      href = eventHref
      break
  }
  const threadKey = threadKeyOf(row)
  return {
    id: row.id,
    kind: row.kind,
    text,
    detail,
    nextStep,
    href,
    reason: NOTIFICATION_REASONS[row.reason as NotificationReason] ?? '',
    count: row.count,
    updatedAt: row.updated_at,
    isRead: !!row.read_at,
    post: row.post_md !== null && row.post_html !== null && ['reply', 'quote', 'mention'].includes(row.kind) ? { bodyMd: row.post_md, bodyHtml: row.post_html } : null,
    threadKey,
  }
}

/** What groups a notification's emails in a mail client: its discussion, case or event. */
export function threadKeyOf(subject: { thread_id: number | null; case_id: number | null; event_id: number | null }): string {
  return subject.thread_id ? `thread-${subject.thread_id}` : subject.case_id ? `case-${subject.case_id}` : `event-${subject.event_id}`
}

/** A member's notifications, newest activity first, paged by keyset (`updatedAt~id`). */
export async function listNotifications(
  userId: number,
  {
    before,
    viewerZone = null,
    unreadOf,
  }: {
    before?: string | null
    viewerZone?: string | null
    /** Only unread ones of these kinds with news since this instant (what a summary holds). */
    unreadOf?: { kinds: NotificationKind[]; since: string }
  } = {},
  database: Kysely<Database> = db,
): Promise<{ notifications: NotificationView[]; nextCursor: string | null }> {
  const cursor = parseCursor(before)
  let query = notificationQuery(database).where('n.user_id', '=', userId)
  if (unreadOf) {
    query = query.where('n.read_at', 'is', null).where('n.kind', 'in', unreadOf.kinds).where('n.updated_at', '>=', unreadOf.since)
  }
  if (cursor) {
    query = query.where((eb) =>
      eb.or([eb('n.updated_at', '<', cursor.updatedAt), eb.and([eb('n.updated_at', '=', cursor.updatedAt), eb('n.id', '<', cursor.id)])]),
    )
  }
  const rows = await query.orderBy('n.updated_at', 'desc').orderBy('n.id', 'desc').limit(NOTIFICATIONS_PER_PAGE + 1).execute()
  const page = rows.slice(0, NOTIFICATIONS_PER_PAGE)
  const last = page.at(-1)
  return {
    notifications: page.map((row) => describe(row, viewerZone)).filter((n): n is NotificationView => !!n),
    nextCursor: rows.length > NOTIFICATIONS_PER_PAGE && last ? `${last.updated_at}~${last.id}` : null,
  }
}

function parseCursor(cursor: string | null | undefined): { updatedAt: string; id: number } | null {
  const match = cursor?.match(/^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)~(\d{1,15})$/)
  return match ? { updatedAt: match[1], id: Number(match[2]) } : null
}

/** One notification as its recipient (and their email) would see it; null once it may not be seen. */
export async function getNotificationForRecipient(notificationId: number, viewerZone: string | null = null, database: Kysely<Database> = db) {
  const row = await notificationQuery(database).select('n.user_id').where('n.id', '=', notificationId).executeTakeFirst()
  return row ? { userId: row.user_id, view: describe(row, viewerZone) } : null
}

/** Marks one of the member's notifications read and answers where it leads; null if it is not theirs or gone. */
export async function openNotification(userId: number, notificationId: number, viewerZone: string | null): Promise<string | null> {
  const found = await getNotificationForRecipient(notificationId, viewerZone)
  if (!found?.view || found.userId !== userId) return null
  if (!found.view.isRead) await markNotificationRead(userId, notificationId)
  return found.view.href
}

export async function countUnreadNotifications(userId: number): Promise<number> {
  const row = await visibleNotifications(db)
    .select((eb) => eb.fn.countAll<number>().as('unread'))
    .where('n.user_id', '=', userId)
    .where('n.read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.unread)
}

export async function markNotificationRead(userId: number, notificationId: number): Promise<boolean> {
  return (await markUnreadAsRead(userId, notificationId)) > 0
}

export async function markAllNotificationsRead(userId: number): Promise<number> {
  return markUnreadAsRead(userId, null)
}

/** A member's own choice to mark read (one or all): a durable write that changes only their pages. */
async function markUnreadAsRead(userId: number, notificationId: number | null): Promise<number> {
  const result = await writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.member(userId)])
    let update = trx.updateTable('notifications').set({ read_at: new Date().toISOString() }).where('user_id', '=', userId).where('read_at', 'is', null)
    if (notificationId !== null) update = update.where('id', '=', notificationId)
    return update.executeTakeFirst()
  })
  return Number(result.numUpdatedRows)
}

/**
 * Seeing the thing a notification is about reads it: a thread page up to its last shown post,
 * a case, an event. Reads first, so a page view with nothing unread writes nothing.
 */
export async function markSubjectSeen(
  userId: number,
  subject: { threadId: number; upToNumber: number } | { caseId: number } | { eventId: number },
): Promise<void> {
  let unread = db.selectFrom('notifications as n').select('n.id').where('n.user_id', '=', userId).where('n.read_at', 'is', null)
  if ('threadId' in subject) {
    unread = unread
      .leftJoin('posts as p', 'p.id', 'n.post_id')
      .where('n.thread_id', '=', subject.threadId)
      .where((eb) => eb.or([eb('p.number', 'is', null), eb('p.number', '<=', subject.upToNumber)]))
  } else if ('caseId' in subject) {
    unread = unread.where('n.case_id', '=', subject.caseId)
  } else {
    unread = unread.where('n.event_id', '=', subject.eventId)
  }
  const ids = (await unread.execute()).map((row) => row.id)
  if (!ids.length) return
  // Bookkeeping of a page view: only the reader's own pages change (see writeMemberBookkeeping).
  await writeMemberBookkeeping(pageTags.member(userId), (trx) =>
    trx.updateTable('notifications').set({ read_at: new Date().toISOString() }).where('id', 'in', ids).execute(),
  )
}
