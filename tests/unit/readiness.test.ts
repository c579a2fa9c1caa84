// The readiness self-assessment's models on a known fixture (its own failure modes, seven
// questions, a handful of cases, threads and events; no curated content): the score, the
// ranking weakest first, which areas get recommendations and what each recommends, movement
// since the last assessment, and that saved assessments stay private to their owner.
import { beforeAll, describe, expect, it } from 'vitest'
import { db, writeTransaction } from '../../db/client'
import type { CaseContent } from '../../app/lib/case-fields'
import { contentToCaseForm } from '../../app/lib/case-form'
import { eventInputSchema } from '../../app/lib/event-fields'
import { upsertCategory } from '../../app/models/category.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { returnCase, saveCaseDraft, submitCase } from '../../app/models/case-submission.server'
import { cancelEvent, createEvent } from '../../app/models/event.server'
import { moderateThread } from '../../app/models/moderation.server'
import { deletePost } from '../../app/models/post.server'
import {
  buildReadinessReport,
  DETAILED_AREAS,
  deleteAssessment,
  deleteReadinessQuestionsExcept,
  getAssessment,
  listAssessments,
  listReadinessQuestions,
  type ReadinessAnswer,
  type ReadinessQuestionSource,
  type ReadinessReport,
  saveAssessment,
  upsertReadinessQuestion,
} from '../../app/models/readiness.server'
import { type Actor, createThread } from '../../app/models/thread.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { insertMember, must } from '../helpers/model-fixtures'

// ---------------------------------------------------------------------------------------------
// The fixture

const MODES = ['fm-a', 'fm-b', 'fm-c', 'fm-d', 'fm-e', 'fm-f', 'fm-g'] as const
const modeName = (slug: string) => `Mode ${slug.slice(3).toUpperCase()}`

/**
 * | position | slug          | failure modes |
 * | 1        | outcomes      | fm-a          |
 * | 2        | stakeholders  | fm-a, fm-b    |
 * | 3        | current-state | fm-c          |
 * | 4        | data          | fm-d          |
 * | 5        | change        | fm-e          |
 * | 6        | testing       | fm-f          |
 * | 7        | vendors       | fm-g          |
 */
const QUESTIONS: ReadinessQuestionSource[] = [
  ['outcomes', ['fm-a']],
  ['stakeholders', ['fm-a', 'fm-b']],
  ['current-state', ['fm-c']],
  ['data', ['fm-d']],
  ['change', ['fm-e']],
  ['testing', ['fm-f']],
  ['vendors', ['fm-g']],
].map(([slug, failureModes], index) => ({
  slug: slug as string,
  position: index + 1,
  area: `Area ${slug}`,
  question: `Is the ${slug} part ready?`,
  guidance: `Guidance on **${slug}**.`,
  looksLike: [`The ${slug} part is written down.`],
  failureModes: failureModes as string[],
}))
const SLUGS = QUESTIONS.map((q) => q.slug)

const LEVEL = { 'not-yet': 0, partly: 1, mostly: 2, fully: 3 } as const
type LevelKey = keyof typeof LEVEL

function answers(levels: Record<string, LevelKey>, notes: Record<string, string> = {}): ReadinessAnswer[] {
  return Object.entries(levels).map(([questionSlug, key]) => ({ questionSlug, level: LEVEL[key], note: notes[questionSlug] ?? null }))
}



function caseContent(key: string, modes: string[]): CaseContent {
  const [primary, ...contributing] = modes
  return {
    title: `Readiness fixture case ${key}`,
    summary: `Summary of ${key}.`,
    level: 'lv-1',
    domain: 'dm-1',
    outcome: 'oc-1',
    jurisdiction: 'A mid-size agency',
    budgetBand: 'unknown',
    contractModel: 'Fixed price',
    years: '2018-2020',
    outcomeDetail: 'It shipped eventually.',
    whatHappened: `Plain narrative of ${key}.`,
    primaryFailureMode: { slug: primary, how: `How ${primary} showed up` },
    contributingFailureModes: contributing.map((slug) => ({ slug, how: `How ${slug} contributed` })),
    phases: ['ph-1'],
    rootCauses: ['Unclear goals'],
    lessons: ['Start smaller'],
    recommendations: ['Test with real users'],
    correctiveActions: [],
    sources: [],
    firstHand: false,
    isAnonymous: false,
  }
}

