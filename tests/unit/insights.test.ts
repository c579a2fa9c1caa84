// Insights on a known fixture (its own taxonomy, seven published cases and three unpublished
// ones, no curated content): the failure mode x phase heatmap, its totals, failure modes by
// outcome, "seen this too" per failure mode, the level/domain/outcome filters, and that every
// cell counts exactly the cases its link (`/cases?mode=…&phase=…`) lists.
import { beforeAll, describe, expect, it } from 'vitest'
import { db, writeTransaction } from '../../db/client'
import type { CaseContent } from '../../app/lib/case-fields'
import { contentToCaseForm } from '../../app/lib/case-form'
import type { CaseFilters } from '../../app/lib/case-query'
import { browseCases } from '../../app/models/case-browse.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { toggleCaseReaction } from '../../app/models/case-reactions.server'
import { returnCase, saveCaseDraft, submitCase } from '../../app/models/case-submission.server'
import { getInsights, type InsightFilters, type Insights } from '../../app/models/insights.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { insertMember, must } from '../helpers/model-fixtures'

// ---------------------------------------------------------------------------------------------
// The fixture

// Names sort differently from positions, so "by name" and "by position" can be told apart.
const MODE_NAMES: Record<string, string> = { alpha: 'Unclear goals', beta: 'Broken handoffs', gamma: 'Rushed scope' }
const TERMS: Record<Facet, string[]> = {
  'failure-mode': ['alpha', 'beta', 'gamma'],
  phase: ['plan', 'build', 'run'],
  level: ['federal', 'state', 'local'],
  domain: ['tax', 'health'],
  // "draw" has only an unpublished case.
  outcome: ['win', 'loss', 'draw'],
}
const MODES = TERMS['failure-mode']
const PHASES = TERMS.phase

interface FixtureCase {
  key: string
  level: string
  domain: string
  outcome: string
  /** Primary first. */
  modes: string[]
  phases: string[]
  /** Members who said "we've seen this too". */
  seen: number
}

/**
 * | case | level   | domain | outcome | modes (primary first) | phases          | seen |
 * | c1   | federal | tax    | loss    | alpha, beta           | plan, build     | 1    |
 * | c2   | state   | health | win     | beta                  | build           | 3    |
 * | c3   | local   | tax    | win     | gamma, alpha          | run             | 0    |
 * | c4   | state   | tax    | loss    | alpha                 | plan, run       | 0    |
 * | c5   | federal | health | loss    | gamma, beta           | build           | 2    |
 * | c6   | local   | health | win     | beta, gamma           | plan            | 0    |
 * | c7   | state   | tax    | loss    | alpha, beta, gamma    | plan, build, run| 5    |
 */
const PUBLISHED: FixtureCase[] = [
  { key: 'c1', level: 'federal', domain: 'tax', outcome: 'loss', modes: ['alpha', 'beta'], phases: ['plan', 'build'], seen: 1 },
  { key: 'c2', level: 'state', domain: 'health', outcome: 'win', modes: ['beta'], phases: ['build'], seen: 3 },
  { key: 'c3', level: 'local', domain: 'tax', outcome: 'win', modes: ['gamma', 'alpha'], phases: ['run'], seen: 0 },
  { key: 'c4', level: 'state', domain: 'tax', outcome: 'loss', modes: ['alpha'], phases: ['plan', 'run'], seen: 0 },
  { key: 'c5', level: 'federal', domain: 'health', outcome: 'loss', modes: ['gamma', 'beta'], phases: ['build'], seen: 2 },
  { key: 'c6', level: 'local', domain: 'health', outcome: 'win', modes: ['beta', 'gamma'], phases: ['plan'], seen: 0 },
  { key: 'c7', level: 'state', domain: 'tax', outcome: 'loss', modes: ['alpha', 'beta', 'gamma'], phases: ['plan', 'build', 'run'], seen: 5 },
]

