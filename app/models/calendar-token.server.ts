import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { db } from '../../db/client'

// A personal calendar feed lives at a secret address. As with sessions, only the token's
// SHA-256 is stored, and making a new one replaces (so revokes) the old.
const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)))

export async function createCalendarToken(userId: number): Promise<string> {
  const bytes = new Uint8Array(20) // 160 bits
  crypto.getRandomValues(bytes)
  const token = encodeBase32LowerCaseNoPadding(bytes)
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, token_hash: hashToken(token), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashToken(token), created_at: new Date().toISOString() }))
    .execute()
  return token
}

export async function revokeCalendarToken(userId: number): Promise<void> {
  await db.deleteFrom('calendar_tokens').where('user_id', '=', userId).execute()
}

export async function hasCalendarToken(userId: number): Promise<boolean> {
  return !!(await db.selectFrom('calendar_tokens').select('user_id').where('user_id', '=', userId).executeTakeFirst())
}

/** The member a feed token belongs to, or null for an unknown or revoked one. */
export async function userForCalendarToken(token: string): Promise<number | null> {
  if (!/^[a-z2-7]{20,64}$/.test(token)) return null
  const row = await db.selectFrom('calendar_tokens').select('user_id').where('token_hash', '=', hashToken(token)).executeTakeFirst()
  return row?.user_id ?? null
}
