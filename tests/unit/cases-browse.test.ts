// Browsing the case library on a known fixture (its own taxonomy, six published cases and three
// unpublished ones, no curated content): facets (OR within, AND across, counts that leave their
// own selection out), full-text search, sorts, and that unpublished cases never show.
import { beforeAll, describe, expect, it } from 'vitest'
import { db, dialectOf, writeTransaction } from '../../db/client'
import type { Role } from '../../db/schema'
import type { CaseContent } from '../../app/lib/case-fields'
import { contentToCaseForm, emptyCaseForm } from '../../app/lib/case-form'
import { type CaseFacetKey, type CaseFilters, readCaseFilters } from '../../app/lib/case-query'
import { browseCases, type CaseBrowse } from '../../app/models/case-browse.server'
import { MARK_END, MARK_START } from '../../app/lib/fts'
import { textQuery } from '../../app/models/full-text.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { toggleCaseReaction } from '../../app/models/case-reactions.server'
import { type Viewer } from '../../app/models/case-reading.server'
import { returnCase, saveCaseDraft, submitCase } from '../../app/models/case-submission.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { must } from '../helpers/model-fixtures'

// ---------------------------------------------------------------------------------------------
// The fixture

const TERMS: Record<Facet, string[]> = {
  'failure-mode': ['alpha', 'beta', 'gamma'],
  phase: ['plan', 'build', 'run'],
  level: ['federal', 'state', 'local'],
  domain: ['tax', 'health'],
  outcome: ['win', 'loss'],
}

interface FixtureCase {
  key: string
  level: string
  domain: string
  outcome: string
  /** Primary first. */
  modes: string[]
  phases: string[]
  publishedAt: string
  text?: Partial<CaseContent>
}

/**
 * | case | level   | domain | outcome | modes (primary first) | phases      |
 * | c1   | federal | tax    | loss    | alpha, beta           | plan, build |
 * | c2   | state   | health | win     | beta                  | build       |
 * | c3   | local   | tax    | win     | gamma, alpha          | run         |
 * | c4   | state   | tax    | loss    | alpha                 | plan, run   |
 * | c5   | federal | health | loss    | gamma, beta           | build       |
 * | c6   | local   | health | win     | beta, gamma           | plan        |
 */
const PUBLISHED: FixtureCase[] = [
  {
    key: 'c1',
    level: 'federal',
    domain: 'tax',
    outcome: 'loss',
    modes: ['alpha', 'beta'],
    phases: ['plan', 'build'],
    publishedAt: '2020-01-01T00:00:00.000Z',
    text: { whatHappened: 'The quokka dashboard went dark during the cutover weekend.' },
  },
  {
    key: 'c2',
    level: 'state',
    domain: 'health',
    outcome: 'win',
    modes: ['beta'],
    phases: ['build'],
    publishedAt: '2020-02-01T00:00:00.000Z',
    text: { lessons: ['Budget for pangolin reviews before each release.'] },
  },
  {
    key: 'c3',
    level: 'local',
    domain: 'tax',
    outcome: 'win',
    modes: ['gamma', 'alpha'],
    phases: ['run'],
    publishedAt: '2020-03-01T00:00:00.000Z',
    text: { sources: [{ title: 'Review of the county rollout', publisher: 'Axolotl Audit Office', date: '2021' }] },
  },
  {
    key: 'c4',
    level: 'state',
    domain: 'tax',
    outcome: 'loss',
    modes: ['alpha'],
    phases: ['plan', 'run'],
    publishedAt: '2020-04-01T00:00:00.000Z',
    text: { title: 'Narwhal payroll cutover without a parallel run' },
  },
  {
    key: 'c5',
    level: 'federal',
    domain: 'health',
    outcome: 'loss',
    modes: ['gamma', 'beta'],
    phases: ['build'],
    publishedAt: '2020-05-01T00:00:00.000Z',
    text: {
      summary: 'A narwhal of a problem for the records office.',
      whatHappened: 'The narwhal interface failed. Every narwhal batch was retried, and the narwhal queue grew.',
    },
  },
  {
    key: 'c6',
    level: 'local',
    domain: 'health',
    outcome: 'win',
    modes: ['beta', 'gamma'],
    phases: ['plan'],
    publishedAt: '2020-06-01T00:00:00.000Z',
  },
]