function content(c: Omit<FixtureCase, 'seen'>): CaseContent {
  const [primary, ...contributing] = c.modes
  return {
    title: `Insights fixture case ${c.key}`,
    summary: `Summary of fixture case ${c.key}.`,
    level: c.level,
    domain: c.domain,
    outcome: c.outcome,
    jurisdiction: 'A mid-size agency',
    budgetBand: 'unknown',
    contractModel: 'Fixed price',
    years: '2018-2020',
    outcomeDetail: 'It shipped eventually.',
    whatHappened: `Plain narrative of case ${c.key}.`,
    primaryFailureMode: { slug: primary, how: `How ${primary} showed up` },
    contributingFailureModes: contributing.map((slug) => ({ slug, how: `How ${slug} contributed` })),
    phases: c.phases,
    rootCauses: ['Unclear goals'],
    lessons: ['Start smaller'],
    recommendations: ['Test with real users'],
    correctiveActions: [],
    sources: [],
    firstHand: false,
    isAnonymous: false,
  }
}



beforeAll(async () => {
  for (const [facet, slugs] of Object.entries(TERMS) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm(
        {
          facet,
          slug,
          name: facet === 'failure-mode' ? MODE_NAMES[slug] : `${facet} ${slug}`,
          description: `The ${slug} ${facet}.`,
          warningSigns: [],
          prevention: [],
          position: index + 1,
        },
        `${facet}-${slug}`,
      )
    }
  }
  const editor = await insertMember()
  await writeTransaction(async (trx) => {
    for (const [index, c] of PUBLISHED.entries()) {
      await upsertCuratedCase(trx, {
        key: `test/${c.key}`,
        hash: c.key,
        slug: `insights-${c.key}`,
        authorId: editor.id,
        publishedAt: `2020-0${index + 1}-01T00:00:00.000Z`,
        content: content(c),
      })
    }
  })
  // "We've seen this too", said by distinct members as on the case page.
  const readers = await Promise.all(Array.from({ length: 5 }, () => insertMember()))
  for (const c of PUBLISHED) {
    const { id } = await db.selectFrom('cases').select('id').where('slug', '=', `insights-${c.key}`).executeTakeFirstOrThrow()
    for (const reader of readers.slice(0, c.seen)) must(await toggleCaseReaction(reader, id, 'seen'))
  }

  // Unpublished cases with every mode and phase: counting any of them would change every number.
  const author = await insertMember()
  const moderator = await insertMember('moderator')
  const hidden = (key: string, outcome: string) =>
    content({ key, level: 'state', domain: 'tax', outcome, modes: ['alpha', 'beta', 'gamma'], phases: ['plan', 'build', 'run'] })
  must(await saveCaseDraft(author, null, contentToCaseForm(hidden('draft', 'loss'))))
  must(await submitCase(author, null, contentToCaseForm(hidden('submitted', 'loss')), hidden('submitted', 'loss')))
  const returned = must(await submitCase(author, null, contentToCaseForm(hidden('returned', 'draw')), hidden('returned', 'draw')))
  must(await returnCase(moderator, returned.id, 'Please add sources.'))
  await db.updateTable('cases').set({ seen_count: 100 }).where('status', '!=', 'published').execute()
  const statuses = await db.selectFrom('cases').select('status').where('status', '!=', 'published').execute()
  expect(statuses.map((s) => s.status).sort()).toEqual(['draft', 'returned', 'submitted'])
})

// ---------------------------------------------------------------------------------------------
// The answers, worked out from the fixture without SQL

const NO_FILTERS: InsightFilters = { level: null, domain: null, outcome: null }

function matching(filters: InsightFilters): FixtureCase[] {
  return PUBLISHED.filter(
    (c) =>
      (!filters.level || c.level === filters.level) &&
      (!filters.domain || c.domain === filters.domain) &&
      (!filters.outcome || c.outcome === filters.outcome),
  )
}

function expectedCells(filters: InsightFilters): Insights['cells'] {
  const cases = matching(filters)
  return Object.fromEntries(
    MODES.map((m) => [m, Object.fromEntries(PHASES.map((p) => [p, cases.filter((c) => c.modes.includes(m) && c.phases.includes(p)).length]))]),
  )
}

