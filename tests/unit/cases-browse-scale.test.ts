// Browsing the case library at size: pages of 20 (a page past the end clamps), a fixed number of
// queries however many cases there are, the in-memory index of published cases read again only
// after a commit that changed cases (in this process or another), and query plans that reach
// cases through an index.
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { countQueries, databasePath, db, noteChanges, openDatabase, recordQueries, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { CaseContent } from '../../app/lib/case-fields'
import type { CaseFilters } from '../../app/lib/case-query'
import { browseCases, CASES_PER_PAGE } from '../../app/models/case-browse.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { planOf, readsByPrimaryKey, tablesReadWhole } from '../helpers/query-plans'

const TERMS: Record<Facet, string[]> = {
  'failure-mode': ['alpha', 'beta', 'gamma', 'delta'],
  phase: ['plan', 'build', 'run'],
  level: ['federal', 'state', 'local'],
  domain: ['tax', 'health'],
  outcome: ['win', 'loss'],
}

let authorId = 0
let made = 0

/** Case number n: facet values cycle, so every filter matches some of them; all mention "ledger". */
function content(n: number): CaseContent {
  const modes = TERMS['failure-mode']
  return {
    title: `Scale case number ${n} on the ledger`,
    summary: `Summary ${n}: the ledger program.`,
    level: TERMS.level[n % 3],
    domain: TERMS.domain[n % 2],
    outcome: TERMS.outcome[Math.floor(n / 2) % 2],
    jurisdiction: 'A state agency',
    budgetBand: 'unknown',
    contractModel: 'Time and materials',
    years: '2019',
    outcomeDetail: 'Late.',
    whatHappened: `The ledger migration of case ${n} slipped.`,
    primaryFailureMode: { slug: modes[n % 4], how: 'It showed.' },
    contributingFailureModes: [{ slug: modes[(n + 1) % 4], how: 'It helped.' }],
    phases: [TERMS.phase[n % 3]],
    rootCauses: ['Cause'],
    lessons: ['Lesson'],
    recommendations: ['Recommendation'],
    correctiveActions: [],
    sources: [],
    firstHand: false,
    isAnonymous: false,
  }
}

/** Publishes cases until there are `total`, one day apart (case n on day n). */
async function publishUpTo(total: number) {
  await writeTransaction(async (trx) => {
    for (; made < total; ) {
      const n = ++made
      await upsertCuratedCase(trx, {
        key: `scale/${n}`,
        hash: String(n),
        slug: `scale-${n}`,
        authorId,
        publishedAt: new Date(Date.UTC(2021, 0, n)).toISOString(),
        content: content(n),
      })
    }
  })
}

function filters(overrides: Partial<CaseFilters> = {}): CaseFilters {
  return { q: '', mode: [], avoided: [], phase: [], level: [], domain: [], outcome: [], sort: 'newest', page: 1, ...overrides }
}

const SHAPES: Record<string, Partial<CaseFilters>> = {
  'no filter': {},
  'a search': { q: 'ledger migration', sort: 'relevance' },
  'every facet': { mode: ['alpha', 'beta'], phase: ['build', 'run'], level: ['state'], domain: ['tax'], outcome: ['win', 'loss'] },
  'every facet and a search': { q: 'ledger', mode: ['alpha'], phase: ['run'], level: ['local', 'federal'], domain: ['health'], outcome: ['loss'] },
  'sorted by seen, page 2': { sort: 'seen', page: 2 },
}

beforeAll(async () => {
  for (const [facet, slugs] of Object.entries(TERMS) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm({ facet, slug, name: slug, description: slug, warningSigns: [], prevention: [], position: index }, `${facet}/${slug}`)
    }
  }
  authorId = (await createOrPromoteAccount({ email: 'scale@scale.example.gov', role: 'member', handle: 'scale-author' })).userId
  await publishUpTo(60)
})

/** A commit that notes `cases` and changes nothing a browse shows (as a reaction would). */
const touchCases = () =>
  writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    await trx.updateTable('cases').set({ seen_count: sql<number>`seen_count` }).where('slug', '=', 'scale-1').execute()
  })

describe('bounded queries', () => {
  it.each(Object.keys(SHAPES))('runs one query for the cards, and one more for words, over 60 cases (%s)', async (name) => {
    await browseCases(filters())
    const { queries, result } = await countQueries(() => browseCases(filters(SHAPES[name])))
    expect(result.total).toBeGreaterThan(0)
    expect(result.cases.length).toBeGreaterThan(0)
    expect(queries).toBe(SHAPES[name].q ? 2 : 1)
  })
})