function content(c: Pick<FixtureCase, 'key' | 'level' | 'domain' | 'outcome' | 'modes' | 'phases' | 'text'>): CaseContent {
  const [primary, ...contributing] = c.modes
  return {
    title: `Fixture case ${c.key} about a delivery program`,
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
    ...c.text,
  }
}

const slugOf: Record<string, string> = {}
let editorId = 0
let counter = 0

async function newMember(role: Role = 'member'): Promise<Viewer> {
  const n = ++counter
  const { userId } = await createOrPromoteAccount({ email: `browse-${n}@browse.example.gov`, role, handle: `browse-${n}` })
  return { id: userId, role }
}


// Unpublished cases: the same facet values as published ones, and a word only they contain.
const HIDDEN_WORD = 'zebracorn'
const unpublishedSlugs: string[] = []

beforeAll(async () => {
  for (const [facet, slugs] of Object.entries(TERMS) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm(
        { facet, slug, name: `${facet} ${slug}`, description: `The ${slug} ${facet}.`, warningSigns: [], prevention: [], position: index + 1 },
        `${facet}-${slug}`,
      )
    }
  }
  editorId = (await newMember()).id
  await writeTransaction(async (trx) => {
    for (const c of PUBLISHED) {
      slugOf[c.key] = `fixture-${c.key}`
      await upsertCuratedCase(trx, {
        key: `test/${c.key}`,
        hash: c.key,
        slug: slugOf[c.key],
        authorId: editorId,
        publishedAt: c.publishedAt,
        content: content(c),
      })
    }
  })

  const author = await newMember()
  const moderator = await newMember('moderator')
  const hidden = (key: string, overrides: Partial<FixtureCase> = {}) =>
    content({
      key,
      level: 'state',
      domain: 'tax',
      outcome: 'loss',
      modes: ['alpha', 'beta', 'gamma'],
      phases: ['plan', 'build', 'run'],
      text: { title: `The ${HIDDEN_WORD} ${key} case, not yet published`, whatHappened: `A ${HIDDEN_WORD} went missing.` },
      ...overrides,
    })
  // A draft (its form only), a submitted case and a returned one (both with failure modes and phases).
  const draft = must(await saveCaseDraft(author, null, contentToCaseForm(hidden('draft'))))
  const submittedContent = hidden('submitted')
  const submitted = must(await submitCase(author, null, contentToCaseForm(submittedContent), submittedContent))
  const returnedContent = hidden('returned')
  const returned = must(await submitCase(author, null, contentToCaseForm(returnedContent), returnedContent))
  must(await returnCase(moderator, returned.id, 'Please add sources.'))
  const rows = await db.selectFrom('cases').select(['slug', 'status']).where('id', 'in', [draft.id, submitted.id, returned.id]).execute()
  expect(rows.map((r) => r.status).sort()).toEqual(['draft', 'returned', 'submitted'])
  unpublishedSlugs.push(...rows.map((r) => r.slug))

  // "We've seen this too": c2 three times, c5 twice, c1 once.
  const readers = [await newMember(), await newMember(), await newMember()]
  const caseId = async (key: string) =>
    (await db.selectFrom('cases').select('id').where('slug', '=', slugOf[key]).executeTakeFirstOrThrow()).id
  for (const [key, times] of [['c2', 3], ['c5', 2], ['c1', 1]] as const) {
    for (const reader of readers.slice(0, times)) must(await toggleCaseReaction(reader, await caseId(key), 'seen'))
  }
})

// ---------------------------------------------------------------------------------------------
// Helpers

function filters(overrides: Partial<CaseFilters> = {}): CaseFilters {
  return { q: '', mode: [], avoided: [], phase: [], level: [], domain: [], outcome: [], sort: 'newest', page: 1, ...overrides }
}

