import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Actor } from '../lib/roles'
import { TEAM_QUESTIONS_PER_ROUND, type TeamSide } from '../lib/team-sides'
import { participationRefusal } from './participation.server'

// A team assessment is private to its participants. Everyone else (other members, moderators
// and admins too) is answered as if it did not exist: the same null, the same 404.

export interface TeamRound {
  id: number
  number: number
  openedAt: string
}

export interface TeamParticipant {
  userId: number
  handle: string
  displayName: string
  side: string
  isOwner: boolean
  /** Whether they have submitted their answers in the current round. */
  answered: boolean
  /** Whether the owner has already reminded them in the current round. */
  reminded: boolean
}

export interface TeamAssessment {
  id: number
  projectName: string
  ownerId: number
  isOwner: boolean
  /** The side the viewer speaks for. */
  side: string
  /** Oldest first; the last is the current round, the only one that takes answers. */
  rounds: TeamRound[]
  currentRound: TeamRound
  participants: TeamParticipant[]
  teamQuestions: { id: number; area: string; question: string }[]
  hasInviteLink: boolean
  hasShareLink: boolean
  pendingInvitations: { email: string; createdAt: string }[]
}

export const normalizeProjectName = (name: string) => name.trim().replace(/\s+/g, ' ')

/** The assessment as one of its participants sees it, or null for anyone else. */
export async function getTeamAssessment(viewer: Actor | null, id: number): Promise<TeamAssessment | null> {
  if (!viewer) return null
  const team = await db
    .selectFrom('team_assessments as t')
    .innerJoin('team_participants as p', (join) => join.onRef('p.assessment_id', '=', 't.id').on('p.user_id', '=', viewer.id))
    .select(['t.id', 't.project_name', 't.owner_id', 't.invite_link_hash', 't.share_link_hash', 'p.side'])
    .where('t.id', '=', id)
    .executeTakeFirst()
  if (!team) return null
  const rounds = await db
    .selectFrom('team_rounds')
    .select(['id', 'number', 'opened_at as openedAt'])
    .where('assessment_id', '=', id)
    .orderBy('number')
    .execute()
  const currentRound = rounds[rounds.length - 1]
  const [participants, teamQuestions, invitations] = await Promise.all([
    db
      .selectFrom('team_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .leftJoin('team_responses as r', (join) => join.onRef('r.user_id', '=', 'p.user_id').on('r.round_id', '=', currentRound.id))
      .leftJoin('team_reminders as m', (join) => join.onRef('m.user_id', '=', 'p.user_id').on('m.round_id', '=', currentRound.id))
      .select(['p.user_id', 'p.side', 'u.handle', 'u.display_name', 'r.submitted_at', 'm.sent_at'])
      .where('p.assessment_id', '=', id)
      .orderBy('p.joined_at')
      .execute(),
    listTeamQuestions(currentRound.id),
    db
      .selectFrom('team_invitations')
      .select(['email', 'created_at'])
      .where('assessment_id', '=', id)
      .where('accepted_at', 'is', null)
      .orderBy('id')
      .execute(),
  ])
  return {
    id: team.id,
    projectName: team.project_name,
    ownerId: team.owner_id,
    isOwner: team.owner_id === viewer.id,
    side: team.side,
    rounds,
    currentRound,
    participants: participants.map((p) => ({
      userId: p.user_id,
      handle: p.handle,
      displayName: p.display_name,
      side: p.side,
      isOwner: p.user_id === team.owner_id,
      answered: p.submitted_at !== null,
      reminded: p.sent_at !== null,
    })),
    teamQuestions,
    hasInviteLink: team.invite_link_hash !== null,
    hasShareLink: team.share_link_hash !== null,
    pendingInvitations: invitations.map((i) => ({ email: i.email, createdAt: i.created_at })),
  }
}

export async function listTeamQuestions(roundId: number) {
  return db.selectFrom('team_questions').select(['id', 'area', 'question']).where('round_id', '=', roundId).orderBy('id').execute()
}

export interface TeamAssessmentSummary {
  id: number
  projectName: string
  side: string
  isOwner: boolean
  rounds: number
}

/** The assessments the member takes part in, newest first. */
export async function listTeamAssessments(member: Actor): Promise<TeamAssessmentSummary[]> {
  const rows = await db
    .selectFrom('team_participants as p')
    .innerJoin('team_assessments as t', 't.id', 'p.assessment_id')
    .select((eb) => [
      't.id',
      't.project_name',
      't.owner_id',
      'p.side',
      eb.selectFrom('team_rounds as r').whereRef('r.assessment_id', '=', 't.id').select(eb.fn.countAll<number>().as('n')).as('rounds'),
    ])
    .where('p.user_id', '=', member.id)
    .orderBy('t.id', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    projectName: row.project_name,
    side: row.side,
    isOwner: row.owner_id === member.id,
    rounds: Number(row.rounds ?? 0),
  }))
}

