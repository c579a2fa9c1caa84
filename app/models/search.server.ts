import { type RawBuilder, sql } from 'kysely'
import { db } from '../../db/client'
import { postPath, threadPath } from '../lib/discussion-paths'
import { ftsQuery, MARK_END, MARK_START } from '../lib/fts'
import { COUNT_CAP, RESULTS_PER_PAGE, SEARCH_TYPES, type SearchType } from '../lib/search-types'
import { formatInZone } from '../lib/time-zones'

export interface SearchHit {
  type: SearchType
  key: string
  url: string
  /** Title and snippet carry hits between MARK_START and MARK_END. */
  title: string
  snippet: string
  context: string
  rank: number
}

export interface SearchResults {
  counts: Record<SearchType, number>
  hits: SearchHit[]
  pageCount: number
}

const EMPTY: SearchResults = { counts: { discussions: 0, cases: 0, events: 0 }, hits: [], pageCount: 0 }

/**
 * One query per searchable type, each returning only what any reader may see: live posts in
 * live threads (never hidden or deleted ones), published cases (never drafts, submissions or
 * returned ones, and never an author), events that were announced (never drafts).
 * Every query ranks by FTS5's bm25 so the types can be merged by relevance.
 */
const HIT_QUERIES: Record<SearchType, (match: string, limit: number) => RawBuilder<SearchRow>> = {
  // A thread appears once, at its best hit: its title, or the most relevant of its posts.
  discussions: (match, limit) => sql<SearchRow>`
    select thread_id, key, number, title, snippet, context, rank from (
      select *, row_number() over (partition by thread_id order by rank) as n from (
        select t.id as thread_id, t.slug as key, 1 as number, highlight(threads_fts, 0, ${MARK_START}, ${MARK_END}) as title,
          '' as snippet, c.name as context, bm25(threads_fts) * 2 as rank
        from threads_fts join threads t on t.id = threads_fts.rowid join categories c on c.id = t.category_id
        where threads_fts match ${match} and t.deleted_at is null
        union all
        select t.id, t.slug, p.number, t.title, snippet(posts_fts, 0, ${MARK_START}, ${MARK_END}, '…', 24),
          c.name, bm25(posts_fts)
        from posts_fts join posts p on p.id = posts_fts.rowid join threads t on t.id = p.thread_id
          join categories c on c.id = t.category_id
        where posts_fts match ${match} and p.is_deleted = 0 and p.hidden_at is null and t.deleted_at is null
      )
    ) where n = 1 order by rank limit ${limit}`,
  cases: (match, limit) => sql<SearchRow>`
    select c.slug as key, highlight(cases_fts, 0, ${MARK_START}, ${MARK_END}) as title,
      snippet(cases_fts, -1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet,
      o.name as context, bm25(cases_fts, 10.0, 5.0, 1.0) as rank
    from cases_fts join cases c on c.id = cases_fts.rowid
      left join taxonomy_terms o on o.facet = 'outcome' and o.slug = c.outcome
    where cases_fts match ${match} and c.status = 'published'
    order by rank limit ${limit}`,
  events: (match, limit) => sql<SearchRow>`
    select e.id as event_id, e.slug as key, highlight(events_fts, 0, ${MARK_START}, ${MARK_END}) as title,
      snippet(events_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet,
      e.status as context, e.starts_at, e.time_zone, bm25(events_fts, 5.0, 1.0) as rank
    from events_fts join events e on e.id = events_fts.rowid
    where events_fts match ${match} and e.status in ('published', 'cancelled')
    order by rank limit ${limit}`,
}

const COUNT_QUERIES: Record<SearchType, (match: string) => RawBuilder<{ n: number }>> = {
  discussions: (match) => sql`
    select count(*) as n from (
      select t.id from threads_fts join threads t on t.id = threads_fts.rowid
      where threads_fts match ${match} and t.deleted_at is null
      union
      select p.thread_id from posts_fts join posts p on p.id = posts_fts.rowid join threads t on t.id = p.thread_id
      where posts_fts match ${match} and p.is_deleted = 0 and p.hidden_at is null and t.deleted_at is null
      limit ${COUNT_CAP}
    )`,
  cases: (match) => sql`
    select count(*) as n from (
      select 1 from cases_fts join cases c on c.id = cases_fts.rowid
      where cases_fts match ${match} and c.status = 'published' limit ${COUNT_CAP}
    )`,
  events: (match) => sql`
    select count(*) as n from (
      select 1 from events_fts join events e on e.id = events_fts.rowid
      where events_fts match ${match} and e.status in ('published', 'cancelled') limit ${COUNT_CAP}
    )`,
}

interface SearchRow {
  key?: string
  thread_id?: number
  number?: number
  event_id?: number
  starts_at?: string
  time_zone?: string
  title: string
  snippet: string
  context: string
  rank: number
}

// Snippets of Markdown sources read better without the syntax around the words.
const plain = (text: string) =>
  text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]{1,3}|^#{1,6}\s|^>\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim()

function toHit(type: SearchType, row: SearchRow): SearchHit {
  if (type === 'discussions') {
    const thread = { id: row.thread_id!, slug: row.key! }
    return {
      type,
      key: `thread-${row.thread_id}`,
      url: row.number! > 1 ? postPath(thread, row.number!) : threadPath(thread),
      title: row.title,
      snippet: plain(row.snippet),
      context: row.context,
      rank: row.rank,
    }
  }
  if (type === 'cases') {
    return {
      type,
      key: `case-${row.key}`,
      url: `/cases/${row.key}`,
      title: row.title,
      snippet: plain(row.snippet),
      context: row.context ?? '',
      rank: row.rank,
    }
  }
  const when = formatInZone(row.starts_at!, row.time_zone!)
  return {
    type,
    key: `event-${row.event_id}`,
    url: `/events/${row.event_id}/${row.key}`,
    title: row.title,
    snippet: plain(row.snippet),
    context: row.context === 'cancelled' ? `Cancelled: ${when}` : when,
    rank: row.rank,
  }
}

/**
 * Searches what a reader typed, however odd (quotes, operators, emoji, 10,000 characters):
 * `ftsQuery` turns it into quoted words, so it can match nothing but never fail.
 */
export async function search({ q, type, page }: { q: string; type: SearchType | null; page: number }): Promise<SearchResults> {
  const match = ftsQuery(q)
  if (!match) return EMPTY
  const types: readonly SearchType[] = type ? [type] : SEARCH_TYPES
  // Merging types by relevance needs each type's best `offset + page` hits.
  const limit = page * RESULTS_PER_PAGE
  const [counts, hitLists] = await Promise.all([
    Promise.all(SEARCH_TYPES.map(async (t) => Number((await COUNT_QUERIES[t](match).execute(db)).rows[0]?.n ?? 0))),
    Promise.all(types.map(async (t) => (await HIT_QUERIES[t](match, limit).execute(db)).rows.map((row) => toHit(t, row)))),
  ])
  const hits = hitLists
    .flat()
    .sort((a, b) => a.rank - b.rank)
    .slice((page - 1) * RESULTS_PER_PAGE, limit)
  const total = types.reduce((sum, t) => sum + counts[SEARCH_TYPES.indexOf(t)], 0)
  return {
    counts: { discussions: counts[0], cases: counts[1], events: counts[2] },
    hits,
    pageCount: Math.ceil(Math.min(total, COUNT_CAP) / RESULTS_PER_PAGE),
  }
}
