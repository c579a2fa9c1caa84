import { sql } from 'kysely'
import { db } from '../../db/client'
import type { CaseFacetKey, CaseFilters } from '../lib/case-query'
import { caseIndex, matchCases } from './case-index.server'
import { caseSnippet, textMatches, textQuery } from './full-text.server'

export const CASES_PER_PAGE = 20

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
 * Faceted browse of published cases: which cases match, and every facet's counts, are worked
 * out in memory over the index of published cases (case-index.server.ts), each facet's counts
 * ignoring its own selection as faceted search does; SQLite then finds the words, when there are
 * any, and reads the page's twenty cards: two queries at most, whatever the library's size
 * (and the index's own read, after a change).
 */
export async function browseCases(filters: CaseFilters): Promise<CaseBrowse> {
  // A few thousand cases: every word may be a beginning ("quok" finds "quokka").
  const match = textQuery(filters.q, { prefixFrom: 1 })
  const index = await caseIndex()
  // Best first: better matches rank lower.
  const rankOf = match ? new Map((await textMatches('cases', match).execute(db)).rows.map((row) => [row.id, row.rank])) : null
  const sort = filters.sort === 'relevance' && !rankOf ? 'newest' : filters.sort
  const { matching, counts } = matchCases(index, sort === 'seen' ? index.mostSeen : index.newest, filters, rankOf)
  const ids = matching.map((i) => index.ids[i])
  // Equal ranks stay newest first (a stable sort).
  if (sort === 'relevance') ids.sort((a, b) => rankOf!.get(a)! - rankOf!.get(b)!)

  const total = ids.length
  const pageCount = Math.max(1, Math.ceil(total / CASES_PER_PAGE))
  const page = Math.min(Math.max(1, Math.floor(filters.page) || 1), pageCount)
  const shown = ids.slice((page - 1) * CASES_PER_PAGE, page * CASES_PER_PAGE)
  return { cases: await caseCards(shown, match), total, page, pageCount, counts }
}

/** The cards of the cases with these ids, in that order, with a snippet around the words of `match`. */
async function caseCards(ids: number[], match: string | null): Promise<CaseCard[]> {
  if (!ids.length) return []
  const found = match ? caseSnippet(match) : null
  const rows = await sql<{
    id: number
    status: string
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
    select c.id, c.status, c.slug, c.title, c.summary, c.level, c.domain, c.outcome, c.years, c.seen_count, c.helpful_count,
      c.published_at, pm.slug as mode_slug, pm.name as mode_name,
      (select count(*) from case_failure_modes am where am.case_id = c.id and am.avoided = 1) as avoided_count,
      ${found ? found.snippet : sql`null`} as snippet
    from cases c
    ${found ? found.join : sql``}
    left join case_failure_modes cfm on cfm.case_id = c.id and cfm.is_primary = 1
    left join taxonomy_terms pm on pm.id = cfm.term_id
    where c.id in (${sql.join(ids)})
  `.execute(db)
  // Unpublished since the index was read: left out.
  const byId = new Map(rows.rows.filter((row) => row.status === 'published').map((row) => [row.id, row]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    return [
      {
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
      },
    ]
  })
}
