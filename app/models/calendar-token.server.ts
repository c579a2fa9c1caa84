import { db } from '../../db/client'
import { generateSecretToken, hashSecretToken, looksLikeSecretToken } from '../lib/secret-token.server'

// A personal calendar feed lives at a secret address; making a new one replaces (so revokes) the old.

export async function createCalendarToken(userId: number): Promise<string> {
  const token = generateSecretToken()
  const values = { token_hash: hashSecretToken(token), created_at: new Date().toISOString() }
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
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
  if (!looksLikeSecretToken(token)) return null
  const row = await db.selectFrom('calendar_tokens').select('user_id').where('token_hash', '=', hashSecretToken(token)).executeTakeFirst()
  return row?.user_id ?? null
}