const FILTER_CASES: [string, InsightFilters][] = [
  ['no filter', NO_FILTERS],
  ['level state', { ...NO_FILTERS, level: 'state' }],
  ['level federal', { ...NO_FILTERS, level: 'federal' }],
  ['domain health', { ...NO_FILTERS, domain: 'health' }],
  ['outcome loss', { ...NO_FILTERS, outcome: 'loss' }],
  ['outcome win', { ...NO_FILTERS, outcome: 'win' }],
  ['level state, domain tax, outcome loss', { level: 'state', domain: 'tax', outcome: 'loss' }],
  ['level local, outcome loss (no case)', { ...NO_FILTERS, level: 'local', outcome: 'loss' }],
]

// ---------------------------------------------------------------------------------------------

describe('the heatmap', () => {
  it('has a row per failure mode and a column per phase, in the taxonomy order', async () => {
    const insights = await getInsights(NO_FILTERS)
    expect(insights.modes.map((m) => [m.slug, m.name])).toEqual([
      ['alpha', 'Unclear goals'],
      ['beta', 'Broken handoffs'],
      ['gamma', 'Rushed scope'],
    ])
    expect(insights.phases.map((p) => p.slug)).toEqual(['plan', 'build', 'run'])
  })

  it('counts in each cell the published cases having that failure mode and that phase', async () => {
    const { cells } = await getInsights(NO_FILTERS)
    expect(cells).toEqual({
      alpha: { plan: 3, build: 2, run: 3 },
      beta: { plan: 3, build: 4, run: 1 },
      gamma: { plan: 2, build: 2, run: 2 },
    })
    expect(cells).toEqual(expectedCells(NO_FILTERS))
  })

  it('never counts a draft, submitted or returned case', async () => {
    const insights = await getInsights(NO_FILTERS)
    expect(insights.caseCount).toBe(7)
    // The unpublished cases all sit in state/tax; counting them would change these numbers.
    const stateTax = await getInsights({ level: 'state', domain: 'tax', outcome: null })
    expect(stateTax.caseCount).toBe(2)
    expect(stateTax.cells.gamma).toEqual({ plan: 1, build: 1, run: 1 })
    // "draw" only has a returned case.
    expect((await getInsights({ ...NO_FILTERS, outcome: 'draw' })).caseCount).toBe(0)
    expect(insights.byOutcome.map((o) => o.outcome.slug)).not.toContain('draw')
    expect(insights.seen.find((s) => s.slug === 'alpha')?.seen).toBe(6)
  })

  it.each(FILTER_CASES)('narrowed by %s, counts exactly the matching cases in every cell', async (_, filters) => {
    const insights = await getInsights(filters)
    expect(insights.cells).toEqual(expectedCells(filters))
    expect(insights.caseCount).toBe(matching(filters).length)
  })

  it('has totals per failure mode and per phase (a case counts once however many phases it spans)', async () => {
    const insights = await getInsights(NO_FILTERS)
    expect(insights.modeTotals).toEqual({ alpha: 4, beta: 5, gamma: 4 })
    expect(insights.phaseTotals).toEqual({ plan: 4, build: 4, run: 3 })
    expect(insights.caseCount).toBe(7)
  })

  it.each(FILTER_CASES)('narrowed by %s, has the matching totals', async (_, filters) => {
    const insights = await getInsights(filters)
    const cases = matching(filters)
    expect(insights.modeTotals).toEqual(Object.fromEntries(MODES.map((m) => [m, cases.filter((c) => c.modes.includes(m)).length])))
    expect(insights.phaseTotals).toEqual(Object.fromEntries(PHASES.map((p) => [p, cases.filter((c) => c.phases.includes(p)).length])))
  })
})

