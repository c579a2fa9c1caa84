// Browsing the case library at size: pages of 20 (a page past the end clamps), the same small
// number of queries for 3 cases as for 60, and query plans that reach cases through an index.
import { type CompiledQuery, sql } from 'kysely'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { countQueries, db, writeTransaction } from '../../db/client'
import type { CaseContent } from '../../app/lib/case-fields'
import { browseCases, CASES_PER_PAGE, type CaseFilters } from '../../app/models/case-browse.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { createOrPromoteAccount } from '../../app/models/user.server'

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

const smallQueries: Record<string, number> = {}

beforeAll(async () => {
  for (const [facet, slugs] of Object.entries(TERMS) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm({ facet, slug, name: slug, description: slug, warningSigns: [], prevention: [], position: index }, `${facet}/${slug}`)
    }
  }
  authorId = (await createOrPromoteAccount({ email: 'scale@scale.example.gov', role: 'member', handle: 'scale-author' })).userId
  await publishUpTo(3)
  for (const [name, shape] of Object.entries(SHAPES)) smallQueries[name] = (await countQueries(() => browseCases(filters(shape)))).queries
  await publishUpTo(60)
})

describe('bounded queries', () => {
  it.each(Object.keys(SHAPES))('runs the same small number of queries for 3 cases as for 60 (%s)', async (name) => {
    const { queries, result } = await countQueries(() => browseCases(filters(SHAPES[name])))
    expect(result.total).toBeGreaterThan(0)
    expect(queries).toBe(smallQueries[name])
    expect(queries).toBeLessThanOrEqual(8)
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
  /** The SQL browseCases runs for `f`, captured on its way to the database. */
  async function queriesOf(f: CaseFilters): Promise<CompiledQuery[]> {
    const executor = db.getExecutor()
    const captured: CompiledQuery[] = []
    const spy = vi.spyOn(db, 'getExecutor').mockImplementation(
      () =>
        new Proxy(executor, {
          get(target, property) {
            if (property === 'executeQuery') {
              return (query: CompiledQuery, ...rest: unknown[]) => {
                captured.push(query)
                return (target.executeQuery as (...args: unknown[]) => unknown)(query, ...rest)
              }
            }
            const value = Reflect.get(target, property)
            return typeof value === 'function' ? value.bind(target) : value
          },
        }) as typeof executor,
    )
    try {
      await browseCases(f)
    } finally {
      spy.mockRestore()
    }
    return captured
  }

  async function planOf(query: CompiledQuery): Promise<string[]> {
    const result = await db.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` } as CompiledQuery)
    return result.rows.map((row) => row.detail)
  }

  const SCAN_OF_CASES = /^SCAN (c|cases)\b(?! USING (COVERING )?INDEX)/
  const SEARCH_OF_CASES = /^(SEARCH|SCAN) (c|cases) USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY)/

  it.each([
    ['a level filter', filters({ level: ['state'] })],
    ['a failure-mode filter', filters({ mode: ['alpha'] })],
    ['a level and a failure-mode filter', filters({ level: ['state'], mode: ['alpha'] })],
    ['a domain and an outcome filter', filters({ domain: ['tax'], outcome: ['win'] })],
  ])('reads cases through an index for %s, in the count queries and the page', async (_, f) => {
    const queries = await queriesOf(f)
    const counts = queries.filter((q) => /count\(/i.test(q.sql))
    // The total, one count per facet (six), and the page, which counts each card's avoided modes.
    expect(counts).toHaveLength(8)
    expect(queries.length).toBe(counts.length)
    for (const query of queries) {
      const plan = await planOf(query)
      const context = `${query.sql}\n${plan.join('\n')}`
      expect(plan.filter((detail) => SCAN_OF_CASES.test(detail)), context).toEqual([])
      expect(plan.some((detail) => SEARCH_OF_CASES.test(detail)), context).toBe(true)
    }
  })

  it('uses the level index for the total of a level filter', async () => {
    const [total] = (await queriesOf(filters({ level: ['state'] }))).filter((q) => /count\(\*\)/i.test(q.sql))
    expect((await planOf(total)).join('\n')).toMatch(/SEARCH c USING (COVERING )?INDEX cases_level/)
  })

  it('reaches cases through the failure-mode index for a failure-mode filter', async () => {
    const [total] = (await queriesOf(filters({ mode: ['alpha'] }))).filter((q) => /count\(\*\)/i.test(q.sql))
    const plan = (await planOf(total)).join('\n')
    expect(plan).toMatch(/SEARCH m USING (COVERING )?INDEX case_failure_modes_term/)
    expect(plan).not.toMatch(SCAN_OF_CASES)
  })

  it('checks its own pattern: a query with no usable index is reported as a scan of cases', async () => {
    const plan = await planOf(sql`select count(*) from cases c where c.years = ${'2019'}`.compile(db))
    expect(plan.some((detail) => SCAN_OF_CASES.test(detail))).toBe(true)
  })
})
