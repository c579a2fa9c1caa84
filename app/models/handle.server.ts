import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'

// A handle is a member's public name and address (`@handle`, /members/<handle>). Old handles stay
// in handle_history for a while, so links and mentions made with them keep reaching the member.

/**
 * Whether `handle` is free for `userId` (null: someone joining) to take: no member has it, and no
 * other member (or deleted account) used it within the reservation period. Taking a handle whose
 * reservation ran out, or one of one's own old handles, clears its history row.
 */
export async function claimHandle(trx: Kysely<Database>, handle: string, userId: number | null): Promise<boolean> {
  const holder = await trx.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst()
  if (holder) return holder.id === userId
  const history = await trx
    .selectFrom('handle_history')
    .select(['user_id', 'reserved_until'])
    .where('handle', '=', handle)
    .executeTakeFirst()
  if (!history) return true
  const own = userId !== null && history.user_id === userId
  if (!own && history.reserved_until > new Date().toISOString()) return false
  await trx.deleteFrom('handle_history').where('handle', '=', handle).execute()
  return true
}

/**
 * The live members named by `@handle` candidates, typed handle to current handle: a member's own
 * handle, or one they used before (so a new post mentioning an old handle still reaches them).
 */
export async function resolveMentionedHandles(
  trx: Kysely<Database>,
  candidates: string[],
): Promise<{ mentions: Map<string, string>; userIdsByHandle: Map<string, number> }> {
  const mentions = new Map<string, string>()
  const userIdsByHandle = new Map<string, number>()
  if (!candidates.length) return { mentions, userIdsByHandle }
  const [current, previous] = await Promise.all([
    trx.selectFrom('users').select(['id', 'handle']).where('handle', 'in', candidates).where('deleted_at', 'is', null).execute(),
    trx
      .selectFrom('handle_history as h')
      .innerJoin('users as u', 'u.id', 'h.user_id')
      .select(['h.handle as old_handle', 'u.id', 'u.handle'])
      .where('h.handle', 'in', candidates)
      .where('u.deleted_at', 'is', null)
      .execute(),
  ])
  for (const member of previous) {
    mentions.set(member.old_handle, member.handle)
    userIdsByHandle.set(member.handle, member.id)
  }
  for (const member of current) {
    mentions.set(member.handle, member.handle)
    userIdsByHandle.set(member.handle, member.id)
  }
  return { mentions, userIdsByHandle }
}
