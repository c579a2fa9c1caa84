import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { AppealStatus, Database } from '../../db/schema'
import { postPath } from '../lib/discussion-paths'
import { type Measure, untilText } from '../lib/moderation-words'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, isModerator } from '../lib/roles'
import { recordActivity } from './activity.server'
import { endMeasure, findStandingTarget } from './member-moderation.server'
import { logAction, MODERATION_ACTIONS, type ModerationAction } from './moderation.server'

/** The decisions a member may appeal: each takes something away from them. */
export const APPEALABLE_ACTIONS = ['hide', 'auto-hide', 'flags-agreed', 'case-return', 'silence', 'suspend'] as const satisfies ModerationAction[]
const isAppealable = (action: string) => (APPEALABLE_ACTIONS as readonly string[]).includes(action)

/** What a member is told a decision was, in their own words. */
const DECISION_WORDS: Partial<Record<ModerationAction, string>> = {
  hide: 'Your post was hidden',
  'auto-hide': 'Your post was hidden by members’ flags',
  'flags-agreed': 'A moderator agreed with flags on your post',
  unhide: 'Your post was shown again',
  'flags-disagreed': 'A moderator cleared flags on your post',
  'case-return': 'Your case was returned with feedback',
  'case-publish': 'Your case was published',
  silence: 'Your account was made read-only (silenced)',
  suspend: 'Your account was suspended',
  'lift-silence': 'Your silence was lifted',
  'lift-suspension': 'Your suspension was lifted',
  'role-change': 'Your role changed',
  'appeal-upheld': 'Your appeal was decided: the decision stands',
  'appeal-overturned': 'Your appeal was accepted: the decision was reversed',
}

export const APPEAL_STATUS_LABELS: Record<AppealStatus, string> = {
  open: 'Waiting for a moderator',
  upheld: 'Decided: the decision stands',
  overturned: 'Decided: the decision was reversed',
}

function decisionQuery(database: Kysely<Database>) {
  return database
    .selectFrom('moderation_log as l')
    .leftJoin('users as actor', 'actor.id', 'l.actor_id')
    .leftJoin('threads as t', 't.id', 'l.thread_id')
    .leftJoin('posts as p', 'p.id', 'l.post_id')
    .leftJoin('cases as c', 'c.id', 'l.case_id')
    .leftJoin('appeals as a', 'a.decision_id', 'l.id')
    .leftJoin('users as judge', 'judge.id', 'a.decided_by_id')
    .select([
      'l.id',
      'l.action',
      'l.actor_id',
      'l.member_id',
      'l.reason',
      'l.details',
      'l.created_at',
      'actor.display_name as actor_name',
      't.id as thread_id',
      't.slug as thread_slug',
      't.title as thread_title',
      'p.number as post_number',
      'p.hidden_at as post_hidden_at',
      'p.is_deleted as post_is_deleted',
      'c.id as case_id',
      'c.title as case_title',
      'c.status as case_status',
      'a.id as appeal_id',
      'a.status as appeal_status',
      'a.statement as appeal_statement',
      'a.outcome_reason as appeal_outcome_reason',
      'a.created_at as appeal_created_at',
      'a.decided_at as appeal_decided_at',
      'judge.display_name as judge_name',
    ])
}

type DecisionRow = Awaited<ReturnType<ReturnType<typeof decisionQuery>['execute']>>[number]

export interface DecisionView {
  id: number
  action: ModerationAction
  /** What happened, told to the member. */
  summary: string
  /** The moderator's name, or "Members’ flags" when flags hid the post on their own. */
  decidedBy: string
  reason: string | null
  /** For a silence or suspension: "until …" or "indefinitely". */
  until: string | null
  createdAt: string
  subject: { label: string; href: string | null } | null
  appealable: boolean
  appeal: { id: number; status: AppealStatus; statusLabel: string; statement: string; outcomeReason: string | null; decidedBy: string | null; createdAt: string; decidedAt: string | null } | null
}

/**
 * The newest silence and suspension of each member and the newest return of each of their
 * cases: only those can still stand, since a later one replaced them.
 */
