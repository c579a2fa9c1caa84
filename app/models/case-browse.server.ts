import { type Expression, type SqlBool, sql } from 'kysely'
import { ftsQuery, MARK_END, MARK_START } from '../lib/fts'
import { db } from '../../db/client'

export const CASES_PER_PAGE = 20
export const CASE_SORTS = ['newest', 'relevance', 'seen'] as const
export type CaseSort = (typeof CASE_SORTS)[number]

/** Facets a browse can filter by: the URL key and the taxonomy facet behind it. */
export const CASE_FACETS = {
  /** Failure modes that hurt a case. */
  mode: 'failure-mode',
  /** Failure modes a case avoided or overcame. */
  avoided: 'failure-mode',
  phase: 'phase',
  level: 'level',
  domain: 'domain',
  outcome: 'outcome',
} as const
export type CaseFacetKey = keyof typeof CASE_FACETS

export interface CaseFilters {
  q: string
  mode: string[]
  avoided: string[]
  phase: string[]
  level: string[]
  domain: string[]
  outcome: string[]
  sort: CaseSort
  page: number
}


type Condition = Expression<SqlBool>

/** One SQL condition per active facet (OR within), so a facet's counts can leave itself out. */
function facetConditions(filters: CaseFilters, match: string | null): Partial<Record<CaseFacetKey | 'q', Condition>> {
  const conditions: Partial<Record<CaseFacetKey | 'q', Condition>> = {}
  if (filters.level.length) conditions.level = sql<SqlBool>`c.level in (${sql.join(filters.level)})`
  if (filters.domain.length) conditions.domain = sql<SqlBool>`c.domain in (${sql.join(filters.domain)})`
  if (filters.outcome.length) conditions.outcome = sql<SqlBool>`c.outcome in (${sql.join(filters.outcome)})`
  if (filters.mode.length) {
    conditions.mode = sql<SqlBool>`c.id in (select m.case_id from case_failure_modes m join taxonomy_terms t on t.id = m.term_id where t.facet = 'failure-mode' and m.avoided = 0 and t.slug in (${sql.join(filters.mode)}))`
  }
  if (filters.avoided.length) {
    conditions.avoided = sql<SqlBool>`c.id in (select m.case_id from case_failure_modes m join taxonomy_terms t on t.id = m.term_id where t.facet = 'failure-mode' and m.avoided = 1 and t.slug in (${sql.join(filters.avoided)}))`
  }
  if (filters.phase.length) {
    conditions.phase = sql<SqlBool>`c.id in (select p.case_id from case_phases p join taxonomy_terms t on t.id = p.term_id where t.facet = 'phase' and t.slug in (${sql.join(filters.phase)}))`
  }
  if (match) conditions.q = sql<SqlBool>`c.id in (select rowid from cases_fts where cases_fts match ${match})`
  return conditions
}

function whereAll(conditions: Condition[]) {
  return sql.join([sql`c.status = 'published'`, ...conditions], sql` and `)
}

export interface CaseCard {
  slug: string
  title: string
  summary: string
  /** The summary with search hits between MARK_START and MARK_END, when searching. */
  snippet: string | null
  level: string
  domain: string
  outcome: string
  years: string
  seenCount: number
  helpfulCount: number
  publishedAt: string
  primaryMode: { slug: string; name: string } | null
  /** How many failure modes the case avoided or overcame. */
  avoidedCount: number
}

export interface CaseBrowse {
  cases: CaseCard[]
  total: number
  page: number
  pageCount: number
  /** For each facet, how many cases each value would give with the other filters as they are. */
  counts: Record<CaseFacetKey, Record<string, number>>
}

/**
 * Faceted browse of published cases in a fixed number of queries: the page, the total, and
 * one count query per facet (each ignoring its own selection, as faceted search does).
 */
