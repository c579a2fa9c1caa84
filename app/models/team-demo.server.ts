import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Outcome } from '../lib/outcome'
import { READINESS_LEVELS } from '../lib/readiness-form'
import type { TeamSide } from '../lib/team-sides'
import { createTeamAssessment, openNextRound } from './team-assessment.server'
import { setShareToken } from './team-invitation.server'
import { submitTeamAnswers } from './team-results.server'
import type { UpsertOutcome } from './taxonomy.server'

export interface DemoTeamSource {
  path: string
  project: string
  owner: string
  shareToken: string
  participants: { member: string; side: TeamSide }[]
  /** Per round, per member handle: a default level key and overrides per question slug. */
  rounds: { opened: Date; answers: Record<string, Record<string, string>> }[]
}

/**
 * A demo team assessment, answered round by round through the models members use. An existing
 * demo assessment for the same project is left as it is (demo content is loaded on every start).
 */
export async function seedDemoTeamAssessment(trx: Kysely<Database>, source: DemoTeamSource): Promise<UpsertOutcome> {
  const existing = await trx
    .selectFrom('team_assessments')
    .select('id')
    .where('is_demo', '=', 1)
    .where('project_name', '=', source.project)
    .executeTakeFirst()
  if (existing) return 'unchanged'
  const handles = source.participants.map((p) => p.member)
  const members = await trx.selectFrom('users').select(['id', 'handle', 'role']).where('handle', 'in', handles).execute()
  const actor = (handle: string) => {
    const member = members.find((m) => m.handle === handle)
    if (!member) throw new Error(`${source.path}: no member has the handle "${handle}"`)
    return { id: member.id, role: member.role }
  }
  const must = <T>(outcome: Outcome<T>): T => {
    if (!outcome.ok) throw new Error(`${source.path}: ${outcome.message}`)
    return outcome.value
  }
  const owner = actor(source.owner)
  const ownerSide = source.participants.find((p) => p.member === source.owner)?.side
  if (!ownerSide) throw new Error(`${source.path}: the owner must be one of the participants`)
  const { id } = must(await createTeamAssessment(owner, { projectName: source.project, side: ownerSide }, { now: source.rounds[0].opened, trx, isDemo: true }))
  for (const participant of source.participants) {
    if (participant.member === source.owner) continue
    await trx
      .insertInto('team_participants')
      .values({ assessment_id: id, user_id: actor(participant.member).id, side: participant.side, joined_at: source.rounds[0].opened.toISOString() })
      .execute()
  }
  const slugs = (await trx.selectFrom('readiness_questions').select('slug').execute()).map((q) => q.slug)
  const level = (key: string | undefined) => {
    const index = READINESS_LEVELS.findIndex((l) => l.key === key)
    if (index < 0) throw new Error(`${source.path}: "${key}" is not one of not-yet, partly, mostly, fully`)
    return index
  }
  for (const [index, round] of source.rounds.entries()) {
    if (index > 0) must(await openNextRound(owner, id, { now: round.opened, trx }))
    for (const [handle, answers] of Object.entries(round.answers)) {
      const answered = slugs.map((slug) => ({ questionSlug: slug, level: level(answers[slug] ?? answers.default), note: null }))
      must(await submitTeamAnswers(actor(handle), id, answered, { now: new Date(round.opened.getTime() + 86_400_000), trx }))
    }
  }
  await setShareToken(trx, id, source.shareToken)
  return 'inserted'
}
