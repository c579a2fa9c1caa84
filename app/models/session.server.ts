import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { db, writeIfPossible } from '../../db/client'
import type { User } from '../../db/schema'

// The session design follows Lucia's guide: a random token lives only in the member's cookie,
// the database keeps its SHA-256, so a leaked database cannot be replayed as cookies.
export const SESSION_DURATION_MS = 30 * 24 * 60 * 60 * 1000
const RENEW_WHEN_LESS_THAN_MS = SESSION_DURATION_MS / 2

export type SessionUser = Pick<
  User,
  | 'id'
  | 'email'
  | 'handle'
  | 'display_name'
  | 'role'
  | 'member_type'
  | 'organization'
  | 'government_level'
  | 'time_zone'
  | 'email_verified_at'
  | 'silenced_until'
  | 'suspended_until'
>

export interface ValidSession {
  id: string
  expiresAt: Date
  /** True when this lookup slid the expiry forward (the browser's cookie must follow it). */
  renewed: boolean
  user: SessionUser
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20) // 160 bits
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export async function createSession(token: string, userId: number): Promise<ValidSession['expiresAt']> {
  const now = Date.now()
  const expiresAt = new Date(now + SESSION_DURATION_MS)
  await db
    .insertInto('sessions')
    .values({
      id: sessionIdFromToken(token),
      user_id: userId,
      expires_at: expiresAt.toISOString(),
      created_at: new Date(now).toISOString(),
    })
    .execute()
  return expiresAt
}

/** Returns the session and its member, sliding the expiry forward when half of it is used. */
export async function validateSessionToken(token: string): Promise<ValidSession | null> {
  const sessionId = sessionIdFromToken(token)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'users.id',
      'users.email',
      'users.handle',
      'users.display_name',
      'users.role',
      'users.member_type',
      'users.organization',
      'users.government_level',
      'users.time_zone',
      'users.email_verified_at',
      'users.silenced_until',
      'users.suspended_until',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null

  const now = Date.now()
  let expiresAt = new Date(row.expires_at)
  if (now >= expiresAt.getTime()) {
    await writeIfPossible(() => invalidateSession(sessionId))
    return null
  }
  let renewed = false
  if (expiresAt.getTime() - now < RENEW_WHEN_LESS_THAN_MS) {
    const renewedUntil = new Date(now + SESSION_DURATION_MS)
    renewed = await writeIfPossible(() =>
      db.updateTable('sessions').set({ expires_at: renewedUntil.toISOString() }).where('id', '=', sessionId).execute(),
    )
    if (renewed) expiresAt = renewedUntil
  }
  const { session_id, expires_at: _, ...user } = row
  return { id: session_id, expiresAt, renewed, user }
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

export async function invalidateOtherSessions(userId: number, keepSessionId: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '!=', keepSessionId)
    .execute()
}

export async function deleteExpiredSessions(): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', new Date().toISOString()).execute()
}
