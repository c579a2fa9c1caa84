import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMarkdown } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { FULLY } from '../lib/readiness-form'
import { formatInZone } from '../lib/time-zones'
import type { Actor } from '../lib/roles'
import type { UpsertOutcome } from './taxonomy.server'
import { membersWhoHaveBeenThere, type MemberWhoHasBeenThere } from './member-directory.server'

/** How many of the weakest areas get full recommendations; the rest are ranked in the summary. */
export const DETAILED_AREAS = 5
const PEERS_PER_AREA = 4

export interface ReadinessQuestionSource {
  slug: string
  position: number
  area: string
  question: string
  guidance: string
  looksLike: string[]
  failureModes: string[]
}

export interface ReadinessQuestion {
  slug: string
  position: number
  area: string
  question: string
  guidanceHtml: string
  looksLike: string[]
  failureModes: { id: number; slug: string; name: string; prevention: string[] }[]
}

export interface ReadinessAnswer {
  questionSlug: string
  level: number
  note: string | null
}

/** Loads one question from content/; `failureModes` are slugs of failure-mode terms. */
export async function upsertReadinessQuestion(
  source: ReadinessQuestionSource,
  sourceHash: string,
  trx: Kysely<Database>
): Promise<UpsertOutcome> {
  const existing = await trx
    .selectFrom('readiness_questions')
    .select(['id', 'source_hash'])
    .where('slug', '=', source.slug)
    .executeTakeFirst()
  if (existing?.source_hash === sourceHash) return 'unchanged'
  const terms = await trx
    .selectFrom('taxonomy_terms')
    .select(['id', 'slug'])
    .where('facet', '=', 'failure-mode')
    .where('slug', 'in', source.failureModes)
    .execute()
  const unknown = source.failureModes.filter((slug) => !terms.some((t) => t.slug === slug))
  if (unknown.length) throw new Error(`no failure mode has the slug ${unknown.map((s) => `"${s}"`).join(', ')}`)

  const values = {
    position: source.position,
    area: source.area,
    question: source.question,
    guidance_md: source.guidance,
    guidance_html: renderMarkdown(source.guidance),
    looks_like_json: JSON.stringify(source.looksLike),
    source_hash: sourceHash,
  }
  const { id } = await trx
    .insertInto('readiness_questions')
    .values({ slug: source.slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx.deleteFrom('readiness_question_failure_modes').where('question_id', '=', id).execute()
  await trx
    .insertInto('readiness_question_failure_modes')
    .values(source.failureModes.map((slug, position) => ({ question_id: id, term_id: terms.find((t) => t.slug === slug)!.id, position })))
    .execute()
  return existing ? 'updated' : 'inserted'
}

/** Removes questions whose content file is gone; saved answers to them stay in members' history. */
export async function deleteReadinessQuestionsExcept(slugs: string[], trx: Kysely<Database>): Promise<number> {
  const result = await trx
    .deleteFrom('readiness_questions')
    .where('slug', 'not in', slugs.length ? slugs : [''])
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The questions in order, each with the failure modes it guards against (two queries). */
export async function listReadinessQuestions(): Promise<ReadinessQuestion[]> {
  const [questions, modes] = await Promise.all([
    db.selectFrom('readiness_questions').selectAll().orderBy('position').execute(),
    db
      .selectFrom('readiness_question_failure_modes as qm')
      .innerJoin('taxonomy_terms as t', 't.id', 'qm.term_id')
      .select(['qm.question_id', 't.id', 't.slug', 't.name', 't.prevention_json'])
      .orderBy('qm.question_id')
      .orderBy('qm.position')
      .execute(),
  ])
  return questions.map((q) => ({
    slug: q.slug,
    position: q.position,
    area: q.area,
    question: q.question,
    guidanceHtml: q.guidance_html,
    looksLike: JSON.parse(q.looks_like_json) as string[],
    failureModes: modes
      .filter((m) => m.question_id === q.id)
      .map((m) => ({ id: m.id, slug: m.slug, name: m.name, prevention: JSON.parse(m.prevention_json) as string[] })),
  }))
}

// ---------------------------------------------------------------------------------------------
// Scoring and recommendations

export interface AreaResult {
  question: ReadinessQuestion
  level: number
  note: string | null
  /** The level given last time for the same project, when there was a last time. */
  previousLevel: number | null
}

/** What teaches one area: cases, open discussions and upcoming events on its failure modes. */
export interface Teaching {
  cases: { slug: string; title: string; summary: string; isPrimary: boolean; failureMode: string }[]
  discussions: { id: number; slug: string; title: string; replyCount: number; lastPostedAt: string }[]
  events: { id: number; slug: string; title: string; startsAt: string; when: string }[]
}

export interface Recommendation extends Teaching {
  area: AreaResult
  /** Listed members who lived through the area's failure modes. */
  peers: MemberWhoHasBeenThere[]
}

export interface ReadinessReport {
  /** 0..100: the share of the most each answer could score. */
  score: number
  previousScore: number | null
  /** Every area, weakest first (ties keep the questions' order). */
  ranked: AreaResult[]
  /** The weakest areas that are not yet "fully", with what teaches each. */
  recommendations: Recommendation[]
}

/** 0..100: the share of the most the levels could score. */
export const scoreOf = (levels: number[]) =>
  levels.length ? Math.round((levels.reduce((sum, level) => sum + level, 0) / (levels.length * FULLY)) * 100) : 0

/** Ranks the answers and finds, for the weakest areas, the cases, discussions and events on their themes. */
export async function buildReadinessReport(
  questions: ReadinessQuestion[],
  answers: ReadinessAnswer[],
  previous: ReadinessAnswer[] | null = null,
  now = new Date()
): Promise<ReadinessReport> {
  const areas: AreaResult[] = []
  for (const question of questions) {
    const answer = answers.find((a) => a.questionSlug === question.slug)
    if (!answer) continue
    const before = previous?.find((a) => a.questionSlug === question.slug)
    areas.push({ question, level: answer.level, note: answer.note, previousLevel: before ? before.level : null })
  }
  const ranked = [...areas].sort((a, b) => a.level - b.level || a.question.position - b.question.position)
  const weakest = ranked.filter((area) => area.level < FULLY).slice(0, DETAILED_AREAS)
  const [teaching, peers] = await Promise.all([
    findTeaching(weakest.map((area) => area.question), now),
    Promise.all(weakest.map((area) => membersWhoHaveBeenThere(area.question.failureModes.map((m) => m.slug), PEERS_PER_AREA))),
  ])
  const recommendations = weakest.map(
    (area, index): Recommendation => ({ area, ...teaching.get(area.question.slug)!, peers: peers[index] }),
  )
  return {
    score: scoreOf(areas.map((a) => a.level)),
    previousScore: previous ? scoreOf(areas.filter((a) => a.previousLevel !== null).map((a) => a.previousLevel!)) : null,
    ranked,
    recommendations,
  }
}

/** For each question (by slug), what teaches it; the same few queries however many questions. */
export async function findTeaching(questions: ReadinessQuestion[], now = new Date()): Promise<Map<string, Teaching>> {
  const termIds = [...new Set(questions.flatMap((question) => question.failureModes.map((m) => m.id)))]
  const material = await findTeachingMaterial(termIds, now)
  return new Map(
    questions.map((question): [string, Teaching] => {
      const modeIds = question.failureModes.map((m) => m.id)
      return [
        question.slug,
        {
          cases: rankCases(material.cases, question.failureModes).slice(0, 3),
          discussions: firstDistinct(material.discussions, modeIds, 3).map((t) => ({
            id: t.id,
            slug: t.slug,
            title: t.title,
            replyCount: t.reply_count,
            lastPostedAt: t.last_posted_at,
          })),
          events: firstDistinct(material.events, modeIds, 2).map((e) => ({
            id: e.id,
            slug: e.slug,
            title: e.title,
            startsAt: e.starts_at,
            when: formatInZone(e.starts_at, e.time_zone),
          })),
        },
      ]
    })
  )
}

/**
 * The cases that teach an area, best first: one of the area's modes as the case's primary
 * failure mode, then more of the area's modes shown, then the earlier (more central) mode,
 * then what members found helpful or recognised.
 */
function rankCases(rows: TeachingCase[], modes: ReadinessQuestion['failureModes']): Recommendation['cases'] {
  const byCase = new Map<number, { row: TeachingCase; primaryMode: number | null; matches: number; bestRank: number }>()
  for (const row of rows) {
    const rank = modes.findIndex((m) => m.id === row.term_id)
    if (rank < 0) continue
    const entry = byCase.get(row.case_id) ?? { row, primaryMode: null, matches: 0, bestRank: rank }
    entry.matches++
    entry.bestRank = Math.min(entry.bestRank, rank)
    if (row.is_primary) entry.primaryMode = rank
    byCase.set(row.case_id, entry)
  }
  return [...byCase.values()]
    .sort(
      (a, b) =>
        Number(b.primaryMode !== null) - Number(a.primaryMode !== null) ||
        b.matches - a.matches ||
        a.bestRank - b.bestRank ||
        b.row.popularity - a.row.popularity
    )
    .map(({ row, primaryMode, bestRank }) => ({
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      isPrimary: primaryMode !== null,
      failureMode: modes[primaryMode ?? bestRank].name,
    }))
}

/** The first `limit` distinct rows tagged with one of `termIds`, in the rows' order. */
function firstDistinct<T extends { term_id: number; id: number }>(rows: T[], termIds: number[], limit: number): T[] {
  const seen = new Set<number>()
  const picked: T[] = []
  for (const row of rows) {
    if (picked.length === limit) break
    if (!termIds.includes(row.term_id) || seen.has(row.id)) continue
    seen.add(row.id)
    picked.push(row)
  }
  return picked
}

interface TeachingCase {
  term_id: number
  case_id: number
  is_primary: number
  slug: string
  title: string
  summary: string
  popularity: number
}

/**
 * Published cases, open discussions and upcoming events for each failure mode, a few per mode,
 * in three queries however many areas are weak (a window function keeps the top rows per mode).
 */
async function findTeachingMaterial(termIds: number[], now: Date) {
  if (!termIds.length) return { cases: [] as TeachingCase[], discussions: [], events: [] }
  const ids = sql.join(termIds)
  const [cases, discussions, events] = await Promise.all([
    sql<TeachingCase>`
      select term_id, case_id, is_primary, slug, title, summary, popularity from (
        select m.term_id, m.case_id, m.is_primary, c.slug, c.title, c.summary,
          c.helpful_count + c.seen_count as popularity,
          row_number() over (partition by m.term_id order by m.is_primary desc, c.helpful_count + c.seen_count desc, c.published_at desc) as n
        from case_failure_modes m join cases c on c.id = m.case_id
        where m.term_id in (${ids}) and m.avoided = 0 and c.status = 'published'
      ) as ranked where n <= 6`.execute(db),
    sql<{ term_id: number; id: number; slug: string; title: string; reply_count: number; last_posted_at: string }>`
      select term_id, id, slug, title, reply_count, last_posted_at from (
        select tt.term_id, t.id, t.slug, t.title, t.reply_count, t.last_posted_at,
          row_number() over (partition by tt.term_id order by t.last_posted_at desc) as n
        from thread_tags tt join threads t on t.id = tt.thread_id
        where tt.term_id in (${ids}) and t.deleted_at is null and t.is_locked = 0
      ) as ranked where n <= 3 order by last_posted_at desc`.execute(db),
    sql<{ term_id: number; id: number; slug: string; title: string; starts_at: string; time_zone: string }>`
      select term_id, id, slug, title, starts_at, time_zone from (
        select et.term_id, e.id, e.slug, e.title, e.starts_at, e.time_zone,
          row_number() over (partition by et.term_id order by e.starts_at) as n
        from event_themes et join events e on e.id = et.event_id
        where et.term_id in (${ids}) and e.status = 'published' and e.starts_at > ${now.toISOString()}
      ) as ranked where n <= 2 order by starts_at`.execute(db),
  ])
  return { cases: cases.rows, discussions: discussions.rows, events: events.rows }
}

// ---------------------------------------------------------------------------------------------
// Saved assessments: private to the member who saved them

export const projectKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase()

export async function saveAssessment(
  member: Actor,
  projectName: string,
  answers: ReadinessAnswer[],
  now = new Date()
): Promise<Outcome<{ id: number }>> {
  const name = projectName.trim().replace(/\s+/g, ' ')
  if (!name) return refuse(400, 'Enter a project name to save this assessment under.', 'project')
  return writeTransaction(async (trx) => {
    const { id } = await trx
      .insertInto('readiness_assessments')
      .values({ user_id: member.id, project_name: name, project_key: projectKey(name), created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('readiness_answers')
      .values(answers.map((a) => ({ assessment_id: id, question_slug: a.questionSlug, level: a.level, note: a.note })))
      .execute()
    return ok({ id })
  })
}

export interface SavedAssessment {
  id: number
  projectName: string
  createdAt: string
  answers: ReadinessAnswer[]
  /** The same project's assessment saved just before this one. */
  previous: { id: number; createdAt: string; answers: ReadinessAnswer[] } | null
}

/** A saved assessment, for its owner only: anyone else gets null, as if it did not exist. */
export async function getAssessment(viewer: Actor | null, id: number): Promise<SavedAssessment | null> {
  if (!viewer) return null
  const assessment = await db
    .selectFrom('readiness_assessments')
    .select(['id', 'project_name', 'project_key', 'created_at'])
    .where('id', '=', id)
    .where('user_id', '=', viewer.id)
    .executeTakeFirst()
  if (!assessment) return null
  const previous = await db
    .selectFrom('readiness_assessments')
    .select(['id', 'created_at'])
    .where('user_id', '=', viewer.id)
    .where('project_key', '=', assessment.project_key)
    .where('id', '<', assessment.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const answers = await db
    .selectFrom('readiness_answers')
    .select(['assessment_id', 'question_slug', 'level', 'note'])
    .where('assessment_id', 'in', previous ? [assessment.id, previous.id] : [assessment.id])
    .execute()
  const answersOf = (assessmentId: number) =>
    answers.filter((a) => a.assessment_id === assessmentId).map((a) => ({ questionSlug: a.question_slug, level: a.level, note: a.note }))
  return {
    id: assessment.id,
    projectName: assessment.project_name,
    createdAt: assessment.created_at,
    answers: answersOf(assessment.id),
    previous: previous ? { id: previous.id, createdAt: previous.created_at, answers: answersOf(previous.id) } : null,
  }
}

export interface AssessmentSummary {
  id: number
  projectName: string
  createdAt: string
  score: number
}

/** The member's saved assessments, newest first, each with its score. */
export async function listAssessments(member: Actor): Promise<AssessmentSummary[]> {
  const rows = await db
    .selectFrom('readiness_assessments as a')
    .leftJoin('readiness_answers as r', 'r.assessment_id', 'a.id')
    // Scored over the current questions only, as the assessment's own page scores it.
    .leftJoin('readiness_questions as q', 'q.slug', 'r.question_slug')
    .select([
      'a.id',
      'a.project_name',
      'a.created_at',
      sql<number>`coalesce(sum(case when q.id is not null then r.level end), 0)`.as('total'),
      sql<number>`count(q.id)`.as('answered'),
    ])
    .where('a.user_id', '=', member.id)
    .groupBy('a.id')
    .orderBy('a.id', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    projectName: row.project_name,
    createdAt: row.created_at,
    score: row.answered ? Math.round((row.total / (row.answered * FULLY)) * 100) : 0,
  }))
}

export async function deleteAssessment(member: Actor, id: number): Promise<Outcome> {
  const result = await db.deleteFrom('readiness_assessments').where('id', '=', id).where('user_id', '=', member.id).executeTakeFirst()
  return Number(result.numDeletedRows) ? ok() : refuse(404, 'That assessment does not exist.')
}
