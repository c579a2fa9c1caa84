import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import { type Database, OUTBOX_STATUSES, type OutboxMessage, type OutboxStatus } from '../../db/schema'
import { siteHost } from '../lib/mail-transport.server'

/** A sender holds a claimed message this long; one that dies mid-send leaves it to be taken again after. */
export const MAIL_LEASE_MS = 5 * 60_000
export const MAX_MAIL_ATTEMPTS = 8
const FIRST_RETRY_MS = 60_000
const LONGEST_RETRY_MS = 6 * 60 * 60_000
const ERROR_LENGTH = 1000

export interface NewMail {
  userId: number | null
  toAddress: string
  kind: string
  notificationId?: number | null
  /** Messages sharing a key (e.g. `thread-12`) thread together in the member's mail client. */
  threadKey?: string | null
  /** Final content for mail that is not composed at send time (prepareMail passes it through). */
  subject?: string
  text?: string
  html?: string
  /** ISO time; defaults to now. */
  dueAt?: string
}

/**
 * Queues one message inside the caller's transaction, so it exists exactly when what caused it
 * does. The Message-ID is fixed now: a message sent again after a crash carries the same one,
 * and the receiving side can tell it is a repeat.
 */
export async function enqueueMail(trx: Kysely<Database>, mail: NewMail): Promise<{ id: number; messageId: string }> {
  const now = new Date().toISOString()
  const messageId = `<${randomBytes(16).toString('hex')}@${siteHost()}>`
  const row = await trx
    .insertInto('mail_outbox')
    .values({
      user_id: mail.userId,
      to_address: mail.toAddress,
      kind: mail.kind,
      notification_id: mail.notificationId ?? null,
      message_id: messageId,
      thread_key: mail.threadKey ?? null,
      subject: mail.subject ?? '',
      text_body: mail.text ?? '',
      html_body: mail.html ?? '',
      due_at: mail.dueAt ?? now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, messageId }
}

/**
 * Takes up to `limit` messages for `owner` to send: queued ones that are due, and ones another
 * sender claimed but did not finish before its lease ran out (it crashed or hung). One
 * IMMEDIATE transaction, so two senders never take the same message.
 */
export async function claimDueMail(owner: string, limit: number, now: Date = new Date()): Promise<OutboxMessage[]> {
  const at = now.toISOString()
  const leaseUntil = new Date(now.getTime() + MAIL_LEASE_MS).toISOString()
  // Two index ranges rather than one OR, which SQLite would answer by reading the whole table.
  const due = (trx: Kysely<Database>, n: number) =>
    trx.selectFrom('mail_outbox').select(['id', 'due_at']).where('status', '=', 'queued').where('due_at', '<=', at).orderBy('due_at').orderBy('id').limit(n).execute()
  const abandoned = (trx: Kysely<Database>, n: number) =>
    trx.selectFrom('mail_outbox').select(['id', 'due_at']).where('status', '=', 'sending').where('lease_until', '<', at).orderBy('due_at').orderBy('id').limit(n).execute()
  // Most polls find nothing: reads answer them without taking the write lock (or moving the
  // page cache's database version).
  if (!(await due(db, 1)).length && !(await abandoned(db, 1)).length) return []
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.mail])
    // A message whose sender died on every attempt (say, it crashes the process) stops here.
    await trx
      .updateTable('mail_outbox')
      .set({
        status: 'failed',
        last_error: `Gave up after ${MAX_MAIL_ATTEMPTS} attempts: the sender stopped while sending it each time.`,
        lease_until: null,
        lease_owner: null,
        updated_at: at,
      })
      .where('status', '=', 'sending')
      .where('lease_until', '<', at)
      .where('attempts', '>=', MAX_MAIL_ATTEMPTS)
      .execute()
    const takeable = [...(await abandoned(trx, limit)), ...(await due(trx, limit))]
      .sort((a, b) => a.due_at.localeCompare(b.due_at) || a.id - b.id)
      .slice(0, limit)
    if (!takeable.length) return []
    const claimed = await trx
      .updateTable('mail_outbox')
      .set((eb) => ({
        status: 'sending',
        lease_until: leaseUntil,
        lease_owner: owner,
        attempts: eb('attempts', '+', 1),
        updated_at: at,
      }))
      .where(
        'id',
        'in',
        takeable.map((row) => row.id),
      )
      .returningAll()
      .execute()
    return claimed.sort((a, b) => a.due_at.localeCompare(b.due_at) || a.id - b.id)
  })
}

/**
 * Confirms `owner` still holds the message and extends its lease, just before sending. False
 * when the lease ran out and another sender took it over: this one must not send it too.
 */