/** Whether the member takes part in the assessment (the owner does too). */
export async function isParticipant(trx: Kysely<Database>, assessmentId: number, userId: number): Promise<boolean> {
  return !!(await trx
    .selectFrom('team_participants')
    .select('user_id')
    .where('assessment_id', '=', assessmentId)
    .where('user_id', '=', userId)
    .executeTakeFirst())
}

const NOT_FOUND = 'No team assessment of yours has that number.'

type TeamWork<T> = (trx: Kysely<Database>, team: { id: number; projectName: string; ownerId: number }) => Promise<Outcome<T>>

/**
 * The one guard for a team assessment's writes: runs `work` inside one write transaction when the
 * actor takes part (and owns it, when `who` is 'owner'). A participant who is not the owner is
 * told so; anyone else is told the assessment does not exist.
 */
async function asTeamMember<T>(who: 'owner' | 'participant', actor: Actor, assessmentId: number, work: TeamWork<T>, database: Kysely<Database>) {
  return writeTransaction(async (trx) => {
    const team = await trx
      .selectFrom('team_assessments')
      .select(['id', 'project_name', 'owner_id'])
      .where('id', '=', assessmentId)
      .executeTakeFirst()
    if (!team || !(await isParticipant(trx, team.id, actor.id))) return refuse(404, NOT_FOUND)
    if (who === 'owner' && team.owner_id !== actor.id) return refuse(403, 'Only the owner of this team assessment can do that.')
    return work(trx, { id: team.id, projectName: team.project_name, ownerId: team.owner_id })
  }, database)
}

export function asOwner<T>(owner: Actor, assessmentId: number, work: TeamWork<T>, database: Kysely<Database> = db): Promise<Outcome<T>> {
  return asTeamMember('owner', owner, assessmentId, work, database)
}

export function asParticipant<T>(member: Actor, assessmentId: number, work: TeamWork<T>, database: Kysely<Database> = db): Promise<Outcome<T>> {
  return asTeamMember('participant', member, assessmentId, work, database)
}

export async function currentRoundOf(trx: Kysely<Database>, assessmentId: number) {
  return trx
    .selectFrom('team_rounds')
    .select(['id', 'number'])
    .where('assessment_id', '=', assessmentId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
}

export async function createTeamAssessment(
  member: Actor,
  input: { projectName: string; side: TeamSide },
  { now = new Date(), trx: outer, isDemo = false }: { now?: Date; trx?: Kysely<Database>; isDemo?: boolean } = {},
): Promise<Outcome<{ id: number }>> {
  const projectName = normalizeProjectName(input.projectName)
  if (!projectName) return refuse(400, 'Enter the name of the project the team is assessing.', 'projectName')
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, member)
    if (refusal) return refusal
    const at = now.toISOString()
    const { id } = await trx
      .insertInto('team_assessments')
      .values({ project_name: projectName, owner_id: member.id, created_at: at, is_demo: isDemo ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('team_participants').values({ assessment_id: id, user_id: member.id, side: input.side, joined_at: at }).execute()
    await trx.insertInto('team_rounds').values({ assessment_id: id, number: 1, opened_at: at }).execute()
    return ok({ id })
  }, outer)
}

export async function changeSide(member: Actor, assessmentId: number, side: TeamSide): Promise<Outcome> {
  return asParticipant(member, assessmentId, async (trx, team) => {
    await trx
      .updateTable('team_participants')
      .set({ side })
      .where('assessment_id', '=', team.id)
      .where('user_id', '=', member.id)
      .execute()
    return ok()
  })
}

/** Opens the next round; earlier rounds keep their answers and stay readable. */
export async function openNextRound(
  owner: Actor,
  assessmentId: number,
  { now = new Date(), trx: outer = db }: { now?: Date; trx?: Kysely<Database> } = {},
): Promise<Outcome<{ number: number }>> {
  return asOwner(
    owner,
    assessmentId,
    async (trx, team) => {
      const current = await currentRoundOf(trx, team.id)
      const answered = await trx.selectFrom('team_responses').select('user_id').where('round_id', '=', current.id).executeTakeFirst()
      if (!answered) return refuse(409, `Nobody has answered round ${current.number} yet: open the next round once someone has.`)
      const number = current.number + 1
      await trx.insertInto('team_rounds').values({ assessment_id: team.id, number, opened_at: now.toISOString() }).execute()
      return ok({ number })
    },
    outer,
  )
}

