import type { OutboxMessage } from '../../db/schema'
import { type MailTransport, type OutgoingMail, mailFrom, siteHost } from '../lib/mail-transport.server'
import {
  claimDueMail,
  holdMailLease,
  markMailFailed,
  releaseMail,
  markMailSent,
  markMailSkipped,
  scheduleMailRetry,
} from '../models/mail-outbox.server'
import { type PreparedMail, prepareMail } from './prepare-mail.server'

export const MAIL_BATCH_SIZE = 10

export interface SendReport {
  claimed: number
  sent: number
  skipped: number
  retrying: number
  failed: number
}

/**
 * Sends one batch of due messages. Each is claimed under a lease in a short transaction and sent
 * after it committed, so a slow or dead mail server never holds the database; each outcome is
 * recorded as soon as it is known, so a crash repeats at most the message that was in flight.
 */
export async function sendDueMail({
  owner,
  transport,
  now,
  limit = MAIL_BATCH_SIZE,
  signal,
}: {
  owner: string
  transport: MailTransport
  /** A fixed clock for tests; otherwise each step reads the time when it happens. */
  now?: Date
  limit?: number
  /** Aborted when the process is stopping: what was claimed but not begun goes back to the queue. */
  signal?: AbortSignal
}): Promise<SendReport> {
  // A batch can take minutes against a slow server: each lease and backoff counts from its own moment.
  const clock = () => now ?? new Date()
  const report: SendReport = { claimed: 0, sent: 0, skipped: 0, retrying: 0, failed: 0 }
  const batch = await claimDueMail(owner, limit, clock())
  report.claimed = batch.length
  for (const [index, row] of batch.entries()) {
    if (signal?.aborted) {
      await releaseMail(
        batch.slice(index).map((unsent) => unsent.id),
        owner,
        clock(),
      )
      break
    }
    if (!(await holdMailLease(row.id, owner, clock()))) continue
    let prepared: PreparedMail | null
    try {
      prepared = await prepareMail(row)
    } catch (error) {
      console.error(`[mail] could not compose message ${row.id}`, error)
      const outcome = await scheduleMailRetry(row, owner, `Could not compose the message: ${errorText(error)}`, clock())
      report[outcome === 'retry' ? 'retrying' : 'failed']++
      continue
    }
    if (!prepared) {
      await markMailSkipped(row.id, owner, clock())
      report.skipped++
      continue
    }
    try {
      await transport.send(outgoingMail(row, prepared))
    } catch (error) {
      const answer = errorText(error)
      if (isTemporary(error)) {
        const outcome = await scheduleMailRetry(row, owner, answer, clock())
        report[outcome === 'retry' ? 'retrying' : 'failed']++
      } else {
        await markMailFailed(row.id, answer, clock(), owner)
        report.failed++
      }
      continue
    }
    await markMailSent(row.id, owner, prepared, clock())
    report.sent++
  }
  return report
}

/** The message as it goes out: the headers that thread it, mark it automatic and offer unsubscribing. */
export function outgoingMail(row: OutboxMessage, prepared: PreparedMail): OutgoingMail {
  const threadRoot = row.thread_key ? `<${row.thread_key}@${siteHost()}>` : undefined
  const headers: Record<string, string> = {
    // RFC 3834: vacation responders and ticket systems must not answer it.
    'Auto-Submitted': 'auto-generated',
  }
  // RFC 8058: mailbox providers offer one-click unsubscribe only when this header is present.
  if (prepared.unsubscribeUrl) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  return {
    from: mailFrom(),
    to: row.to_address,
    subject: prepared.subject,
    text: prepared.text,
    html: prepared.html,
    messageId: row.message_id,
    // Every message about one discussion answers the same imaginary root, so clients group them.
    inReplyTo: threadRoot,
    references: threadRoot,
    headers,
    list: prepared.unsubscribeUrl ? { unsubscribe: { url: prepared.unsubscribeUrl } } : undefined,
  }
}

// nodemailer's codes for a message no server will ever take (no valid recipient, broken content).
const MALFORMED_MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE'])

/**
 * 4xx answers are temporary and 5xx permanent (RFC 5321). Without an answer, the server was not
 * reached (ECONNREFUSED, ETIMEDOUT, ...) or the disk was full: worth another try, as the
 * attempts are bounded anyway.
 */
export function isTemporary(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown }
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500
  return !(typeof code === 'string' && MALFORMED_MESSAGE_CODES.has(code))
}

/** The server's own answer when there is one ("550 5.1.1 No such user"), else what went wrong. */
function errorText(error: unknown): string {
  const { response, message, code } = (error ?? {}) as { response?: unknown; message?: unknown; code?: unknown }
  if (typeof response === 'string' && response) return response
  const text = typeof message === 'string' ? message : String(error)
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text
}
