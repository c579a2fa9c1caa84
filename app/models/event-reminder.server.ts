import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import { recordActivity } from './activity.server'

export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000

/**
 * Queues the reminder for every published event starting within the next 24 hours that has
 * not had one. Marking the event and recording the activity share a transaction, so each
 * event is reminded once, whichever process gets there first.
 */
export async function queueEventReminders(now = new Date()): Promise<number> {
  const nowIso = now.toISOString()
  const due = await db
    .selectFrom('events')
    .select('id')
    .where('status', '=', 'published')
    .where('reminded_at', 'is', null)
    .where('starts_at', '>', nowIso)
    .where('starts_at', '<=', new Date(now.getTime() + REMINDER_LEAD_MS).toISOString())
    .limit(100)
    .execute()
  let queued = 0
  for (const { id } of due) {
    const marked = await writeTransaction(async (trx) => {
      noteChanges(trx, [pageTags.events])
      const result = await trx
        .updateTable('events')
        .set({ reminded_at: nowIso })
        .where('id', '=', id)
        .where('reminded_at', 'is', null)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) return false
      await recordActivity(trx, { kind: 'event_reminder', eventId: id }, now)
      return true
    })
    if (marked) queued++
  }
  return queued
}
