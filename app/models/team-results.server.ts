import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { FULLY } from '../lib/readiness-form'
import type { Actor } from '../lib/roles'
import { DIVERGENCE_STEPS, TEAM_SIDES } from '../lib/team-sides'
import {
  findTeaching,
  listReadinessQuestions,
  type ReadinessAnswer,
  type ReadinessQuestion,
  scoreOf,
  type Teaching,
} from './readiness.server'
import { asParticipant, currentRoundOf, listTeamQuestions } from './team-assessment.server'
import { participationRefusal } from './participation.server'

// A round's answers, side by side: the team answers the personal assessment's questions (and up
// to five of its own) on the same four-step scale, and is scored and taught the same way.

/** How many areas each ranked view (weakest, most divergent) shows and recommends for. */
export const RANKED_AREAS = 3

export interface TeamQuestion {
  /** A standard question's slug, or `team-<id>` for one of the team's own. */
  key: string
  area: string
  question: string
  /** The standard question (guidance, failure modes); null for the team's own. */
  standard: ReadinessQuestion | null
}

export const teamQuestionKey = (id: number) => `team-${id}`

/** The questions of a round: the standard ones, then the team's own for that round. */
export async function questionsForRound(roundId: number): Promise<TeamQuestion[]> {
  const [standard, own] = await Promise.all([listReadinessQuestions(), listTeamQuestions(roundId)])
  return [
    ...standard.map((q) => ({ key: q.slug, area: q.area, question: q.question, standard: q })),
    ...own.map((q) => ({ key: teamQuestionKey(q.id), area: q.area, question: q.question, standard: null })),
  ]
}

/** One question of the assessment by key (a standard one, or the team's own in any round), or null. */
export async function findTeamQuestion(assessmentId: number, key: string): Promise<{ key: string; area: string; question: string } | null> {
  const own = /^team-(\d{1,12})$/.exec(key)
  if (own) {
    const row = await db
      .selectFrom('team_questions as q')
      .innerJoin('team_rounds as r', 'r.id', 'q.round_id')
      .select(['q.area', 'q.question'])
      .where('q.id', '=', Number(own[1]))
      .where('r.assessment_id', '=', assessmentId)
      .executeTakeFirst()
    return row ? { key, ...row } : null
  }
  const row = await db.selectFrom('readiness_questions').select(['area', 'question']).where('slug', '=', key).executeTakeFirst()
  return row ? { key, ...row } : null
}

/** The member's answers in the current round, or null before they have submitted. */
export async function ownAnswers(member: Actor, roundId: number): Promise<ReadinessAnswer[] | null> {
  const response = await db
    .selectFrom('team_responses')
    .select('submitted_at')
    .where('round_id', '=', roundId)
    .where('user_id', '=', member.id)
    .executeTakeFirst()
  if (!response) return null
  const rows = await db
    .selectFrom('team_answers')
    .select(['question_key', 'level', 'note'])
    .where('round_id', '=', roundId)
    .where('user_id', '=', member.id)
    .execute()
  return rows.map((row) => ({ questionSlug: row.question_key, level: row.level, note: row.note }))
}

/**
 * Saves the member's answers to the current round, for the side they speak for now. Answering
 * again before the next round opens replaces the earlier answers.
 */
export async function submitTeamAnswers(
  member: Actor,
  assessmentId: number,
  answers: ReadinessAnswer[],
  { now = new Date(), trx: outer = db }: { now?: Date; trx?: Kysely<Database> } = {},
): Promise<Outcome<{ round: number }>> {
  return asParticipant(
    member,
    assessmentId,
    async (trx, team) => {
      const refusal = await participationRefusal(trx, member)
      if (refusal) return refusal
      const round = await currentRoundOf(trx, team.id)
      const keys = new Set((await questionsForRoundIn(trx, round.id)).map((q) => q.key))
      if (answers.length !== keys.size || answers.some((a) => !keys.has(a.questionSlug))) {
        return refuse(409, 'The questions of this round have changed since you opened them. Reload the page and answer again.')
      }
      const { side } = await trx
        .selectFrom('team_participants')
        .select('side')
        .where('assessment_id', '=', team.id)
        .where('user_id', '=', member.id)
        .executeTakeFirstOrThrow()
      await trx.deleteFrom('team_responses').where('round_id', '=', round.id).where('user_id', '=', member.id).execute()
      await trx.insertInto('team_responses').values({ round_id: round.id, user_id: member.id, side, submitted_at: now.toISOString() }).execute()
      await trx
        .insertInto('team_answers')
        .values(answers.map((a) => ({ round_id: round.id, user_id: member.id, question_key: a.questionSlug, level: a.level, note: a.note })))
        .execute()
      return ok({ round: round.number })
    },
    outer,
  )
}

