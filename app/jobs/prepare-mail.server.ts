import type { OutboxMessage } from '../../db/schema'
import { isNotificationKind } from '../lib/notification-kinds'
import { composeQueuedNotificationMail, unsubscribeUrlFor } from '../models/notification-mail.server'

/** What the sender puts in the message, decided when it is about to go (not when it was queued). */
export interface PreparedMail {
  subject: string
  text: string
  html: string
  /** RFC 8058 one-click address; the sender adds List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl: string | null
}

/**
 * The message a claimed outbox row should send now, or null when it should not go at all
 * (skipped: the member already saw it on the site, may no longer see its subject, or no longer
 * wants it right away). A notification's email is composed again, so an edit made while it was
 * held is what gets sent. Rows without a notification (summaries) carry their final content.
 */
export async function prepareMail(row: OutboxMessage): Promise<PreparedMail | null> {
  if (row.notification_id !== null) {
    const mail = await composeQueuedNotificationMail(row.notification_id)
    return mail && { subject: mail.subject, text: mail.text, html: mail.html, unsubscribeUrl: mail.unsubscribeUrl }
  }
  // Its notification is gone (the post or the member was deleted): nothing left to tell.
  if (isNotificationKind(row.kind)) return null
  const summary = row.kind === 'summary_daily' ? 'daily' : row.kind === 'summary_weekly' ? 'weekly' : null
  return {
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    unsubscribeUrl: summary && row.user_id !== null ? unsubscribeUrlFor(row.user_id, summary) : null,
  }
}