const keysOf = (result: CaseBrowse) => result.cases.map((c) => PUBLISHED.find((p) => slugOf[p.key] === c.slug)?.key ?? c.slug)

const FACET_OF_KEY: Record<CaseFacetKey, (c: FixtureCase) => string[]> = {
  mode: (c) => c.modes,
  avoided: () => [],
  phase: (c) => c.phases,
  level: (c) => [c.level],
  domain: (c) => [c.domain],
  outcome: (c) => [c.outcome],
}
const FACET_KEYS = Object.keys(FACET_OF_KEY) as CaseFacetKey[]

/** The fixture's answer, worked out without SQL: AND across facets, OR within one. */
function expected(f: CaseFilters, leaveOut?: CaseFacetKey): FixtureCase[] {
  return PUBLISHED.filter((c) =>
    FACET_KEYS.every((key) => key === leaveOut || !f[key].length || FACET_OF_KEY[key](c).some((v) => f[key].includes(v))),
  )
}

function expectedCounts(f: CaseFilters): Record<CaseFacetKey, Record<string, number>> {
  const counts = {} as Record<CaseFacetKey, Record<string, number>>
  for (const key of FACET_KEYS) {
    counts[key] = {}
    for (const c of expected(f, key)) for (const value of FACET_OF_KEY[key](c)) counts[key][value] = (counts[key][value] ?? 0) + 1
  }
  return counts
}

const newestFirst = (cases: FixtureCase[]) => [...cases].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).map((c) => c.key)

// ---------------------------------------------------------------------------------------------