export async function holdMailLease(id: number, owner: string, now: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set({ lease_until: new Date(now.getTime() + MAIL_LEASE_MS).toISOString(), updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Records what was sent, exactly as sent. */
export async function markMailSent(
  id: number,
  owner: string,
  sent: { subject: string; text: string; html: string },
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString()
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'sent',
      subject: sent.subject,
      text_body: sent.text,
      html_body: sent.html,
      sent_at: at,
      lease_until: null,
      last_error: null,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

/** Gives back messages claimed but not begun (the sender is stopping), as they were before the claim. */
export async function releaseMail(ids: number[], owner: string, now: Date = new Date()): Promise<void> {
  if (!ids.length) return
  await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'queued', attempts: eb('attempts', '-', 1), lease_until: null, lease_owner: null, updated_at: now.toISOString() }))
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .execute()
}

/** Not sent, on purpose (already read on the site, or no longer the member's to see). */
export async function markMailSkipped(id: number, owner: string, now: Date = new Date()): Promise<void> {
  const at = now.toISOString()
  await db
    .updateTable('mail_outbox')
    .set({ status: 'skipped', lease_until: null, updated_at: at })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute()
}

/** How long to wait after the nth failed attempt: 1, 2, 4, ... minutes, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS)
}

/** A temporary failure: try again later, or give up once the attempts are used up. */
export async function scheduleMailRetry(
  message: Pick<OutboxMessage, 'id' | 'attempts'>,
  owner: string,
  error: string,
  now: Date = new Date(),
): Promise<'retry' | 'failed'> {
  if (message.attempts >= MAX_MAIL_ATTEMPTS) {
    await markMailFailed(message.id, `Gave up after ${message.attempts} attempts. Last answer: ${error}`, now, owner)
    return 'failed'
  }
  const at = now.toISOString()
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'queued',
      due_at: new Date(now.getTime() + retryDelayMs(message.attempts)).toISOString(),
      lease_until: null,
      lease_owner: null,
      last_error: error.slice(0, ERROR_LENGTH),
      updated_at: at,
    })
    .where('id', '=', message.id)
    .where('lease_owner', '=', owner)
    .execute()
  return 'retry'
}

/** A permanent failure; `reason` (the server's answer) is what admins see. */
export async function markMailFailed(id: number, reason: string, now: Date = new Date(), owner?: string): Promise<void> {
  const at = now.toISOString()
  let update = db
    .updateTable('mail_outbox')
    .set({ status: 'failed', last_error: reason.slice(0, ERROR_LENGTH), lease_until: null, lease_owner: null, updated_at: at })
    .where('id', '=', id)
  if (owner) update = update.where('lease_owner', '=', owner)
  await update.execute()
}

// ---------------------------------------------------------------------------------------------
// For admins

export const OUTBOX_PAGE_SIZE = 50

export interface OutboxEntry {
  id: number
  toAddress: string
  kind: string
  subject: string
  status: OutboxStatus
  attempts: number
  dueAt: string
  sentAt: string | null
  lastError: string | null
  messageId: string
}

/**
 * All messages newest first; one status by latest change first (the failure just reported on
 * top). `before` is the previous page's `nextBefore`: an id, or with a status `updatedAt~id`,
 * so each page is one index range however large the outbox grows.
 */
export async function listOutbox({
  status,
  before,
  limit = OUTBOX_PAGE_SIZE,
}: {
  status?: OutboxStatus | null
  before?: string | null
  limit?: number
}): Promise<{ messages: OutboxEntry[]; nextBefore: string | null }> {
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'kind', 'subject', 'status', 'attempts', 'due_at', 'sent_at', 'last_error', 'message_id', 'updated_at'])
    .limit(limit + 1)
  const cursor = parseCursor(before)
  if (status) {
    query = query.where('status', '=', status).orderBy('updated_at', 'desc').orderBy('id', 'desc')
    if (cursor?.updatedAt) {
      const { updatedAt, id } = cursor
      query = query.where((eb) => eb.or([eb('updated_at', '<', updatedAt), eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)])]))
    }
  } else {
    query = query.orderBy('id', 'desc')
    if (cursor) query = query.where('id', '<', cursor.id)
  }
  const rows = await query.execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    messages: page.map((row) => ({
      id: row.id,
      toAddress: row.to_address,
      kind: row.kind,
      subject: row.subject,
      status: row.status,
      attempts: row.attempts,
      dueAt: row.due_at,
      sentAt: row.sent_at,
      lastError: row.last_error,
      messageId: row.message_id,
    })),
    nextBefore: rows.length > limit ? (status ? `${last.updated_at}~${last.id}` : String(last.id)) : null,
  }
}

/** What a `nextBefore` looks like, for routes to validate one they are given. */
export const OUTBOX_CURSOR = /^(?:([0-9T:.Z-]{1,40})~)?(\d{1,15})$/

function parseCursor(before: string | null | undefined): { updatedAt: string | null; id: number } | null {
  const match = before ? OUTBOX_CURSOR.exec(before) : null
  return match ? { updatedAt: match[1] ?? null, id: Number(match[2]) } : null
}

export async function countOutboxByStatus(): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', db.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<OutboxStatus, number>
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

/** Puts a failed message back in the queue, due now, with fresh attempts. False when it was not failed. */
export async function retryMail(id: number, now: Date = new Date()): Promise<boolean> {
  const at = now.toISOString()
  const result = await db
    .updateTable('mail_outbox')
    .set({ status: 'queued', due_at: at, attempts: 0, lease_until: null, lease_owner: null, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
