import { type RawBuilder, sql } from 'kysely'
import { db, dialectOf } from '../../db/client'
import { MARK_END, MARK_START, searchWords } from '../lib/fts'

/**
 * Full-text search, the one place it differs between the databases: SQLite's FTS5 tables
 * (posts_fts, threads_fts, events_fts, cases_fts) with bm25, or PostgreSQL's stored tsvector
 * columns (`search`, migrations 0003 and 0006) under GIN indexes with ts_rank. Both stem English words (Porter / Snowball), both
 * take each word as required and words of `prefixFrom` letters or more as beginnings. Ranks are
 * "lower is better" on both, as bm25 gives them.
 */
export type TextIndex = 'posts' | 'threads' | 'cases' | 'events'

/** What a reader typed as the database's query: every word quoted, so nothing in it is an operator. */
export function textQuery(text: string, { prefixFrom = 4 }: { prefixFrom?: number } = {}): string | null {
  const words = searchWords(text)
  if (!words.length) return null
  // Short prefixes stay exact: over a million posts, "the*" expands to every word beginning so.
  if (postgres()) return words.map((word) => `'${word}'${word.length >= prefixFrom ? ':*' : ''}`).join(' & ')
  return words.map((word) => `"${word}"${word.length >= prefixFrom ? '*' : ''}`).join(' ')
}

const postgres = () => dialectOf(db) === 'postgres'

// How much a hit in each index weighs: titles more than bodies, a case's title and summary more
// than its story. bm25's column weights on SQLite, tsvector weights (A, B, C) on PostgreSQL.
const BM25: Record<TextIndex, string> = {
  posts: 'bm25(posts_fts)',
  threads: 'bm25(threads_fts) * 2',
  cases: 'bm25(cases_fts, 10.0, 5.0, 1.0)',
  events: 'bm25(events_fts, 5.0, 1.0)',
}
const TS_RANK_WEIGHT: Record<TextIndex, number> = { posts: 1, threads: 2, cases: 1, events: 1 }

/** The table holding each index's words (in its `search` column) on PostgreSQL, and its id column. */
const WORDS_ON_POSTGRES: Record<TextIndex, { table: string; id: string }> = {
  posts: { table: 'posts', id: 'id' },
  threads: { table: 'threads', id: 'id' },
  events: { table: 'events', id: 'id' },
  cases: { table: 'cases_fts', id: 'rowid' },
}

/**
 * The rows of `index` matching `query`, as (id, rank): all of them, or the `newest` by id.
 * `ranked: false` gives every rank 0, for counting without scoring.
 */
export function textMatches(index: TextIndex, query: string, { ranked = true, newest }: { ranked?: boolean; newest?: number } = {}): RawBuilder<{ id: number; rank: number }> {
  const limit = newest === undefined ? sql`` : sql`order by id desc limit ${newest}`
  if (postgres()) {
    const { table, id } = WORDS_ON_POSTGRES[index]
    const tsquery = sql`to_tsquery('english', ${query})`
    const rank = ranked ? sql`-ts_rank(search, ${tsquery}) * ${TS_RANK_WEIGHT[index]}` : sql`0`
    return sql`select ${sql.raw(id)} as id, ${rank} as rank from ${sql.raw(table)} where search @@ ${tsquery} ${limit}`
  }
  const fts = sql.raw(`${index}_fts`)
  return sql`select rowid as id, ${ranked ? sql.raw(BM25[index]) : sql`0`} as rank from ${fts} where ${fts} match ${query} ${limit}`
}

/**
 * For the case cards of a search: a join keeping only cases matching `query` and a column
 * `snippet`, about 24 words around the hits, marked between MARK_START and MARK_END.
 */
export function caseSnippet(query: string): { join: RawBuilder<unknown>; snippet: RawBuilder<string> } {
  if (postgres()) {
    const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter=…`
    return {
      join: sql`join cases_fts on cases_fts.rowid = c.id and cases_fts.search @@ to_tsquery('english', ${query})`,
      snippet: sql<string>`ts_headline('english', cases_fts.title || '. ' || cases_fts.summary || ' ' || cases_fts.body, to_tsquery('english', ${query}), ${options})`,
    }
  }
  return {
    join: sql`join cases_fts on cases_fts.rowid = c.id and cases_fts match ${query}`,
    snippet: sql<string>`snippet(cases_fts, -1, ${MARK_START}, ${MARK_END}, '…', 24)`,
  }
}
