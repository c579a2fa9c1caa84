import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Viewer } from './case-reading.server'
import { replyToThread } from './post.server'
import { createThread } from './thread.server'

export const CASE_DISCUSSION_CATEGORY = 'case-discussions'

/**
 * Adds a member's comment to the case's discussion: the first comment starts the thread (in
 * the case-discussions category, tagged with the case's failure modes), later ones reply to it.
 */
export async function commentOnCase(viewer: Viewer, caseId: number, body: string): Promise<Outcome<{ threadId: number; number: number }>> {
  const found = await db.selectFrom('cases').select(['id', 'title', 'status', 'thread_id']).where('id', '=', caseId).executeTakeFirst()
  if (!found || found.status !== 'published') return refuse(404, 'This case is not published.')
  if (found.thread_id) {
    const replied = await replyToThread(viewer, found.thread_id, body)
    return replied.ok ? ok({ threadId: found.thread_id, number: replied.value.number }) : replied
  }
  const modes = await db
    .selectFrom('case_failure_modes as m')
    .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
    .select('t.slug')
    .where('m.case_id', '=', caseId)
    .orderBy('m.is_primary', 'desc')
    .limit(5)
    .execute()
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    // Two first comments at once: the second finds the thread the first made and replies to it.
    const current = await trx.selectFrom('cases').select('thread_id').where('id', '=', caseId).executeTakeFirstOrThrow()
    if (current.thread_id) {
      const replied = await replyToThread(viewer, current.thread_id, body, { trx })
      return replied.ok ? ok({ threadId: current.thread_id, number: replied.value.number }) : replied
    }
    const created = await createThread(
      viewer,
      {
        categorySlug: CASE_DISCUSSION_CATEGORY,
        title: `Case discussion: ${found.title}`.slice(0, 150),
        body,
        tagSlugs: modes.map((m) => m.slug),
      },
      { trx },
    )
    if (!created.ok) return created
    await trx.updateTable('cases').set({ thread_id: created.value.id }).where('id', '=', caseId).execute()
    return ok({ threadId: created.value.id, number: 1 })
  })
}