/**
 * Published cases (primary mode first) and how many members have "seen this too":
 * | case      | modes                | seen |
 * | primary-a | fm-a                 | 0    |
 * | primary-b | fm-b                 | 100  |
 * | contrib-a | fm-c, fm-a           | 40   |
 * | both-ab   | fm-d, fm-a, fm-b     | 10   |
 * Unpublished (draft, submitted, returned): fm-a as the primary mode, so they would rank first.
 */
const PUBLISHED = [
  { key: 'primary-a', modes: ['fm-a'], seen: 0 },
  { key: 'primary-b', modes: ['fm-b'], seen: 100 },
  { key: 'contrib-a', modes: ['fm-c', 'fm-a'], seen: 40 },
  { key: 'both-ab', modes: ['fm-d', 'fm-a', 'fm-b'], seen: 10 },
]
const UNPUBLISHED_TITLE = 'Unpublished readiness case'

// The report is built as of this instant; events before it are past.
const NOW = new Date('2029-06-01T00:00:00.000Z')

const threadIds: Record<string, number> = {}
const eventIds: Record<string, number> = {}

beforeAll(async () => {
  const terms: Record<Facet, string[]> = {
    'failure-mode': [...MODES],
    phase: ['ph-1', 'ph-2'],
    level: ['lv-1'],
    domain: ['dm-1'],
    outcome: ['oc-1'],
  }
  for (const [facet, slugs] of Object.entries(terms) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm(
        {
          facet,
          slug,
          name: facet === 'failure-mode' ? modeName(slug) : `${facet} ${slug}`,
          description: `The ${slug} ${facet}.`,
          warningSigns: [],
          prevention: facet === 'failure-mode' ? [`Prevent ${slug} one way`, `Prevent ${slug} another way`] : [],
          position: index + 1,
        },
        `${facet}-${slug}`,
      )
    }
  }
  await upsertCategory({ slug: 'general', name: 'General', description: 'Anything.', position: 1 }, 'general')

  // Questions loaded out of order: the position decides, not the load order.
  await writeTransaction(async (trx) => {
    for (const question of [...QUESTIONS].reverse()) await upsertReadinessQuestion(question, `hash-${question.slug}`, trx)
  })

  const editor = await insertMember()
  await writeTransaction(async (trx) => {
    for (const [index, c] of PUBLISHED.entries()) {
      await upsertCuratedCase(trx, {
        key: `test/${c.key}`,
        hash: c.key,
        slug: c.key,
        authorId: editor.id,
        publishedAt: `2020-0${index + 1}-01T00:00:00.000Z`,
        content: caseContent(c.key, c.modes),
      })
      await trx.updateTable('cases').set({ seen_count: c.seen }).where('slug', '=', c.key).execute()
    }
  })
  const author = await insertMember()
  const moderator = await insertMember('moderator')
  const hidden = (status: string) => ({ ...caseContent(status, ['fm-a', 'fm-b']), title: `${UNPUBLISHED_TITLE} (${status})` })
  must(await saveCaseDraft(author, null, contentToCaseForm(hidden('draft'))))
  must(await submitCase(author, null, contentToCaseForm(hidden('submitted')), hidden('submitted')))
  const returned = must(await submitCase(author, null, contentToCaseForm(hidden('returned')), hidden('returned')))
  must(await returnCase(moderator, returned.id, 'Please add sources.'))
  // Even very popular, they must never be recommended.
  await db.updateTable('cases').set({ seen_count: 1000 }).where('status', '!=', 'published').execute()

  // Threads tagged fm-a: two open (the second newer), one locked, one deleted; one on fm-c.
  let clock = Date.UTC(2029, 0, 1)
  const start = async (key: string, tags: string[]) => {
    const starter = await insertMember()
    const { id } = must(
      await createThread(
        starter,
        { categorySlug: 'general', title: `Thread ${key} about readiness`, body: `Opening post of ${key}.`, tagSlugs: tags },
        { now: new Date((clock += 60_000)) },
      ),
    )
    threadIds[key] = id
    return { starter, id }
  }
  await start('open-a', ['fm-a'])
  await start('open-a-newer', ['fm-a', 'fm-b'])
  const locked = await start('locked-a', ['fm-a'])
  must(await moderateThread(moderator, locked.id, 'lock', 'Going in circles'))
  const deleted = await start('deleted-a', ['fm-a'])
  const opening = await db.selectFrom('posts').select('id').where('thread_id', '=', deleted.id).executeTakeFirstOrThrow()
  expect(must(await deletePost(deleted.starter, opening.id, new Date((clock += 60_000))))).toEqual({ threadDeleted: true })
  await start('open-c', ['fm-c'])

  // Events on fm-a: upcoming published, a draft, a past one and a cancelled one (as of NOW).
  const event = async (key: string, starts: string, themes: string[], status: 'draft' | 'published') => {
    const input = eventInputSchema.parse({
      title: `Event ${key} on readiness`,
      kind: 'roundtable',
      description: 'We compare notes.',
      starts,
      ends: starts.replace(/T\d\d/, 'T23'),
      timeZone: 'UTC',
      format: 'virtual',
      joinUrl: 'https://meet.example.gov/room',
      capacity: '',
      rsvpDeadline: '',
      hosts: 'SectorPulse team',
      themes,
    })
    eventIds[key] = must(await createEvent(moderator, input, { status })).id
  }
  await event('upcoming-a', '2030-05-14T10:00', ['fm-a'], 'published')
  await event('draft-a', '2030-05-13T10:00', ['fm-a'], 'draft')
  await event('past-a', '2028-05-14T10:00', ['fm-a'], 'published')
  await event('cancelled-a', '2030-05-12T10:00', ['fm-a'], 'published')
  must(await cancelEvent(moderator, eventIds['cancelled-a']))
  await event('upcoming-c', '2030-05-15T10:00', ['fm-c'], 'published')
})