describe('facets', () => {
  it('lists every published case, newest first, with counts for each facet value', async () => {
    const result = await browseCases(filters())
    expect(result.total).toBe(6)
    expect(keysOf(result)).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1'])
    expect(result.counts).toEqual({
      avoided: {},
      mode: { alpha: 3, beta: 4, gamma: 3 },
      phase: { plan: 3, build: 3, run: 2 },
      level: { federal: 2, state: 2, local: 2 },
      domain: { tax: 3, health: 3 },
      outcome: { win: 3, loss: 3 },
    })
  })

  it('gives each card its primary failure mode and facet values', async () => {
    const result = await browseCases(filters({ level: ['local'], domain: ['tax'] }))
    expect(result.cases).toHaveLength(1)
    expect(result.cases[0]).toMatchObject({
      slug: slugOf.c3,
      level: 'local',
      domain: 'tax',
      outcome: 'win',
      snippet: null,
      primaryMode: { slug: 'gamma', name: 'failure-mode gamma' },
      publishedAt: '2020-03-01T00:00:00.000Z',
    })
  })

  it('ORs values within a facet', async () => {
    expect(keysOf(await browseCases(filters({ mode: ['alpha'] })))).toEqual(['c4', 'c3', 'c1'])
    expect(keysOf(await browseCases(filters({ mode: ['alpha', 'gamma'] })))).toEqual(['c6', 'c5', 'c4', 'c3', 'c1'])
    expect(keysOf(await browseCases(filters({ phase: ['run', 'build'] })))).toEqual(['c5', 'c4', 'c3', 'c2', 'c1'])
    expect(keysOf(await browseCases(filters({ level: ['federal', 'local'] })))).toEqual(['c6', 'c5', 'c3', 'c1'])
    expect(keysOf(await browseCases(filters({ outcome: ['win', 'loss'] })))).toHaveLength(6)
  })

  it('ANDs across facets', async () => {
    expect(keysOf(await browseCases(filters({ mode: ['alpha'], level: ['state'] })))).toEqual(['c4'])
    expect(keysOf(await browseCases(filters({ mode: ['beta'], domain: ['health'], outcome: ['loss'] })))).toEqual(['c5'])
    expect(keysOf(await browseCases(filters({ phase: ['plan'], outcome: ['win'] })))).toEqual(['c6'])
    const none = await browseCases(filters({ mode: ['alpha'], domain: ['health'] }))
    expect(none).toMatchObject({ total: 0, cases: [], page: 1, pageCount: 1 })
  })

  it("counts each facet with the other filters applied and its own left out (mode=alpha, level=state)", async () => {
    const result = await browseCases(filters({ mode: ['alpha'], level: ['state'] }))
    expect(result.total).toBe(1)
    expect(result.counts).toEqual({
      avoided: {},
      // level=state only: c2 (beta) and c4 (alpha)
      mode: { alpha: 1, beta: 1 },
      // mode=alpha only: c1 (federal), c3 (local), c4 (state)
      level: { federal: 1, state: 1, local: 1 },
      // both: c4
      phase: { plan: 1, run: 1 },
      domain: { tax: 1 },
      outcome: { loss: 1 },
    })
  })

  it('counts each facet with the other filters applied (mode=beta|gamma, outcome=win, phase=plan)', async () => {
    const result = await browseCases(filters({ mode: ['beta', 'gamma'], outcome: ['win'], phase: ['plan'] }))
    expect(keysOf(result)).toEqual(['c6'])
    expect(result.counts).toEqual({
      avoided: {},
      // outcome=win, phase=plan: c6
      mode: { beta: 1, gamma: 1 },
      // mode=beta|gamma, outcome=win: c2, c3, c6
      phase: { build: 1, run: 1, plan: 1 },
      // mode=beta|gamma, phase=plan: c1 (loss), c6 (win)
      outcome: { loss: 1, win: 1 },
      level: { local: 1 },
      domain: { health: 1 },
    })
  })

  it('matches a model of the fixture for every pair of single-value filters', async () => {
    const values = FACET_KEYS.flatMap((key) => TERMS[({ mode: 'failure-mode', avoided: 'failure-mode', phase: 'phase', level: 'level', domain: 'domain', outcome: 'outcome' } as const)[key]].map((v) => [key, v] as const))
    for (const [i, [keyA, valueA]] of values.entries()) {
      for (const [keyB, valueB] of values.slice(i)) {
        const f = filters({ [keyA]: [valueA] })
        f[keyB] = [...new Set([...f[keyB], valueB])]
        const result = await browseCases(f)
        const label = `${keyA}=${valueA} & ${keyB}=${valueB}`
        expect(keysOf(result), label).toEqual(newestFirst(expected(f)))
        expect(result.total, label).toBe(expected(f).length)
        expect(result.counts, label).toEqual(expectedCounts(f))
      }
    }
  })

  it('ignores a facet value no case has, without failing', async () => {
    const result = await browseCases(filters({ level: ['no-such-level'] }))
    expect(result.total).toBe(0)
    // The level facet leaves its own selection out, so its counts are those of the whole library.
    expect(result.counts.level).toEqual({ federal: 2, state: 2, local: 2 })
    expect(result.counts.mode).toEqual({})
  })
})