/** Adds one of the team's own questions to the current round, before anyone has answered it. */
export async function addTeamQuestion(
  owner: Actor,
  assessmentId: number,
  input: { area: string; question: string },
  now = new Date(),
): Promise<Outcome<{ id: number }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const round = await currentRoundOf(trx, team.id)
    const answered = await trx.selectFrom('team_responses').select('user_id').where('round_id', '=', round.id).executeTakeFirst()
    if (answered) return refuse(409, 'Someone has already answered this round: add questions when you open the next one.')
    const { n } = await trx
      .selectFrom('team_questions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', round.id)
      .executeTakeFirstOrThrow()
    if (Number(n) >= TEAM_QUESTIONS_PER_ROUND) {
      return refuse(409, `A round can have up to ${TEAM_QUESTIONS_PER_ROUND} questions of the team's own.`)
    }
    const { id } = await trx
      .insertInto('team_questions')
      .values({ round_id: round.id, area: input.area, question: input.question, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    return ok({ id })
  })
}

export async function removeTeamQuestion(owner: Actor, assessmentId: number, questionId: number): Promise<Outcome> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const round = await currentRoundOf(trx, team.id)
    const answered = await trx.selectFrom('team_responses').select('user_id').where('round_id', '=', round.id).executeTakeFirst()
    if (answered) return refuse(409, 'Someone has already answered this round, so its questions stay as they are.')
    const removed = await trx.deleteFrom('team_questions').where('id', '=', questionId).where('round_id', '=', round.id).executeTakeFirst()
    return Number(removed.numDeletedRows) ? ok() : refuse(404, 'That question is not in the current round.')
  })
}

/** A participant leaves; their submitted answers leave with them. The owner hands over first. */
export async function leaveTeamAssessment(member: Actor, assessmentId: number): Promise<Outcome> {
  return asParticipant(member, assessmentId, async (trx, team) => {
    if (team.ownerId === member.id) {
      return refuse(409, 'You own this assessment: hand it over to another participant before you leave, or delete it.')
    }
    await removeFromTeam(trx, team.id, member.id)
    return ok()
  })
}

export async function removeParticipant(owner: Actor, assessmentId: number, userId: number): Promise<Outcome<{ displayName: string }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    if (userId === owner.id) return refuse(409, 'You own this assessment: hand it over or delete it instead.')
    const participant = await trx
      .selectFrom('team_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select('u.display_name')
      .where('p.assessment_id', '=', team.id)
      .where('p.user_id', '=', userId)
      .executeTakeFirst()
    if (!participant) return refuse(404, 'That member does not take part in this assessment.')
    await removeFromTeam(trx, team.id, userId)
    return ok({ displayName: participant.display_name })
  })
}

async function removeFromTeam(trx: Kysely<Database>, assessmentId: number, userId: number) {
  const rounds = trx.selectFrom('team_rounds').select('id').where('assessment_id', '=', assessmentId)
  await trx.deleteFrom('team_responses').where('user_id', '=', userId).where('round_id', 'in', rounds).execute()
  await trx.deleteFrom('team_reminders').where('user_id', '=', userId).where('round_id', 'in', rounds).execute()
  await trx.deleteFrom('team_participants').where('assessment_id', '=', assessmentId).where('user_id', '=', userId).execute()
}

export async function transferOwnership(owner: Actor, assessmentId: number, userId: number): Promise<Outcome<{ displayName: string }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const next = await trx
      .selectFrom('team_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select('u.display_name')
      .where('p.assessment_id', '=', team.id)
      .where('p.user_id', '=', userId)
      .executeTakeFirst()
    if (!next || userId === owner.id) return refuse(400, 'Choose another participant to hand the assessment over to.', 'newOwner')
    await trx.updateTable('team_assessments').set({ owner_id: userId }).where('id', '=', team.id).execute()
    return ok({ displayName: next.display_name })
  })
}

/** Deletes the assessment with every round, answer, comment, invitation and link. */
export async function deleteTeamAssessment(owner: Actor, assessmentId: number): Promise<Outcome> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    await trx.deleteFrom('team_assessments').where('id', '=', team.id).execute()
    return ok()
  })
}
