import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { type Refusal, refuse } from '../lib/outcome'
import { PARTICIPATION_REFUSALS, participationBlock } from '../lib/participation'

/**
 * The refusal for a write by a member who may not take part (unconfirmed address, silenced,
 * suspended), or null when they may. Every write that adds content asks it first, inside its own
 * transaction, so a member silenced a moment ago is refused and no route can forget the rule.
 */
export async function participationRefusal(trx: Kysely<Database>, member: { id: number }): Promise<Refusal | null> {
  const standing = await trx
    .selectFrom('users')
    .select(['email_verified_at', 'silenced_until', 'suspended_until'])
    .where('id', '=', member.id)
    .executeTakeFirst()
  const block = standing ? participationBlock(standing) : { kind: 'suspended' as const }
  return block ? refuse(403, PARTICIPATION_REFUSALS[block.kind]) : null
}