describe('full-text search', () => {
  it('finds a word in the narrative, with the hit marked in the snippet', async () => {
    const result = await browseCases(filters({ q: 'quokka', sort: 'relevance' }))
    expect(keysOf(result)).toEqual(['c1'])
    expect(result.cases[0].snippet).toContain(`${MARK_START}quokka${MARK_END}`)
  })

  it('finds a word in a lesson', async () => {
    const result = await browseCases(filters({ q: 'pangolin', sort: 'relevance' }))
    expect(keysOf(result)).toEqual(['c2'])
    expect(result.cases[0].snippet).toContain(`${MARK_START}pangolin${MARK_END}`)
  })

  it('finds a word in a source publisher', async () => {
    const result = await browseCases(filters({ q: 'axolotl', sort: 'relevance' }))
    expect(keysOf(result)).toEqual(['c3'])
    expect(result.cases[0].snippet).toContain(`${MARK_START}Axolotl${MARK_END}`)
  })

  it('matches case-insensitively, by prefix, and needs every word', async () => {
    expect(keysOf(await browseCases(filters({ q: 'QUOKKA', sort: 'relevance' })))).toEqual(['c1'])
    expect(keysOf(await browseCases(filters({ q: 'quok', sort: 'relevance' })))).toEqual(['c1'])
    expect(keysOf(await browseCases(filters({ q: 'quokka pangolin', sort: 'relevance' })))).toEqual([])
  })

  it('puts a title match first when sorting by relevance, and newest first otherwise', async () => {
    const relevance = await browseCases(filters({ q: 'narwhal', sort: 'relevance' }))
    expect(keysOf(relevance)).toEqual(['c4', 'c5'])
    for (const card of relevance.cases) expect(card.snippet).toMatch(new RegExp(`${MARK_START}narwhal${MARK_END}`, 'i'))
    const newest = await browseCases(filters({ q: 'narwhal', sort: 'newest' }))
    expect(keysOf(newest)).toEqual(['c5', 'c4'])
  })

  it('combines search with facets, and counts facets within the search', async () => {
    const result = await browseCases(filters({ q: 'narwhal', level: ['federal'], sort: 'relevance' }))
    expect(keysOf(result)).toEqual(['c5'])
    expect(result.counts.level).toEqual({ state: 1, federal: 1 })
    expect(result.counts.mode).toEqual({ gamma: 1, beta: 1 })
    expect(result.counts.outcome).toEqual({ loss: 1 })
  })

  const ODD = [
    '"',
    '"quokka',
    'quokka"',
    '""""',
    "'; drop table cases; --",
    'NEAR',
    'NEAR(quokka pangolin)',
    'quokka NEAR/2 pangolin',
    'quokka AND',
    'AND OR NOT',
    'OR',
    '*',
    'quok*',
    '^quokka',
    'title:quokka',
    '{title summary}: quokka',
    '(quokka',
    'quokka)',
    '-quokka',
    '+',
    '🦘🐨',
    'quokka 🦘',
    '!!!???...,,,;;;:::',
    '\u0000\u0001\u0002\u0003',
    ' \t\n ',
    'é',
    'ﬁ ² Ⅷ',
    'x'.repeat(10_000),
    'word '.repeat(2_000),
    Array.from({ length: 500 }, (_, i) => `"w${i}" OR NEAR(`).join(' '),
  ]

  it.each(ODD.map((q) => [q.length > 40 ? `${q.slice(0, 40)}… (${q.length} characters)` : JSON.stringify(q), q]))(
    'never throws on %s',
    async (_, q) => {
      for (const sort of ['relevance', 'newest', 'seen'] as const) {
        const result = await browseCases(filters({ q, sort }))
        expect(result.total).toBeGreaterThanOrEqual(0)
        expect(result.cases.length).toBe(Math.min(result.total, 20))
      }
    },
  )

  it('treats FTS operators and quotes as plain words', async () => {
    expect(keysOf(await browseCases(filters({ q: '"quokka"', sort: 'relevance' })))).toEqual(['c1'])
    expect(keysOf(await browseCases(filters({ q: 'quokka*', sort: 'relevance' })))).toEqual(['c1'])
    expect(keysOf(await browseCases(filters({ q: '(quokka)', sort: 'relevance' })))).toEqual(['c1'])
    // "OR" is a required word, not an operator: no case has both quokka and pangolin.
    expect(keysOf(await browseCases(filters({ q: 'quokka OR pangolin', sort: 'relevance' })))).toEqual([])
  })

  it('treats a query with no words (only punctuation or emoji) as no search', async () => {
    for (const q of ['!!!???', '🦘🐨', '*', '"']) {
      const result = await browseCases(filters({ q, sort: 'relevance' }))
      expect(result.total, q).toBe(6)
      expect(keysOf(result), q).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1'])
      expect(result.cases.every((c) => c.snippet === null), q).toBe(true)
    }
  })

  it('builds queries of quoted terms, prefixes from a length, in the words of the database in use', () => {
    if (dialectOf() === 'postgres') {
      expect(textQuery('payroll NEAR "go-live"*', { prefixFrom: 1 })).toBe("'payroll':* & 'NEAR':* & 'go':* & 'live':*")
      expect(textQuery('payroll NEAR "go-live"*')).toBe("'payroll':* & 'NEAR':* & 'go' & 'live':*")
      expect(textQuery('the cutover')).toBe("'the' & 'cutover':*")
    } else {
      expect(textQuery('payroll NEAR "go-live"*', { prefixFrom: 1 })).toBe('"payroll"* "NEAR"* "go"* "live"*')
      expect(textQuery('payroll NEAR "go-live"*')).toBe('"payroll"* "NEAR"* "go" "live"*')
      expect(textQuery('the cutover')).toBe('"the" "cutover"*')
    }
    expect(textQuery('!!!')).toBeNull()
    expect(textQuery('')).toBeNull()
  })
})

