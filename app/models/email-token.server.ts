import type { Kysely } from 'kysely'
import type { Database, EmailTokenPurpose } from '../../db/schema'
import { generateSessionToken, sessionIdFromToken } from './session.server'

// Emailed tokens are made and stored the way session tokens are (160 random bits, only the
// SHA-256 kept), so a leaked database holds no usable link.

export const EMAIL_TOKEN_LIFETIMES_MS: Record<EmailTokenPurpose, number> = {
  'reset-password': 60 * 60 * 1000,
  'verify-email': 24 * 60 * 60 * 1000,
  'change-email': 24 * 60 * 60 * 1000,
  'undo-email-change': 7 * 24 * 60 * 60 * 1000,
}

/** A token's address in the mail, as the site's own path. */
export const EMAIL_TOKEN_PATHS: Record<EmailTokenPurpose, string> = {
  'reset-password': '/reset-password',
  'verify-email': '/verify-email',
  'change-email': '/settings/email/confirm',
  'undo-email-change': '/settings/email/undo',
}

/**
 * Makes a token for `purpose` and returns it (the mail is its only copy). The member's earlier
 * unspent tokens of the same purpose stop working: only the newest link counts.
 */
export async function issueEmailToken(
  trx: Kysely<Database>,
  token: { purpose: EmailTokenPurpose; userId: number; email: string },
  now: Date = new Date(),
): Promise<string> {
  const raw = generateSessionToken()
  await trx.deleteFrom('email_tokens').where('user_id', '=', token.userId).where('purpose', '=', token.purpose).where('used_at', 'is', null).execute()
  await trx
    .insertInto('email_tokens')
    .values({
      purpose: token.purpose,
      user_id: token.userId,
      token_hash: sessionIdFromToken(raw),
      email: token.email,
      expires_at: new Date(now.getTime() + EMAIL_TOKEN_LIFETIMES_MS[token.purpose]).toISOString(),
      created_at: now.toISOString(),
    })
    .execute()
  return raw
}

export type TokenProblem = 'unknown' | 'used' | 'expired'

/** The token's row when it is of this purpose, unspent and in date; otherwise why not. */
export async function findEmailToken(
  trx: Kysely<Database>,
  purpose: EmailTokenPurpose,
  raw: string,
  now: Date = new Date(),
): Promise<{ ok: true; id: number; userId: number; email: string } | { ok: false; problem: TokenProblem }> {
  if (!/^[a-z2-7]{20,64}$/.test(raw)) return { ok: false, problem: 'unknown' }
  const row = await trx
    .selectFrom('email_tokens')
    .select(['id', 'user_id', 'email', 'expires_at', 'used_at'])
    .where('token_hash', '=', sessionIdFromToken(raw))
    .where('purpose', '=', purpose)
    .executeTakeFirst()
  if (!row) return { ok: false, problem: 'unknown' }
  if (row.used_at) return { ok: false, problem: 'used' }
  if (row.expires_at <= now.toISOString()) return { ok: false, problem: 'expired' }
  return { ok: true, id: row.id, userId: row.user_id, email: row.email }
}

export async function spendEmailToken(trx: Kysely<Database>, id: number, now: Date = new Date()): Promise<void> {
  await trx.updateTable('email_tokens').set({ used_at: now.toISOString() }).where('id', '=', id).execute()
}

/** Unspent tokens of these purposes stop working (an address changed, a password was reset). */
export async function retireEmailTokens(trx: Kysely<Database>, userId: number, purposes: EmailTokenPurpose[]): Promise<void> {
  await trx.deleteFrom('email_tokens').where('user_id', '=', userId).where('purpose', 'in', purposes).where('used_at', 'is', null).execute()
}