async function questionsForRoundIn(trx: Kysely<Database>, roundId: number) {
  const [standard, own] = await Promise.all([
    trx.selectFrom('readiness_questions').select('slug').execute(),
    trx.selectFrom('team_questions').select('id').where('round_id', '=', roundId).execute(),
  ])
  return [...standard.map((q) => ({ key: q.slug })), ...own.map((q) => ({ key: teamQuestionKey(q.id) }))]
}

// ---------------------------------------------------------------------------------------------
// Results

export interface SideAnswer {
  side: string
  /** The mean level of the side's respondents (0..3); usually one person, so a whole step. */
  level: number
  respondents: number
}

export interface QuestionResult {
  key: string
  area: string
  question: string
  standard: ReadinessQuestion | null
  /** Each side that answered, in the sides' order. */
  sides: SideAnswer[]
  /** The mean over everyone who answered. */
  teamLevel: number
  /** Steps between the most and the least confident side. */
  spread: number
  /** Sides at least DIVERGENCE_STEPS apart. */
  divergent: boolean
}

export interface TeamRecommendation {
  result: QuestionResult
  why: ('weakest' | 'divergent')[]
  teaching: Teaching
}

export interface TeamResults {
  round: { number: number; openedAt: string }
  respondents: number
  /** The sides that answered, in order. */
  sides: string[]
  score: number
  questions: QuestionResult[]
  weakest: QuestionResult[]
  mostDivergent: QuestionResult[]
  recommendations: TeamRecommendation[]
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length
const oneDecimal = (value: number) => Math.round(value * 10) / 10

type AnswerRow = { round_id: number; user_id: number; side: string; question_key: string; level: number }

function answerRows(roundIds: number[]): Promise<AnswerRow[]> {
  if (!roundIds.length) return Promise.resolve([])
  return db
    .selectFrom('team_answers as a')
    .innerJoin('team_responses as r', (join) => join.onRef('r.round_id', '=', 'a.round_id').onRef('r.user_id', '=', 'a.user_id'))
    .select(['a.round_id', 'a.user_id', 'r.side', 'a.question_key', 'a.level'])
    .where('a.round_id', 'in', roundIds)
    .execute()
}

const sideOrder = (side: string) => TEAM_SIDES.findIndex((s) => s.key === side)

function resultFor(question: TeamQuestion, rows: AnswerRow[]): QuestionResult | null {
  const answers = rows.filter((row) => row.question_key === question.key)
  if (!answers.length) return null
  const bySide = new Map<string, number[]>()
  for (const answer of answers) bySide.set(answer.side, [...(bySide.get(answer.side) ?? []), answer.level])
  const sides = [...bySide]
    .map(([side, levels]) => ({ side, level: oneDecimal(mean(levels)), respondents: levels.length }))
    .sort((a, b) => sideOrder(a.side) - sideOrder(b.side))
  const levels = sides.map((s) => s.level)
  const spread = oneDecimal(Math.max(...levels) - Math.min(...levels))
  return {
    key: question.key,
    area: question.area,
    question: question.question,
    standard: question.standard,
    sides,
    teamLevel: oneDecimal(mean(answers.map((a) => a.level))),
    spread,
    divergent: spread >= DIVERGENCE_STEPS,
  }
}

/** The round's results, ranked, with what teaches the weakest and the most divergent areas. */
export async function buildTeamResults(round: { id: number; number: number; openedAt: string }, now = new Date()): Promise<TeamResults> {
  const [questions, rows] = await Promise.all([questionsForRound(round.id), answerRows([round.id])])
  const results = questions.map((q) => resultFor(q, rows)).filter((r): r is QuestionResult => r !== null)
  const weakest = [...results]
    .filter((r) => r.teamLevel < FULLY)
    .sort((a, b) => a.teamLevel - b.teamLevel)
    .slice(0, RANKED_AREAS)
  const mostDivergent = [...results]
    .filter((r) => r.spread > 0)
    .sort((a, b) => b.spread - a.spread)
    .slice(0, RANKED_AREAS)
  const recommended = [...new Set([...weakest, ...mostDivergent])].filter((r) => r.standard)
  const teaching = await findTeaching(recommended.map((r) => r.standard!), now)
  const respondents = new Set(rows.map((row) => row.user_id))
  return {
    round: { number: round.number, openedAt: round.openedAt },
    respondents: respondents.size,
    sides: [...new Set(rows.map((row) => row.side))].sort((a, b) => sideOrder(a) - sideOrder(b)),
    score: scoreOf(rows.map((row) => row.level)),
    questions: results,
    weakest,
    mostDivergent,
    recommendations: recommended.map((result) => ({
      result,
      why: [...(weakest.includes(result) ? ['weakest' as const] : []), ...(mostDivergent.includes(result) ? ['divergent' as const] : [])],
      teaching: teaching.get(result.standard!.slug)!,
    })),
  }
}

/**
 * Whether the viewer may see a round's results: no anchoring, so not the current round until
 * they have submitted their own answers to it. Earlier rounds are closed and always readable.
 */
export async function mayReadRound(viewer: Actor, round: { id: number }, currentRoundId: number): Promise<boolean> {
  if (round.id !== currentRoundId) return true
  return !!(await db
    .selectFrom('team_responses')
    .select('user_id')
    .where('round_id', '=', round.id)
    .where('user_id', '=', viewer.id)
    .executeTakeFirst())
}

// ---------------------------------------------------------------------------------------------
// Trend across rounds

export interface TeamTrend {
  rounds: number[]
  /** Whole team's score (0..100) per round; null where nobody answered. */
  team: (number | null)[]
  /** Each side's score per round, for the sides that ever answered. */
  sides: { side: string; scores: (number | null)[] }[]
  /** Per standard area: the whole team's score per round, and each side's (in the order of `sides`). */
  areas: { key: string; area: string; team: (number | null)[]; sides: { side: string; scores: (number | null)[] }[] }[]
}

/** Scores across rounds from one query over every readable round's answers, grouped in memory. */
export async function buildTeamTrend(rounds: { id: number; number: number }[]): Promise<TeamTrend> {
  const [standard, rows] = await Promise.all([listReadinessQuestions(), answerRows(rounds.map((r) => r.id))])
  const standardKeys = new Set(standard.map((q) => q.slug))
  const levels = new Map<string, number[]>()
  const add = (group: string, level: number) => {
    const list = levels.get(group)
    if (list) list.push(level)
    else levels.set(group, [level])
  }
  for (const row of rows) {
    if (!standardKeys.has(row.question_key)) continue
    for (const side of ['', row.side]) {
      add(`${row.round_id}|${side}|`, row.level)
      add(`${row.round_id}|${side}|${row.question_key}`, row.level)
    }
  }
  // An empty side stands for the whole team, an empty question for every standard question.
  const scores = (side: string, question: string) =>
    rounds.map((r) => {
      const found = levels.get(`${r.id}|${side}|${question}`)
      return found ? scoreOf(found) : null
    })
  const sides = [...new Set(rows.filter((row) => standardKeys.has(row.question_key)).map((row) => row.side))].sort((a, b) => sideOrder(a) - sideOrder(b))
  return {
    rounds: rounds.map((r) => r.number),
    team: scores('', ''),
    sides: sides.map((side) => ({ side, scores: scores(side, '') })),
    areas: standard.map((q) => ({
      key: q.slug,
      area: q.area,
      team: scores('', q.slug),
      sides: sides.map((side) => ({ side, scores: scores(side, q.slug) })),
    })),
  }
}

/** The rounds of an assessment, oldest first (for the share link, which has no participant). */
export async function roundsOf(assessmentId: number) {
  return db
    .selectFrom('team_rounds')
    .select(['id', 'number', 'opened_at as openedAt'])
    .where('assessment_id', '=', assessmentId)
    .orderBy('number')
    .execute()
}

/** The latest round anyone has answered, or null. */
export async function latestAnsweredRound(assessmentId: number) {
  const row = await db
    .selectFrom('team_rounds as r')
    .select(['r.id', 'r.number', 'r.opened_at as openedAt'])
    .where('r.assessment_id', '=', assessmentId)
    .where((eb) => eb.exists(eb.selectFrom('team_responses as x').select('x.user_id').whereRef('x.round_id', '=', 'r.id')))
    .orderBy('r.number', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ?? null
}