describe('sorting', () => {
  it('sorts by newest', async () => {
    expect(keysOf(await browseCases(filters({ sort: 'newest' })))).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1'])
  })

  it('sorts by "seen this too", then newest', async () => {
    const result = await browseCases(filters({ sort: 'seen' }))
    expect(keysOf(result)).toEqual(['c2', 'c5', 'c1', 'c6', 'c4', 'c3'])
    expect(result.cases.map((c) => c.seenCount)).toEqual([3, 2, 1, 0, 0, 0])
  })

  it('falls back to newest for relevance without a search', async () => {
    expect(keysOf(await browseCases(filters({ sort: 'relevance' })))).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1'])
  })

  it('reads filters from the URL, defaulting to relevance only when searching', () => {
    const read = (query: string) => readCaseFilters(new URL(`http://x/cases?${query}`))
    expect(read('')).toEqual(filters())
    expect(read('q=quokka').sort).toBe('relevance')
    expect(read('q=quokka&sort=seen').sort).toBe('seen')
    expect(read('sort=bogus').sort).toBe('newest')
    expect(read('mode=alpha&mode=beta&mode=alpha&mode=Not%20A%20Slug&level=state')).toMatchObject({ mode: ['alpha', 'beta'], level: ['state'] })
    for (const page of ['0', '-3', 'abc', '1.5', '1e400']) expect(read(`page=${page}`).page, page).toBe(1)
    expect(read('page=7').page).toBe(7)
    expect(read(`q=${'a'.repeat(1000)}`).q).toHaveLength(200)
  })
})

describe('unpublished cases', () => {
  it('never appear in results', async () => {
    const all = await browseCases(filters())
    expect(all.total).toBe(6)
    for (const slug of unpublishedSlugs) expect(all.cases.map((c) => c.slug)).not.toContain(slug)
    // Filters their facet values share: still only the published ones.
    const sameFacets = await browseCases(filters({ level: ['state'], domain: ['tax'], outcome: ['loss'], mode: ['gamma'] }))
    expect(sameFacets.total).toBe(0)
  })

  it('never appear in search', async () => {
    for (const sort of ['relevance', 'newest'] as const) {
      const result = await browseCases(filters({ q: HIDDEN_WORD, sort }))
      expect(result.total).toBe(0)
      expect(result.cases).toEqual([])
    }
    const rows = await db
      .selectFrom('cases_fts')
      .innerJoin('cases', 'cases.id', 'cases_fts.rowid')
      .select('cases.status')
      .execute()
    expect(rows).toHaveLength(6)
    expect(rows.every((r) => r.status === 'published')).toBe(true)
  })

  it('never count in facets', async () => {
    // Each unpublished case is level=state, domain=tax, outcome=loss with every mode and phase.
    const result = await browseCases(filters({ level: ['state'] }))
    expect(result.counts.mode).toEqual({ alpha: 1, beta: 1 })
    expect(result.counts.phase).toEqual({ plan: 1, build: 1, run: 1 })
    expect(result.counts.domain).toEqual({ tax: 1, health: 1 })
    expect(result.counts.outcome).toEqual({ loss: 1, win: 1 })
    expect(result.counts.level).toEqual({ federal: 2, state: 2, local: 2 })
  })

  it('a saved draft with an empty form is no exception', async () => {
    const author = await newMember()
    must(await saveCaseDraft(author, null, emptyCaseForm()))
    expect((await browseCases(filters())).total).toBe(6)
  })
})