export async function browseCases(filters: CaseFilters): Promise<CaseBrowse> {
  // A few thousand cases: every word may be a beginning ("quok" finds "quokka").
  const match = ftsQuery(filters.q, { prefixFrom: 1 })
  const conditions = facetConditions(filters, match)
  const all = Object.values(conditions)
  const except = (key: CaseFacetKey) =>
    Object.entries(conditions)
      .filter(([k]) => k !== key)
      .map(([, condition]) => condition)

  const sort = filters.sort === 'relevance' && !match ? 'newest' : filters.sort
  const order =
    sort === 'relevance'
      ? sql`bm25(cases_fts, 10.0, 5.0, 1.0), c.published_at desc`
      : sort === 'seen'
        ? sql`c.seen_count desc, c.published_at desc, c.id desc`
        : sql`c.published_at desc, c.id desc`

  const totalRow = await sql<{ n: number }>`select count(*) as n from cases c where ${whereAll(all)}`.execute(db)
  const total = Number(totalRow.rows[0]?.n ?? 0)
  const pageCount = Math.max(1, Math.ceil(total / CASES_PER_PAGE))
  const page = Math.min(Math.max(1, Math.floor(filters.page) || 1), pageCount)

  const rows = await sql<{
    slug: string
    title: string
    summary: string
    snippet: string | null
    level: string
    domain: string
    outcome: string
    years: string
    seen_count: number
    helpful_count: number
    published_at: string
    mode_slug: string | null
    mode_name: string | null
    avoided_count: number
  }>`
    select c.slug, c.title, c.summary, c.level, c.domain, c.outcome, c.years, c.seen_count, c.helpful_count,
      c.published_at, pm.slug as mode_slug, pm.name as mode_name,
      (select count(*) from case_failure_modes am where am.case_id = c.id and am.avoided = 1) as avoided_count,
      ${match ? sql`snippet(cases_fts, -1, ${MARK_START}, ${MARK_END}, '…', 24)` : sql`null`} as snippet
    from cases c
    ${match ? sql`join cases_fts on cases_fts.rowid = c.id and cases_fts match ${match}` : sql``}
    left join case_failure_modes cfm on cfm.case_id = c.id and cfm.is_primary = 1
    left join taxonomy_terms pm on pm.id = cfm.term_id
    where ${whereAll(all)}
    order by ${order}
    limit ${CASES_PER_PAGE} offset ${(page - 1) * CASES_PER_PAGE}
  `.execute(db)

  const countBy = async (key: CaseFacetKey, valueSql: ReturnType<typeof sql>, joins: ReturnType<typeof sql>) => {
    const result = await sql<{ value: string; n: number }>`
      select ${valueSql} as value, count(distinct c.id) as n from cases c ${joins}
      where ${whereAll(except(key))} group by value`.execute(db)
    return Object.fromEntries(result.rows.map((row) => [row.value, Number(row.n)]))
  }
  const viaTable = (table: 'case_failure_modes' | 'case_phases', only = sql``) =>
    sql`join ${sql.table(table)} j on j.case_id = c.id ${only} join taxonomy_terms t on t.id = j.term_id`
  const counts = {
    mode: await countBy('mode', sql`t.slug`, viaTable('case_failure_modes', sql`and j.avoided = 0`)),
    avoided: await countBy('avoided', sql`t.slug`, viaTable('case_failure_modes', sql`and j.avoided = 1`)),
    phase: await countBy('phase', sql`t.slug`, viaTable('case_phases')),
    level: await countBy('level', sql`c.level`, sql``),
    domain: await countBy('domain', sql`c.domain`, sql``),
    outcome: await countBy('outcome', sql`c.outcome`, sql``),
  }

  return {
    cases: rows.rows.map((row) => ({
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      snippet: row.snippet,
      level: row.level,
      domain: row.domain,
      outcome: row.outcome,
      years: row.years,
      seenCount: row.seen_count,
      helpfulCount: row.helpful_count,
      publishedAt: row.published_at,
      primaryMode: row.mode_slug ? { slug: row.mode_slug, name: row.mode_name! } : null,
      avoidedCount: Number(row.avoided_count),
    })),
    total,
    page,
    pageCount,
    counts,
  }
}