describe('each number links to the cases behind it', () => {
  const browse = (filters: Partial<CaseFilters>) =>
    browseCases({ q: '', mode: [], avoided: [], phase: [], level: [], domain: [], outcome: [], sort: 'newest', page: 1, ...filters })
  const asList = (value: string | null) => (value ? [value] : [])

  it.each(FILTER_CASES)('narrowed by %s, /cases?mode=&phase= lists as many cases as the cell says', async (_, filters) => {
    const insights = await getInsights(filters)
    const extra = { level: asList(filters.level), domain: asList(filters.domain), outcome: asList(filters.outcome) }
    for (const mode of MODES) {
      for (const phase of PHASES) {
        const listed = await browse({ mode: [mode], phase: [phase], ...extra })
        expect(listed.total, `${mode} x ${phase}`).toBe(insights.cells[mode][phase])
      }
      expect((await browse({ mode: [mode], ...extra })).total, `${mode} total`).toBe(insights.modeTotals[mode])
    }
    for (const phase of PHASES) {
      expect((await browse({ phase: [phase], ...extra })).total, `${phase} total`).toBe(insights.phaseTotals[phase])
    }
    expect((await browse(extra)).total).toBe(insights.caseCount)
  })

  it('the cell "Unclear goals in planning" lists c1, c4 and c7', async () => {
    const listed = await browse({ mode: ['alpha'], phase: ['plan'] })
    expect(listed.cases.map((c) => c.slug).sort()).toEqual(['insights-c1', 'insights-c4', 'insights-c7'])
  })
})

describe('failure modes by outcome', () => {
  it('lists outcomes that have cases in the taxonomy order, each mode most shared first, ties by name', async () => {
    const { byOutcome } = await getInsights(NO_FILTERS)
    expect(byOutcome.map((o) => [o.outcome.slug, o.caseCount])).toEqual([
      ['win', 3],
      ['loss', 4],
    ])
    // win: beta 2, gamma 2, alpha 1 -> "Broken handoffs" before "Rushed scope" on the tie.
    expect(byOutcome[0].modes).toEqual([
      { slug: 'beta', name: 'Broken handoffs', cases: 2 },
      { slug: 'gamma', name: 'Rushed scope', cases: 2 },
      { slug: 'alpha', name: 'Unclear goals', cases: 1 },
    ])
    // loss: alpha 3, beta 3, gamma 2 -> "Broken handoffs" before "Unclear goals" on the tie.
    expect(byOutcome[1].modes).toEqual([
      { slug: 'beta', name: 'Broken handoffs', cases: 3 },
      { slug: 'alpha', name: 'Unclear goals', cases: 3 },
      { slug: 'gamma', name: 'Rushed scope', cases: 2 },
    ])
  })

  it('follows the filters', async () => {
    const { byOutcome } = await getInsights({ ...NO_FILTERS, domain: 'health' })
    // health: c2 (win, beta), c5 (loss, gamma+beta), c6 (win, beta+gamma)
    expect(byOutcome.map((o) => [o.outcome.slug, o.caseCount, o.modes.map((m) => [m.slug, m.cases])])).toEqual([
      ['win', 2, [['beta', 2], ['gamma', 1]]],
      ['loss', 1, [['beta', 1], ['gamma', 1]]],
    ])
    expect((await getInsights({ ...NO_FILTERS, level: 'local', outcome: 'loss' })).byOutcome).toEqual([])
  })
})

describe('"we\'ve seen this too" per failure mode', () => {
  it('adds up the members on the cases showing each mode, most seen first', async () => {
    const { seen } = await getInsights(NO_FILTERS)
    // beta: c1 1 + c2 3 + c5 2 + c6 0 + c7 5; gamma: c3 0 + c5 2 + c6 0 + c7 5; alpha: c1 1 + c3 0 + c4 0 + c7 5
    expect(seen).toEqual([
      { slug: 'beta', name: 'Broken handoffs', seen: 11, cases: 5 },
      { slug: 'gamma', name: 'Rushed scope', seen: 7, cases: 4 },
      { slug: 'alpha', name: 'Unclear goals', seen: 6, cases: 4 },
    ])
  })

  it('follows the filters', async () => {
    const { seen } = await getInsights({ ...NO_FILTERS, level: 'federal' })
    // federal: c1 (alpha, beta; 1), c5 (gamma, beta; 2)
    expect(seen).toEqual([
      { slug: 'beta', name: 'Broken handoffs', seen: 3, cases: 2 },
      { slug: 'gamma', name: 'Rushed scope', seen: 2, cases: 1 },
      { slug: 'alpha', name: 'Unclear goals', seen: 1, cases: 1 },
    ])
    expect((await getInsights({ ...NO_FILTERS, level: 'local', outcome: 'loss' })).seen).toEqual([])
  })
})