// ---------------------------------------------------------------------------------------------
// Helpers

/** The example answers: three "not yet", two "partly", one "mostly", one "fully". */
const EXAMPLE = answers({
  outcomes: 'not-yet',
  stakeholders: 'partly',
  'current-state': 'not-yet',
  data: 'mostly',
  change: 'fully',
  testing: 'partly',
  vendors: 'not-yet',
})

// What was answered last time, in the movement tests ("vendors" was not asked then).
const PREVIOUS_LEVELS = answers({
  outcomes: 'partly',
  stakeholders: 'partly',
  'current-state': 'mostly',
  data: 'not-yet',
  change: 'fully',
  testing: 'partly',
})

const rankedSlugs = (report: ReadinessReport) => report.ranked.map((area) => area.question.slug)
const recommendedSlugs = (report: ReadinessReport) => report.recommendations.map((r) => r.area.question.slug)
const recommendationFor = (report: ReadinessReport, slug: string) => {
  const found = report.recommendations.find((r) => r.area.question.slug === slug)
  if (!found) throw new Error(`no recommendation for ${slug}`)
  return found
}
const report = async (given: ReadinessAnswer[], previous: ReadinessAnswer[] | null = null) =>
  buildReadinessReport(await listReadinessQuestions(), given, previous, NOW)

// ---------------------------------------------------------------------------------------------