describe('the index of published cases', () => {
  it('is read again (one transaction of three queries) only after a commit that noted cases', async () => {
    await browseCases(filters())
    expect((await countQueries(() => browseCases(filters()))).queries).toBe(1)
    await writeTransaction(async (trx) => {
      noteChanges(trx, [pageTags.events])
      await trx.updateTable('users').set({ display_name: 'Scale Author' }).where('id', '=', authorId).execute()
    })
    expect((await countQueries(() => browseCases(filters()))).queries).toBe(1)
    await touchCases()
    const { queries } = await recordQueries(() => browseCases(filters()))
    expect(queries.map((q) => q.sql.trim().split(/\s+/)[0].toLowerCase())).toEqual(['begin', 'select', 'select', 'select', 'commit', 'select'])
  })

  it('shows what another process published or withdrew at the next browse, with its counts', async () => {
    const before = await browseCases(filters({ level: ['state'] }))
    // state: n % 3 === 1.
    expect(before.total).toBe(20)
    const other = openDatabase(databasePath())
    try {
      await writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.cases])
        await trx.updateTable('cases').set({ status: 'draft' }).where('slug', '=', 'scale-4').execute()
      }, other)
      const after = await browseCases(filters({ level: ['state'] }))
      expect(after.total).toBe(19)
      expect(after.cases.map((c) => c.slug)).not.toContain('scale-4')
      expect(after.counts.level.state).toBe(19)
      expect(after.counts.domain).toEqual({ tax: before.counts.domain.tax - 1, health: before.counts.domain.health })
      await writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.cases])
        await trx.updateTable('cases').set({ status: 'published' }).where('slug', '=', 'scale-4').execute()
      }, other)
      expect((await browseCases(filters({ level: ['state'] }))).cases.map((c) => c.slug)).toContain('scale-4')
    } finally {
      await other.destroy()
    }
  })

  it('counts each facet value over the cases the other facets let through', async () => {
    // level=state (n % 3 === 1) and domain=tax (n even): n % 6 === 4, 10 of the 60.
    const result = await browseCases(filters({ level: ['state'], domain: ['tax'] }))
    expect(result.total).toBe(10)
    // Level ignores its own selection: tax cases at every level (30 even n, 10 per level).
    expect(result.counts.level).toEqual({ federal: 10, state: 10, local: 10 })
    // Domain ignores its own: state cases in either domain (20 in all).
    expect(result.counts.domain).toEqual({ tax: 10, health: 10 })
    // Phase is not selected: the ten matching cases, by their phase (n % 3 === 1 gives "build").
    expect(result.counts.phase).toEqual({ build: 10 })
  })
})

describe('pages of 20', () => {
  it('splits 60 cases into three pages of 20, newest first, without overlap', async () => {
    const pages = []
    for (const page of [1, 2, 3]) {
      const result = await browseCases(filters({ page }))
      expect(result).toMatchObject({ total: 60, page, pageCount: 3 })
      expect(result.cases).toHaveLength(CASES_PER_PAGE)
      pages.push(...result.cases.map((c) => c.slug))
    }
    expect(CASES_PER_PAGE).toBe(20)
    expect(pages).toEqual(Array.from({ length: 60 }, (_, i) => `scale-${60 - i}`))
  })

  it('clamps a page past the end to the last page', async () => {
    const last = await browseCases(filters({ page: 3 }))
    for (const page of [4, 99, 1_000_000]) {
      const result = await browseCases(filters({ page }))
      expect(result.page, String(page)).toBe(3)
      expect(result.cases, String(page)).toEqual(last.cases)
    }
  })

  it('clamps a page before the start (or not a number) to the first', async () => {
    const first = await browseCases(filters({ page: 1 }))
    for (const page of [0, -5, Number.NaN, 1.7]) {
      const result = await browseCases(filters({ page }))
      expect(result.page, String(page)).toBe(1)
      expect(result.cases.map((c) => c.slug), String(page)).toEqual(first.cases.map((c) => c.slug))
    }
  })

  it('pages a filtered list, with one page when few match', async () => {
    // level=state: n % 3 === 1, so 20 of the 60.
    const state = await browseCases(filters({ level: ['state'], page: 2 }))
    expect(state).toMatchObject({ total: 20, page: 1, pageCount: 1 })
    expect(state.cases).toHaveLength(20)
    // mode=alpha|beta: primary n % 4 in {0,1} or contributing (n+1) % 4 in {0,1}: n % 4 in {0,1,3}, 45 of 60.
    const modes = await browseCases(filters({ mode: ['alpha', 'beta'], page: 3 }))
    expect(modes).toMatchObject({ total: 45, page: 3, pageCount: 3 })
    expect(modes.cases).toHaveLength(5)
  })

  it('pages an empty result as one empty page', async () => {
    const result = await browseCases(filters({ q: 'nothingmatchesthis', page: 5 }))
    expect(result).toMatchObject({ total: 0, page: 1, pageCount: 1, cases: [] })
  })
})

describe('query plans', () => {
  const CASE_TABLES = ['c', 'cases', 'm', 'p']
  const scansOfCases = (plan: string[]) => tablesReadWhole(plan).filter((table) => CASE_TABLES.includes(table))

  it.each([
    ['no filter', filters()],
    ['a level and a failure-mode filter', filters({ level: ['state'], mode: ['alpha'] })],
    ['every facet and words', filters(SHAPES['every facet and a search'])],
  ])('reads the index and the cards through indexes, never scanning cases (%s)', async (_, f) => {
    await touchCases()
    const { queries } = await recordQueries(() => browseCases(f))
    const selects = queries.filter((q) => /^\s*select\b/i.test(q.sql))
    expect(selects.length).toBe(f.q ? 5 : 4)
    for (const query of selects) {
      const plan = await planOf(query)
      expect(scansOfCases(plan), `${query.sql}\n${plan.join('\n')}`).toEqual([])
    }
    const cards = await planOf(selects.at(-1)!)
    expect(readsByPrimaryKey(cards, 'c', 'cases'), cards.join('\n')).toBe(true)
  })

  it('checks its own pattern: a query with no usable index is reported as a scan of cases', async () => {
    expect(scansOfCases(await planOf(sql`select count(*) from cases c where c.years = ${'2019'}`.compile(db)))).toEqual(['c'])
  })
})
