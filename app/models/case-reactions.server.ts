import { type Kysely, sql } from 'kysely'
import { noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { Database } from '../../db/schema'
import type { AppliedLesson, SeenTooEvidence } from '../lib/case-evidence'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Viewer } from './case-reading.server'
import { participationRefusal } from './participation.server'

/** "Helpful" and "We've seen this too": one of each per member per case, undoable. */
export async function toggleCaseReaction(viewer: Viewer, caseId: number, kind: 'helpful' | 'seen'): Promise<Outcome<{ marked: boolean }>> {
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
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

async function publishedCaseOthersWrote(trx: Kysely<Database>, viewer: Viewer, caseId: number) {
  const found = await trx.selectFrom('cases').select(['id', 'status', 'author_id', 'recommendations_json']).where('id', '=', caseId).executeTakeFirst()
  if (!found || found.status !== 'published') return refuse(404, 'This case is not published.')
  if (found.author_id === viewer.id) return refuse(403, 'You cannot add evidence to your own case.')
  return ok(found)
}

/**
 * "We've seen this too" with where and when: marks the case (once per member) or updates what
 * the member said about it. A note is shown on the case only when its member chose so.
 */
export async function recordSeenToo(viewer: Viewer, caseId: number, evidence: SeenTooEvidence): Promise<Outcome> {
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    const refusal = await participationRefusal(trx, viewer)
    if (refusal) return refusal
    const found = await publishedCaseOthersWrote(trx, viewer, caseId)
    if (!found.ok) return found
    if (evidence.seenLevel) {
      const level = await trx.selectFrom('taxonomy_terms').select('id').where('facet', '=', 'level').where('slug', '=', evidence.seenLevel).executeTakeFirst()
      if (!level) return refuse(400, 'Choose a level of government from the list', 'seenLevel')
    }
    const values = {
      seen_level: evidence.seenLevel,
      seen_year: evidence.seenYear,
      seen_note: evidence.seenNote,
      note_public: evidence.seenNote && evidence.notePublic ? 1 : 0,
    }
    const updated = await trx
      .updateTable('case_reactions')
      .set(values)
      .where('case_id', '=', caseId)
      .where('user_id', '=', viewer.id)
      .where('kind', '=', 'seen')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) {
      await trx.insertInto('case_reactions').values({ case_id: caseId, user_id: viewer.id, kind: 'seen', created_at: new Date().toISOString(), ...values }).execute()
      await trx.updateTable('cases').set({ seen_count: sql<number>`seen_count + 1` }).where('id', '=', caseId).execute()
    }
    return ok()
  })
}

/** A member applied one of the case's recommendations and says how it went; saying again replaces it. */
export async function recordAppliedLesson(viewer: Viewer, caseId: number, applied: AppliedLesson): Promise<Outcome> {
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    const refusal = await participationRefusal(trx, viewer)
    if (refusal) return refusal
    const found = await publishedCaseOthersWrote(trx, viewer, caseId)
    if (!found.ok) return found
    const recommendations = JSON.parse(found.value.recommendations_json) as string[]
    if (applied.recommendation >= recommendations.length) return refuse(400, 'Choose the recommendation you applied', 'recommendation')
    const now = new Date().toISOString()
    await trx
      .insertInto('case_applications')
      .values({ case_id: caseId, user_id: viewer.id, recommendation: applied.recommendation, result: applied.result, note: applied.appliedNote, created_at: now, updated_at: now })
      .onConflict((conflict) =>
        conflict.columns(['case_id', 'recommendation', 'user_id']).doUpdateSet({ result: applied.result, note: applied.appliedNote, updated_at: now }),
      )
      .execute()
    return ok()
  })
}