describe('the questions', () => {
  it('come in their position order, each with its failure modes in order and their prevention practices', async () => {
    const questions = await listReadinessQuestions()
    expect(questions.map((q) => q.slug)).toEqual(SLUGS)
    expect(questions.map((q) => q.position)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const stakeholders = questions[1]
    expect(stakeholders.failureModes.map((m) => m.slug)).toEqual(['fm-a', 'fm-b'])
    expect(stakeholders.failureModes[0]).toMatchObject({ name: 'Mode A', prevention: ['Prevent fm-a one way', 'Prevent fm-a another way'] })
    expect(stakeholders.guidanceHtml).toContain('<strong>stakeholders</strong>')
    expect(stakeholders.looksLike).toEqual(['The stakeholders part is written down.'])
  })

  it('refuses a question naming a failure mode that does not exist, and stores nothing', async () => {
    await expect(
      writeTransaction(async (trx) => {
        await upsertReadinessQuestion({ ...QUESTIONS[0], slug: 'broken', failureModes: ['fm-a', 'no-such-mode'] }, 'broken', trx)
      }),
    ).rejects.toThrow(/no-such-mode/)
    expect(await db.selectFrom('readiness_questions').select('id').where('slug', '=', 'broken').execute()).toEqual([])
  })
})

describe('scoring and ranking', () => {
  it('scores the share of the most the answers could reach: 7 of 21 is 33%', async () => {
    expect((await report(EXAMPLE)).score).toBe(33)
  })

  it.each([
    ['every answer "fully"', 'fully', 100],
    ['every answer "mostly"', 'mostly', 67],
    ['every answer "partly"', 'partly', 33],
    ['every answer "not yet"', 'not-yet', 0],
  ] as const)('scores %s as %i%%', async (_, level, score) => {
    const all = answers(Object.fromEntries(SLUGS.map((slug) => [slug, level])))
    expect((await report(all)).score).toBe(score)
  })

  it('ranks every area weakest first, ties in the questions\u2019 order', async () => {
    const result = await report(EXAMPLE)
    expect(rankedSlugs(result)).toEqual(['outcomes', 'current-state', 'vendors', 'stakeholders', 'testing', 'data', 'change'])
    expect(result.ranked.map((area) => area.level)).toEqual([0, 0, 0, 1, 1, 2, 3])
  })

  it('keeps ties in the questions\u2019 order however the questions and answers arrive', async () => {
    const shuffled = [...(await listReadinessQuestions())].reverse()
    const result = await buildReadinessReport(shuffled, [...EXAMPLE].reverse(), null, NOW)
    expect(rankedSlugs(result)).toEqual(['outcomes', 'current-state', 'vendors', 'stakeholders', 'testing', 'data', 'change'])
  })

  it('recommends for at most five of the weakest areas, never one answered "fully"', async () => {
    const result = await report(EXAMPLE)
    expect(DETAILED_AREAS).toBe(5)
    // Six areas are below "fully"; the sixth weakest ("data", mostly) is only ranked.
    expect(recommendedSlugs(result)).toEqual(['outcomes', 'current-state', 'vendors', 'stakeholders', 'testing'])
  })

  it('recommends for fewer areas when fewer are below "fully"', async () => {
    const mostlyFully = answers({
      ...Object.fromEntries(SLUGS.map((slug) => [slug, 'fully' as const])),
      testing: 'mostly',
      stakeholders: 'mostly',
    })
    const result = await report(mostlyFully)
    expect(recommendedSlugs(result)).toEqual(['stakeholders', 'testing'])
    expect(result.score).toBe(90)
  })

  it('recommends nothing when every answer is "fully"', async () => {
    const result = await report(answers(Object.fromEntries(SLUGS.map((slug) => [slug, 'fully' as const]))))
    expect(result.recommendations).toEqual([])
    expect(result.ranked).toHaveLength(7)
  })

  it('carries each answer\u2019s note to its area', async () => {
    const result = await report(answers({ outcomes: 'partly', data: 'fully' }, { outcomes: 'We have two goals, not measured.' }))
    expect(result.ranked.map((a) => [a.question.slug, a.note])).toEqual([
      ['outcomes', 'We have two goals, not measured.'],
      ['data', null],
    ])
    expect(recommendationFor(result, 'outcomes').area.note).toBe('We have two goals, not measured.')
  })
})

describe('the cases recommended for an area', () => {
  it('puts a case whose primary failure mode is the area\u2019s above cases that only show it, however popular those are', async () => {
    const { cases } = recommendationFor(await report(EXAMPLE), 'outcomes')
    // contrib-a has 40 "seen this too" and primary-a none; primary-a still comes first.
    expect(cases.map((c) => c.slug)).toEqual(['primary-a', 'contrib-a', 'both-ab'])
    expect(cases.map((c) => c.isPrimary)).toEqual([true, false, false])
    expect(cases.map((c) => c.failureMode)).toEqual(['Mode A', 'Mode A', 'Mode A'])
    expect(cases[0]).toMatchObject({ title: 'Readiness fixture case primary-a', summary: 'Summary of primary-a.' })
  })

  it('among primary cases prefers the area\u2019s first mode; then cases showing more of the area\u2019s modes', async () => {
    const { cases } = recommendationFor(await report(EXAMPLE), 'stakeholders')
    // primary-b is the most popular case, but fm-b is the area's second mode.
    expect(cases.map((c) => c.slug)).toEqual(['primary-a', 'primary-b', 'both-ab'])
    expect(cases.map((c) => [c.isPrimary, c.failureMode])).toEqual([
      [true, 'Mode A'],
      [true, 'Mode B'],
      [false, 'Mode A'],
    ])
  })

  it('never recommends a draft, submitted or returned case, even a popular one with the primary mode', async () => {
    const result = await report(answers(Object.fromEntries(SLUGS.map((slug) => [slug, 'not-yet' as const]))))
    const all = result.recommendations.flatMap((r) => r.cases)
    expect(all.length).toBeGreaterThan(0)
    expect(all.filter((c) => c.title.startsWith(UNPUBLISHED_TITLE))).toEqual([])
    const published = new Set(PUBLISHED.map((c) => c.key))
    expect(all.every((c) => published.has(c.slug))).toBe(true)
  })

  it('says so when no published case shows the area\u2019s modes', async () => {
    expect(recommendationFor(await report(EXAMPLE), 'vendors').cases).toEqual([])
  })
})

describe('the discussions recommended for an area', () => {
  it('lists open threads tagged with its modes, most recently active first; never locked or deleted ones', async () => {
    const { discussions } = recommendationFor(await report(EXAMPLE), 'outcomes')
    expect(discussions.map((d) => d.id)).toEqual([threadIds['open-a-newer'], threadIds['open-a']])
    expect(discussions[0]).toMatchObject({ title: 'Thread open-a-newer about readiness', replyCount: 0 })
    expect(discussions.map((d) => d.id)).not.toContain(threadIds['locked-a'])
    expect(discussions.map((d) => d.id)).not.toContain(threadIds['deleted-a'])
  })

  it('lists a thread once even when it is tagged with two of the area\u2019s modes', async () => {
    const result = await report(EXAMPLE)
    expect(recommendationFor(result, 'stakeholders').discussions.map((d) => d.id)).toEqual([threadIds['open-a-newer'], threadIds['open-a']])
    expect(recommendationFor(result, 'current-state').discussions.map((d) => d.id)).toEqual([threadIds['open-c']])
  })
})

describe('the events recommended for an area', () => {
  it('lists only upcoming published events on its modes: no draft, past or cancelled one', async () => {
    const { events } = recommendationFor(await report(EXAMPLE), 'outcomes')
    expect(events.map((e) => e.id)).toEqual([eventIds['upcoming-a']])
    expect(events[0]).toMatchObject({ title: 'Event upcoming-a on readiness', startsAt: '2030-05-14T10:00:00.000Z' })
    expect(events[0].when).toMatch(/2030/)
  })

  it('decides what is upcoming by the report\u2019s clock', async () => {
    const questions = await listReadinessQuestions()
    const before = await buildReadinessReport(questions, answers({ outcomes: 'partly' }), null, new Date('2028-01-01T00:00:00.000Z'))
    expect(before.recommendations[0].events.map((e) => e.id)).toEqual([eventIds['past-a'], eventIds['upcoming-a']])
    const after = await buildReadinessReport(questions, answers({ outcomes: 'partly' }), null, new Date('2031-01-01T00:00:00.000Z'))
    expect(after.recommendations[0].events).toEqual([])
  })
})

describe('movement since the last assessment', () => {
  it('gives each area its level last time, or null for a question not answered then', async () => {
    const result = await report(EXAMPLE, PREVIOUS_LEVELS)
    const moves = Object.fromEntries(result.ranked.map((area) => [area.question.slug, [area.previousLevel, area.level]]))
    expect(moves).toEqual({
      outcomes: [1, 0],
      stakeholders: [1, 1],
      'current-state': [2, 0],
      data: [0, 2],
      change: [3, 3],
      testing: [1, 1],
      vendors: [null, 0],
    })
  })

  it('scores last time over the areas answered then: 8 of 18 is 44%', async () => {
    const result = await report(EXAMPLE, PREVIOUS_LEVELS)
    expect(result.previousScore).toBe(44)
    expect(result.score).toBe(33)
  })

  it('has no previous score or levels without a previous assessment', async () => {
    const result = await report(EXAMPLE)
    expect(result.previousScore).toBeNull()
    expect(result.ranked.every((area) => area.previousLevel === null)).toBe(true)
  })
})

describe('saved assessments', () => {
  let owner: Actor
  let other: Actor
  let moderator: Actor
  let admin: Actor
  beforeAll(async () => {
    owner = await insertMember()
    other = await insertMember()
    moderator = await insertMember('moderator')
    admin = await insertMember('admin')
  })

  it('are stored under the project name as typed (spaces tidied), with every answer and note', async () => {
    const given = answers({ outcomes: 'partly', data: 'fully' }, { outcomes: 'Two goals, unmeasured.' })
    const { id } = must(await saveAssessment(owner, '  Payroll   replacement ', given))
    const saved = await getAssessment(owner, id)
    expect(saved).toMatchObject({ id, projectName: 'Payroll replacement', previous: null })
    expect([...saved!.answers].sort((a, b) => a.questionSlug.localeCompare(b.questionSlug))).toEqual([
      { questionSlug: 'data', level: 3, note: null },
      { questionSlug: 'outcomes', level: 1, note: 'Two goals, unmeasured.' },
    ])
  })

  it('are private: another member, a moderator, an admin and a visitor all get nothing', async () => {
    const { id } = must(await saveAssessment(owner, 'Private project', EXAMPLE))
    expect(await getAssessment(owner, id)).not.toBeNull()
    for (const viewer of [other, moderator, admin, null]) expect(await getAssessment(viewer, id)).toBeNull()
  })

  it('refuse a blank project name and store nothing', async () => {
    const before = await db.selectFrom('readiness_assessments').select('id').execute()
    expect(await saveAssessment(owner, '   ', EXAMPLE)).toMatchObject({ ok: false, status: 400, field: 'project' })
    expect(await db.selectFrom('readiness_assessments').select('id').execute()).toEqual(before)
  })

  it('are listed newest first with their scores, only to their owner', async () => {
    const member = await insertMember()
    const first = must(await saveAssessment(member, 'Licensing', EXAMPLE))
    const second = must(await saveAssessment(member, 'Benefits', answers(Object.fromEntries(SLUGS.map((s) => [s, 'mostly' as const])))))
    const third = must(await saveAssessment(member, 'Tax', answers({ outcomes: 'fully', data: 'not-yet' })))
    const list = await listAssessments(member)
    expect(list.map((a) => [a.id, a.projectName, a.score])).toEqual([
      [third.id, 'Tax', 50],
      [second.id, 'Benefits', 67],
      [first.id, 'Licensing', 33],
    ])
    expect((await listAssessments(other)).map((a) => a.id)).not.toContain(first.id)
  })

  it('compare with the same member\u2019s last assessment of the same project, whatever its case and spacing', async () => {
    const member = await insertMember()
    const stranger = await insertMember()
    const first = must(await saveAssessment(member, 'Case management', PREVIOUS_LEVELS))
    must(await saveAssessment(member, 'Something else', EXAMPLE))
    // Another member's assessment of a project with the same name is not this member's history.
    must(await saveAssessment(stranger, 'case management', EXAMPLE))
    const second = must(await saveAssessment(member, '  CASE  Management ', EXAMPLE))
    const saved = await getAssessment(member, second.id)
    expect(saved!.previous?.id).toBe(first.id)
    expect(saved!.previous!.answers).toHaveLength(PREVIOUS_LEVELS.length)

    const result = await buildReadinessReport(await listReadinessQuestions(), saved!.answers, saved!.previous!.answers, NOW)
    expect(result.previousScore).toBe(44)
    expect(result.ranked.find((a) => a.question.slug === 'data')).toMatchObject({ level: 2, previousLevel: 0 })

    // The first one has nothing before it.
    expect((await getAssessment(member, first.id))!.previous).toBeNull()
  })

  it('can be deleted by their owner only: another member gets 404 and it stays', async () => {
    const { id } = must(await saveAssessment(owner, 'To delete', EXAMPLE))
    for (const someone of [other, moderator, admin]) {
      expect(await deleteAssessment(someone, id)).toMatchObject({ ok: false, status: 404 })
    }
    expect(await getAssessment(owner, id)).not.toBeNull()
    expect(await deleteAssessment(owner, id)).toEqual({ ok: true, value: undefined })
    expect(await getAssessment(owner, id)).toBeNull()
    expect(await db.selectFrom('readiness_answers').select('question_slug').where('assessment_id', '=', id).execute()).toEqual([])
    expect(await deleteAssessment(owner, id)).toMatchObject({ ok: false, status: 404 })
  })
})

// Last, because it changes the questions.
describe('re-seeding the questions', () => {
  it('keeps saved answers keyed by question slug: changed, removed and re-created questions', async () => {
    const member = await insertMember()
    const { id } = must(await saveAssessment(member, 'Reseeded', EXAMPLE))
    const idsBefore = await db.selectFrom('readiness_questions').select(['slug', 'id']).execute()

    // The content changes: "outcomes" is reworded and moved last, "testing" is removed, and
    // "vendors" is removed and added back (a new row with a new id).
    await writeTransaction(async (trx) => {
      await upsertReadinessQuestion({ ...QUESTIONS[0], area: 'Outcomes, reworded', position: 8 }, 'hash-outcomes-2', trx)
      await deleteReadinessQuestionsExcept(SLUGS.filter((slug) => slug !== 'testing' && slug !== 'vendors'), trx)
      await upsertReadinessQuestion({ ...QUESTIONS[6], position: 0 }, 'hash-vendors-2', trx)
    })
    const questions = await listReadinessQuestions()
    expect(questions.map((q) => q.slug)).toEqual(['vendors', 'stakeholders', 'current-state', 'data', 'change', 'outcomes'])
    const vendorsId = (rows: { slug: string; id: number }[]) => rows.find((row) => row.slug === 'vendors')!.id
    expect(vendorsId(await db.selectFrom('readiness_questions').select(['slug', 'id']).execute())).not.toBe(vendorsId(idsBefore))

    const saved = await getAssessment(member, id)
    // History keeps every answer, including the one to the removed question.
    expect(saved!.answers.map((a) => a.questionSlug).sort()).toEqual([...SLUGS].sort())
    const result = await buildReadinessReport(questions, saved!.answers, null, NOW)
    // Ties at "not yet" follow the new positions: vendors (0), current-state (3), outcomes (8).
    expect(result.ranked.map((a) => [a.question.slug, a.level])).toEqual([
      ['vendors', 0],
      ['current-state', 0],
      ['outcomes', 0],
      ['stakeholders', 1],
      ['data', 2],
      ['change', 3],
    ])
    expect(result.ranked.find((a) => a.question.slug === 'outcomes')!.question.area).toBe('Outcomes, reworded')
    // vendors' failure modes came back with it.
    expect(recommendationFor(result, 'vendors').area.question.failureModes.map((m) => m.slug)).toEqual(['fm-g'])

    // Put the fixture back.
    await writeTransaction(async (trx) => {
      for (const question of QUESTIONS) await upsertReadinessQuestion(question, `hash-${question.slug}-restored`, trx)
    })
    expect((await listReadinessQuestions()).map((q) => q.slug)).toEqual(SLUGS)
  })

  it('scores a saved assessment the same in the list of assessments as on its own page after a question is removed', async () => {
    const member = await insertMember()
    const { id } = must(await saveAssessment(member, 'Listed and shown', EXAMPLE))
    try {
      // "change" (answered "fully") leaves the content.
      await writeTransaction((trx) => deleteReadinessQuestionsExcept(SLUGS.filter((slug) => slug !== 'change'), trx))
      const saved = await getAssessment(member, id)
      const page = await buildReadinessReport(await listReadinessQuestions(), saved!.answers, null, NOW)
      const listed = (await listAssessments(member)).find((a) => a.id === id)
      // The member sees one number for one assessment, wherever it is shown.
      expect(listed?.score).toBe(page.score)
    } finally {
      await writeTransaction(async (trx) => {
        for (const question of QUESTIONS) await upsertReadinessQuestion(question, `hash-${question.slug}-restored-again`, trx)
      })
    }
    expect((await listReadinessQuestions()).map((q) => q.slug)).toEqual(SLUGS)
  })
})
