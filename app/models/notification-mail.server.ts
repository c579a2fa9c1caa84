import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { signValue, verifySignedValue } from '../lib/signed-value.server'
import { type MailContent, renderMail } from '../lib/mail-template'
import { NOTIFICATION_KINDS, type NotificationKind, isNotificationKind } from '../lib/notification-kinds'
import { siteUrl } from '../lib/site-url'
import { getEmailPreferences } from './email-preference.server'
import { enqueueMail } from './mail-outbox.server'
import { getNotificationForRecipient, threadKeyOf } from './notification.server'

/** How long an email waits, so an item seen on the site meanwhile is never mailed (MAIL_HOLD_MINUTES). */
export function mailHoldMs(): number {
  const minutes = Number(process.env.MAIL_HOLD_MINUTES ?? 10)
  return Number.isFinite(minutes) && minutes >= 0 ? minutes * 60_000 : 10 * 60_000
}

/**
 * Queues the email for each notification unless one is already waiting for it (a consolidated
 * notification sends one email with the latest count). Nothing is composed here: the sender
 * composes each message when it goes, so a reply to a thread with thousands of watchers costs
 * the fan-out a few set-based queries and one small insert per recipient.
 */
export async function queueNotificationMails(trx: Kysely<Database>, notificationIds: number[], now: Date): Promise<void> {
  if (!notificationIds.length) return
  const waiting = await trx
    .selectFrom('mail_outbox')
    .select('notification_id')
    .where('notification_id', 'in', notificationIds)
    .where('status', 'in', ['queued', 'sending'])
    .execute()
  const alreadyQueued = new Set(waiting.map((row) => row.notification_id))
  const fresh = notificationIds.filter((id) => !alreadyQueued.has(id))
  if (!fresh.length) return
  const rows = await trx
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.user_id', 'n.kind', 'n.thread_id', 'n.case_id', 'n.event_id', 'u.email'])
    .where('n.id', 'in', fresh)
    .execute()
  const dueAt = new Date(now.getTime() + mailHoldMs()).toISOString()
  for (const row of rows) {
    await enqueueMail(trx, {
      userId: row.user_id,
      toAddress: row.email,
      kind: row.kind,
      notificationId: row.id,
      threadKey: threadKeyOf(row),
      dueAt,
    })
  }
}

type NotificationView = NonNullable<NonNullable<Awaited<ReturnType<typeof getNotificationForRecipient>>>['view']>

export function composeNotificationMail(userId: number, view: NotificationView): MailContent & { unsubscribeUrl: string } {
  const site = siteUrl()
  const unsubscribeUrl = unsubscribeUrlFor(userId, view.kind)
  return {
    ...renderMail({
      subject: view.text,
      heading: view.text,
      paragraphs: [view.detail, view.nextStep].filter((line): line is string => !!line),
      quote: view.post,
      action: { label: 'Open it on SectorPulse', url: `${site}${view.href}` },
      footer: {
        why: `${view.reason} You get these emails for “${NOTIFICATION_KINDS[view.kind].label.toLowerCase()}”.`,
        preferencesUrl: `${site}/settings/notifications`,
        unsubscribeUrl,
      },
    }),
    unsubscribeUrl,
  }
}

/**
 * What a claimed notification email says now, or null when it should not go: read on the site
 * meanwhile, no longer visible to its recipient, or no longer wanted right away.
 */
export async function composeQueuedNotificationMail(notificationId: number) {
  const found = await getNotificationForRecipient(notificationId)
  if (!found?.view || found.view.isRead) return null
  const preferences = await getEmailPreferences(found.userId)
  if (preferences[found.view.kind] !== 'immediately') return null
  return composeNotificationMail(found.userId, found.view)
}

// ---------------------------------------------------------------------------------------------
// One-click unsubscribe (RFC 8058): a signed token names the member and the kind of email.

const UNSUBSCRIBE = 'unsubscribe'
export type UnsubscribeScope = NotificationKind | 'daily' | 'weekly'

export function unsubscribeUrlFor(userId: number, scope: UnsubscribeScope): string {
  return `${siteUrl()}/email/unsubscribe/${encodeURIComponent(signValue(UNSUBSCRIBE, `${userId}:${scope}`))}`
}

export function readUnsubscribeToken(token: string): { userId: number; scope: UnsubscribeScope } | null {
  const value = verifySignedValue(UNSUBSCRIBE, token)
  const match = value?.match(/^(\d{1,15}):([a-z_]+)$/)
  if (!match) return null
  const scope = match[2]
  if (scope !== 'daily' && scope !== 'weekly' && !isNotificationKind(scope)) return null
  return { userId: Number(match[1]), scope }
}

export async function userExists(userId: number): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())
}