async function latestDecisionIds(database: Kysely<Database>, memberIds: number[]): Promise<Set<number>> {
  if (!memberIds.length) return new Set()
  const rows = await database
    .selectFrom('moderation_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('member_id', 'in', memberIds)
    .where('action', 'in', ['silence', 'suspend', 'case-return'])
    .groupBy(['member_id', 'action', 'case_id'])
    .execute()
  return new Set(rows.map((row) => Number(row.id)))
}

/** Whether the decision still takes something away from the member (only then is it worth appealing). */
function stillStands(row: DecisionRow, standing: { silenced_until: string | null; suspended_until: string | null } | undefined, latest: Set<number>, now: string): boolean {
  switch (row.action) {
    case 'hide':
    case 'auto-hide':
    case 'flags-agreed':
      return !!row.post_hidden_at && !row.post_is_deleted
    case 'case-return':
      return latest.has(row.id) && row.case_status === 'returned'
    case 'silence':
      return latest.has(row.id) && !!standing?.silenced_until && standing.silenced_until > now
    case 'suspend':
      return latest.has(row.id) && !!standing?.suspended_until && standing.suspended_until > now
    default:
      return false
  }
}

function toView(row: DecisionRow, appealable: boolean): DecisionView {
  const action = row.action as ModerationAction
  const subject = row.thread_id
    ? {
        label: row.post_number ? `Post #${row.post_number} in “${row.thread_title}”` : `“${row.thread_title}”`,
        href: postPath({ id: row.thread_id, slug: row.thread_slug! }, row.post_number ?? 1),
      }
    : row.case_id
      ? { label: `Case “${row.case_title}”`, href: row.case_status === 'published' ? null : `/cases/submissions/${row.case_id}` }
      : null
  return {
    id: row.id,
    action,
    summary: DECISION_WORDS[action] ?? MODERATION_ACTIONS[action] ?? row.action,
    decidedBy: row.actor_name ?? (row.action === 'auto-hide' ? 'Members’ flags' : 'SectorPulse'),
    reason: row.reason,
    until: row.action === 'silence' || row.action === 'suspend' ? untilText(row.details) : null,
    createdAt: row.created_at,
    subject,
    appealable,
    appeal: row.appeal_id
      ? {
          id: row.appeal_id,
          status: row.appeal_status!,
          statusLabel: APPEAL_STATUS_LABELS[row.appeal_status!],
          statement: row.appeal_statement!,
          outcomeReason: row.appeal_outcome_reason,
          decidedBy: row.judge_name,
          createdAt: row.appeal_created_at!,
          decidedAt: row.appeal_decided_at,
        }
      : null,
  }
}

async function viewsOf(database: Kysely<Database>, rows: DecisionRow[], now: Date): Promise<DecisionView[]> {
  const memberIds = [...new Set(rows.map((row) => row.member_id).filter((id): id is number => id !== null))]
  const [standings, latest] = await Promise.all([
    memberIds.length
      ? database.selectFrom('users').select(['id', 'silenced_until', 'suspended_until']).where('id', 'in', memberIds).execute()
      : Promise.resolve([]),
    latestDecisionIds(database, memberIds),
  ])
  const standingOf = new Map(standings.map((standing) => [standing.id, standing]))
  const at = now.toISOString()
  return rows.map((row) =>
    toView(row, isAppealable(row.action) && !row.appeal_id && stillStands(row, standingOf.get(row.member_id ?? 0), latest, at)),
  )
}

export const DECISIONS_PER_PAGE = 50

/** The decisions that affected the member, newest first, each with the state of its appeal. */
export async function listMemberDecisions(memberId: number, now: Date = new Date()): Promise<DecisionView[]> {
  const rows = await decisionQuery(db).where('l.member_id', '=', memberId).orderBy('l.id', 'desc').limit(DECISIONS_PER_PAGE).execute()
  return viewsOf(db, rows, now)
}

/** One decision as its member sees it on the appeal page; undefined when it affects nobody. */
export async function getDecision(decisionId: number, now: Date = new Date()): Promise<DecisionView | undefined> {
  const row = await decisionQuery(db).where('l.id', '=', decisionId).where('l.member_id', 'is not', null).executeTakeFirst()
  return row ? (await viewsOf(db, [row], now))[0] : undefined
}

/**
 * The member a decision affected appeals it, once, while it still stands. The caller has proved
 * who they are: a signed link naming this decision (which a suspended member gets by email).
 */
export async function fileAppeal(decisionId: number, statement: string, now: Date = new Date()): Promise<Outcome<{ appealId: number }>> {
  return writeTransaction(async (trx) => {
    const row = await decisionQuery(trx).where('l.id', '=', decisionId).where('l.member_id', 'is not', null).executeTakeFirst()
    if (!row) return refuse(404, 'This decision does not exist.')
    if (row.appeal_id) return refuse(409, 'You have already appealed this decision. Each decision can be appealed once.')
    const [view] = await viewsOf(trx, [row], now)
    if (!view.appealable) return refuse(409, 'This decision no longer stands, so there is nothing to appeal.')
    const { id } = await trx
      .insertInto('appeals')
      .values({ decision_id: decisionId, member_id: row.member_id!, statement, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    return ok({ appealId: id })
  })
}

export interface OpenAppeal {
  id: number
  statement: string
  createdAt: string
  member: { handle: string; displayName: string }
  decision: DecisionView
  /** The moderator who made the decision; they may not decide its appeal. */
  decidedById: number | null
}

/** Open appeals, oldest first, for the moderation queue. */
export async function listOpenAppeals(now: Date = new Date()): Promise<OpenAppeal[]> {
  const rows = await decisionQuery(db)
    .innerJoin('users as m', 'm.id', 'l.member_id')
    .select(['m.handle as member_handle', 'm.display_name as member_name'])
    .where('a.status', '=', 'open')
    .orderBy('a.id')
    .limit(100)
    .execute()
  const views = await viewsOf(db, rows, now)
  return rows.map((row, index) => ({
    id: row.appeal_id!,
    statement: row.appeal_statement!,
    createdAt: row.appeal_created_at!,
    member: { handle: row.member_handle, displayName: row.member_name },
    decision: views[index],
    decidedById: row.actor_id,
  }))
}

export async function countOpenAppeals(): Promise<number> {
  const row = await db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * A moderator other than the one who decided upholds or overturns the decision. Overturning
 * reverses its effect: the post is shown again, the case goes back to review, the silence or
 * suspension ends. The member is told, and the outcome is logged.
 */
export async function decideAppeal(
  actor: Actor,
  appealId: number,
  outcome: 'uphold' | 'overturn',
  reason: string,
  now: Date = new Date(),
): Promise<Outcome> {
  if (!isModerator(actor)) return refuse(403, 'Only moderators can decide appeals.')
  return writeTransaction(async (trx) => {
    const appeal = await trx
      .selectFrom('appeals as a')
      .innerJoin('moderation_log as l', 'l.id', 'a.decision_id')
      .select(['a.id', 'a.status', 'a.member_id', 'l.id as decision_id', 'l.action', 'l.actor_id', 'l.post_id', 'l.thread_id', 'l.case_id'])
      .where('a.id', '=', appealId)
      .executeTakeFirst()
    if (!appeal) return refuse(404, 'This appeal does not exist.')
    if (appeal.status !== 'open') return refuse(409, 'This appeal has already been decided.')
    if (appeal.actor_id === actor.id) return refuse(403, 'You made this decision, so another moderator must decide its appeal.')
    if (appeal.member_id === actor.id) return refuse(403, 'You cannot decide your own appeal.')
    const at = now.toISOString()
    if (outcome === 'overturn') {
      const refused = await reverseDecision(trx, actor, appeal, now)
      if (refused) return refused
    }
    await trx
      .updateTable('appeals')
      .set({ status: outcome === 'overturn' ? 'overturned' : 'upheld', decided_by_id: actor.id, outcome_reason: reason, decided_at: at })
      .where('id', '=', appealId)
      .execute()
    await logAction(trx, {
      actorId: actor.id,
      action: outcome === 'overturn' ? 'appeal-overturned' : 'appeal-upheld',
      memberId: appeal.member_id,
      threadId: appeal.thread_id,
      postId: appeal.post_id,
      caseId: appeal.case_id,
      reason,
      details: `Appeal of decision #${appeal.decision_id} (${MODERATION_ACTIONS[appeal.action as ModerationAction] ?? appeal.action})`,
    })
    await recordActivity(trx, { kind: 'appeal_decided', actorId: actor.id, memberId: appeal.member_id, appealId }, now)
    return ok()
  })
}

async function reverseDecision(
  trx: Kysely<Database>,
  actor: Actor,
  decision: { action: string; member_id: number; post_id: number | null; thread_id: number | null; case_id: number | null },
  now: Date,
) {
  const at = now.toISOString()
  switch (decision.action) {
    case 'hide':
    case 'auto-hide':
    case 'flags-agreed': {
      const post = await trx.selectFrom('posts').select(['id', 'thread_id', 'hidden_at']).where('id', '=', decision.post_id ?? 0).where('is_deleted', '=', 0).executeTakeFirst()
      if (!post?.hidden_at) return refuse(409, 'The post is no longer hidden, so there is nothing to reverse. Uphold the decision instead.')
      await trx.updateTable('posts').set({ hidden_at: null, hidden_by_id: null, hidden_reason: null, open_flag_count: 0 }).where('id', '=', post.id).execute()
      // The flags that led to the decision are answered by the appeal; otherwise one more flag re-hides it.
      await trx.updateTable('flags').set({ status: 'disagreed', resolved_by_id: actor.id, resolved_at: at }).where('post_id', '=', post.id).where('status', '=', 'open').execute()
      await recordActivity(trx, { kind: 'post_restored', actorId: actor.id, threadId: post.thread_id, postId: post.id }, now)
      return null
    }
    case 'case-return': {
      const updated = await trx
        .updateTable('cases')
        .set({ status: 'submitted', submitted_at: at, updated_at: at, review_feedback: null })
        .where('id', '=', decision.case_id ?? 0)
        .where('status', '=', 'returned')
        .executeTakeFirst()
      if (!Number(updated.numUpdatedRows)) return refuse(409, 'The case is no longer waiting for its author, so there is nothing to reverse. Uphold the decision instead.')
      return null
    }
    case 'silence':
    case 'suspend': {
      const target = await findStandingTarget(trx, decision.member_id)
      if (!target) return refuse(404, 'This member no longer exists.')
      return endMeasure(trx, target, decision.action as Measure, now)
    }
    default:
      return refuse(409, 'This decision cannot be reversed.')
  }
}
