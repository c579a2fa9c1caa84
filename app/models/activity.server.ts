import type { Kysely, Selectable } from 'kysely'
import type { ActivitiesTable, Database } from '../../db/schema'

/**
 * What happened, recorded inside the transaction of the write that caused it. The fan-out job
 * (notification-fanout.server.ts) decides afterwards who hears about it, so a write never waits
 * on its audience and a crash between the two loses nothing.
 */
export type Activity =
  | { kind: 'post_created'; actorId: number; threadId: number; postId: number }
  | { kind: 'post_edited'; actorId: number; threadId: number; postId: number; previouslyMentioned: number[] }
  | { kind: 'answer_accepted'; actorId: number; threadId: number; postId: number }
  | { kind: 'post_marked_helpful'; actorId: number; threadId: number; postId: number }
  | { kind: 'post_hidden'; actorId: number | null; threadId: number; postId: number; reason: string | null; decisionId?: number }
  | { kind: 'post_restored'; actorId: number | null; threadId: number; postId: number }
  | { kind: 'case_returned'; actorId: number; caseId: number; feedback: string; decisionId?: number }
  | { kind: 'case_published'; actorId: number; caseId: number }
  | { kind: 'event_published'; actorId: number | null; eventId: number }
  | { kind: 'event_changed'; actorId: number | null; eventId: number; changes: string[] }
  | { kind: 'event_cancelled'; actorId: number | null; eventId: number; message: string | null }
  | { kind: 'waitlist_promoted'; actorId: number | null; eventId: number; userIds: number[] }
  | { kind: 'event_reminder'; eventId: number }
  | { kind: 'member_restricted'; actorId: number; memberId: number; decisionId: number }
  | { kind: 'appeal_decided'; actorId: number; memberId: number; appealId: number }

export type ActivityKind = Activity['kind']

export async function recordActivity(trx: Kysely<Database>, activity: Activity, now = new Date()): Promise<void> {
  const { kind, ...rest } = activity
  const { actorId, threadId, postId, caseId, eventId, ...data } = rest as {
    actorId?: number | null
    threadId?: number
    postId?: number
    caseId?: number
    eventId?: number
  }
  await trx
    .insertInto('activities')
    .values({
      kind,
      actor_id: actorId ?? null,
      thread_id: threadId ?? null,
      post_id: postId ?? null,
      case_id: caseId ?? null,
      event_id: eventId ?? null,
      data_json: JSON.stringify(data),
      created_at: now.toISOString(),
      processed_at: null,
    })
    .execute()
}

/** An activity as the fan-out reads it back. */
export function activityFromRow(row: Selectable<ActivitiesTable>): Activity {
  return {
    ...(JSON.parse(row.data_json) as object),
    kind: row.kind,
    actorId: row.actor_id,
    threadId: row.thread_id ?? undefined,
    postId: row.post_id ?? undefined,
    caseId: row.case_id ?? undefined,
    eventId: row.event_id ?? undefined,
  } as Activity
}
