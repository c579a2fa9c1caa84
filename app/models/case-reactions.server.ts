import { sql } from 'kysely'
import { writeTransaction } from '../../db/client'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Viewer } from './case-reading.server'

/** "Helpful" and "We've seen this too": one of each per member per case, undoable. */
export async function toggleCaseReaction(viewer: Viewer, caseId: number, kind: 'helpful' | 'seen'): Promise<Outcome<{ marked: boolean }>> {
  return writeTransaction(async (trx) => {
    const found = await trx.selectFrom('cases').select(['id', 'status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!found || found.status !== 'published') return refuse(404, 'This case is not published.')
    if (found.author_id === viewer.id) return refuse(403, 'You cannot mark your own case.')
    const existing = await trx
      .selectFrom('case_reactions')
      .select('kind')
      .where('case_id', '=', caseId)
      .where('user_id', '=', viewer.id)
      .where('kind', '=', kind)
      .executeTakeFirst()
    if (existing) {
      await trx.deleteFrom('case_reactions').where('case_id', '=', caseId).where('user_id', '=', viewer.id).where('kind', '=', kind).execute()
    } else {
      await trx.insertInto('case_reactions').values({ case_id: caseId, user_id: viewer.id, kind, created_at: new Date().toISOString() }).execute()
    }
    const column = kind === 'helpful' ? 'helpful_count' : 'seen_count'
    await trx
      .updateTable('cases')
      .set({ [column]: sql<number>`${sql.ref(column)} + ${existing ? -1 : 1}` })
      .where('id', '=', caseId)
      .execute()
    return ok({ marked: !existing })
  })
}
