import { type RawBuilder, sql } from 'kysely'
import { db } from '../../db/client'
import { postPath, threadPath } from '../lib/discussion-paths'
import { searchWords } from '../lib/fts'
import { markWords, snippetOf } from '../lib/highlight-text'
import { COUNT_CAP, RESULTS_PER_PAGE, SEARCH_TYPES, type SearchType } from '../lib/search-types'
import { formatInZone } from '../lib/time-zones'
import { textMatches, textQuery } from './full-text.server'

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
 * Only the newest matches of each index are ranked. A word found in half a million posts would
 * otherwise have every one of them scored before the first page could be shown; the newest
 * 2,000 keep a search under a few tens of milliseconds at any size, and a reader narrows a
 * search by adding words.
 */
const CANDIDATES = 2000

/** One hit among an index's newest matches, as ranking needs it: nothing yet to display. */
interface Candidate {
  /** The FTS row to highlight: a post, a thread (its title), a case or an event. */
  id: number
  index: 'posts_fts' | 'threads_fts' | 'cases_fts' | 'events_fts'
  /** One result per result_key: a thread shows once, at its best hit. */
  result_key: number
  rank: number
}

interface RankedRow extends Candidate {
  key: string
  thread_id: number | null
  number: number | null
  title: string
  context: string | null
  starts_at: string | null
  time_zone: string | null
}

/**
 * The hits of each type that any reader may see, among each index's newest matches: live posts
 * in live threads and live threads' titles (never hidden or deleted ones), published cases
 * (never drafts, submissions or returned ones, and never an author), announced events (never
 * drafts). Every hit carries FTS5's bm25 rank, so the types can be merged by relevance. The
 * result page and its counts both read these rows, so a count is what the pages can show.
 *
 * Only what visibility and grouping need is read here: up to 2,000 candidates per index pass
 * through, and reading each one's title, slug and category (or outcome) was a tenth of a search
 * over a million posts; `details` reads them for the page's twenty. A count needs no order, so
 * `ranked: false` skips bm25, whose first call reads every match of each word to weigh it.
 */
const HITS: Record<SearchType, (match: string, ranked: boolean) => RawBuilder<Candidate>> = {
  discussions: (match, ranked) => sql<Candidate>`
    select h.id, 'threads_fts' as "index", h.id as result_key, h.rank
    from (${textMatches('threads', match, { ranked, newest: CANDIDATES })}) h join threads t on t.id = h.id
    where t.deleted_at is null
    union all
    select h.id, 'posts_fts', p.thread_id, h.rank
    from (${textMatches('posts', match, { ranked, newest: CANDIDATES })}) h join posts p on p.id = h.id join threads t on t.id = p.thread_id
    where p.is_deleted = 0 and p.hidden_at is null and t.deleted_at is null`,
  cases: (match, ranked) => sql<Candidate>`
    select h.id, 'cases_fts' as "index", h.id as result_key, h.rank
    from (${textMatches('cases', match, { ranked, newest: CANDIDATES })}) h join cases c on c.id = h.id
    where c.status = 'published'`,
  events: (match, ranked) => sql<Candidate>`
    select h.id, 'events_fts' as "index", h.id as result_key, h.rank
    from (${textMatches('events', match, { ranked, newest: CANDIDATES })}) h join events e on e.id = h.id
    where e.status in ('published', 'cancelled')`,
}

/**
 * The best `limit` results of a type, each result once at its best-ranked hit, each row carrying
 * how many results the type has in all (so a shown type needs no second, counting query).
 */
const ranking = (type: SearchType, match: string, limit: number) => sql<Candidate & { total: number }>`
  select *, count(*) over () as total from (
    select *, row_number() over (partition by result_key order by rank) as n from (${HITS[type](match, true)}) as hits
  ) as best where n = 1 order by rank limit ${limit}`

/** How many results a type has, for the tab of a type the page does not show. */
const resultCount = (type: SearchType, match: string) =>
  sql<{ n: number }>`select count(distinct result_key) as n from (${HITS[type](match, false)}) as hits`

/**
 * What the page shows of each ranked result of a type: its title, address and context. A
 * thread always has its category (a foreign key), a case its outcome term only if the
 * taxonomy still holds it. A result deleted since it was ranked (a write may come between the
 * two reads) is left out rather than shown half.
 */
async function details(type: SearchType, rows: Candidate[]): Promise<(RankedRow | undefined)[]> {
  const ids = (index: Candidate['index']) => rows.filter((r) => r.index === index).map((r) => r.id).concat(0)
  if (type === 'discussions') {
    const [threads, posts] = await Promise.all([
      db
        .selectFrom('threads as t')
        .innerJoin('categories as c', 'c.id', 't.category_id')
        .select(['t.id', 't.slug', 't.title', 'c.name'])
        .where('t.id', 'in', rows.map((r) => r.result_key).concat(0))
        .execute(),
      db.selectFrom('posts').select(['id', 'number']).where('id', 'in', ids('posts_fts')).execute(),
    ])
    const numberOf = new Map(posts.map((p) => [p.id, p.number]))
    return withFound(rows, threads, (row) => row.result_key, (row, thread) => {
      const number = row.index === 'posts_fts' ? numberOf.get(row.id) : 1
      if (number === undefined) return undefined
      return { ...row, key: thread.slug, thread_id: thread.id, number, title: thread.title, context: thread.name, starts_at: null, time_zone: null }
    })
  }
  if (type === 'cases') {
    const cases = await db
      .selectFrom('cases as c')
      .leftJoin('taxonomy_terms as o', (join) => join.on('o.facet', '=', 'outcome').onRef('o.slug', '=', 'c.outcome'))
      .select(['c.id', 'c.slug', 'c.title', 'o.name'])
      .where('c.id', 'in', ids('cases_fts'))
      .execute()
    return withFound(rows, cases, (row) => row.id, (row, c) => {
      return { ...row, key: c.slug, thread_id: null, number: null, title: c.title, context: c.name, starts_at: null, time_zone: null }
    })
  }
  const events = await db
    .selectFrom('events')
    .select(['id', 'slug', 'title', 'status', 'starts_at', 'time_zone'])
    .where('id', 'in', ids('events_fts'))
    .execute()
  return withFound(rows, events, (row) => row.id, (row, e) => {
    return { ...row, key: e.slug, thread_id: null, number: null, title: e.title, context: e.status, starts_at: e.starts_at, time_zone: e.time_zone }
  })
}

/** Each ranked row shaped with the stored row it names, or undefined where that row is gone. */
function withFound<T extends { id: number }>(
  rows: Candidate[],
  found: T[],
  idOf: (row: Candidate) => number,
  shape: (row: Candidate, item: T) => RankedRow | undefined,
): (RankedRow | undefined)[] {
  const byId = new Map(found.map((item) => [item.id, item]))
  return rows.map((row) => {
    const item = byId.get(idOf(row))
    return item && shape(row, item)
  })
}

/**
 * The stored text behind each shown hit (one query per index, for the page's twenty hits),
 * with the reader's words marked: the title, and a snippet around the first match.
 */
async function markHits(rows: RankedRow[], words: string[]): Promise<Map<RankedRow, { title: string; snippet: string }>> {
  const idsOf = (index: RankedRow['index']) => rows.filter((r) => r.index === index).map((r) => r.id)
  const none = [0]
  const [posts, cases, events] = await Promise.all([
    db.selectFrom('posts').select(['id', 'body_md']).where('id', 'in', idsOf('posts_fts').concat(none)).execute(),
    db
      .selectFrom('cases')
      .select(['id', 'summary', 'what_happened_md', 'outcome_detail', 'lessons_json', 'root_causes_json', 'recommendations_json'])
      .where('id', 'in', idsOf('cases_fts').concat(none))
      .execute(),
    db.selectFrom('events').select(['id', 'description_md']).where('id', 'in', idsOf('events_fts').concat(none)).execute(),
  ])
  const firstSnippet = (texts: string[]) => {
    for (const text of texts) {
      const snippet = snippetOf(plain(text), words)
      if (snippet) return snippet
    }
    return plain(texts[0] ?? '').split(' ').slice(0, 24).join(' ')
  }
  const marked = new Map<RankedRow, { title: string; snippet: string }>()
  for (const row of rows) {
    let texts: string[] = []
    if (row.index === 'posts_fts') texts = [posts.find((p) => p.id === row.id)?.body_md ?? '']
    if (row.index === 'events_fts') texts = [events.find((e) => e.id === row.id)?.description_md ?? '']
    if (row.index === 'cases_fts') {
      const c = cases.find((c) => c.id === row.id)
      if (c) {
        const lists = [c.lessons_json, c.root_causes_json, c.recommendations_json].flatMap((json) => JSON.parse(json) as string[])
        texts = [c.summary, c.what_happened_md, c.outcome_detail, ...lists]
      }
    }
    marked.set(row, { title: markWords(row.title, words), snippet: row.index === 'threads_fts' ? '' : firstSnippet(texts) })
  }
  return marked
}

// Snippets of Markdown sources read better without the syntax around the words.
const plain = (text: string) =>
  text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]{1,3}|^#{1,6}\s|^>\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim()

function toHit(type: SearchType, row: RankedRow, marked: { title: string; snippet: string } | undefined): SearchHit {
  const title = marked?.title ?? row.title
  const snippet = marked?.snippet ?? ''
  if (type === 'discussions') {
    const thread = { id: row.thread_id!, slug: row.key }
    return {
      type,
      key: `thread-${row.thread_id}`,
      url: row.number! > 1 ? postPath(thread, row.number!) : threadPath(thread),
      title,
      snippet,
      context: row.context ?? '',
      rank: row.rank,
    }
  }
  if (type === 'cases') return { type, key: `case-${row.key}`, url: `/cases/${row.key}`, title, snippet, context: row.context ?? '', rank: row.rank }
  const when = formatInZone(row.starts_at!, row.time_zone!)
  return {
    type,
    key: `event-${row.id}`,
    url: `/events/${row.id}/${row.key}`,
    title,
    snippet,
    context: row.context === 'cancelled' ? `Cancelled: ${when}` : when,
    rank: row.rank,
  }
}

/**
 * Searches what a reader typed, however odd (quotes, operators, emoji, 10,000 characters):
 * `textQuery` turns it into quoted words, so it can match nothing but never fail.
 */
export async function search({ q, type, page }: { q: string; type: SearchType | null; page: number }): Promise<SearchResults> {
  const match = textQuery(q)
  if (!match) return EMPTY
  const types: readonly SearchType[] = type ? [type] : SEARCH_TYPES
  // Merging types by relevance needs each type's best `offset + page` hits.
  const limit = page * RESULTS_PER_PAGE
  const rankings = await Promise.all(types.map(async (t) => (await ranking(t, match, limit).execute(db)).rows.map((row) => ({ type: t, row }))))
  const counts = await Promise.all(
    SEARCH_TYPES.map(async (t) => {
      const ranked = types.indexOf(t)
      // A ranking with no rows means the type has no results: `limit` is never below a page.
      if (ranked >= 0) return Number(rankings[ranked][0]?.row.total ?? 0)
      return Number((await resultCount(t, match).execute(db)).rows[0]?.n ?? 0)
    }),
  )
  const onPage = rankings
    .flat()
    .sort((a, b) => a.row.rank - b.row.rank)
    .slice((page - 1) * RESULTS_PER_PAGE, limit)
  const detailed = new Map<Candidate, RankedRow>()
  await Promise.all(
    types.map(async (t) => {
      const rows = onPage.filter((hit) => hit.type === t).map((hit) => hit.row)
      if (!rows.length) return
      ;(await details(t, rows)).forEach((row, i) => row && detailed.set(rows[i], row))
    }),
  )
  const shown = onPage.flatMap(({ type: t, row }) => (detailed.has(row) ? [{ type: t, row: detailed.get(row)! }] : []))
  const marked = await markHits(
    shown.map(({ row }) => row),
    searchWords(q),
  )
  const total = types.reduce((sum, t) => sum + counts[SEARCH_TYPES.indexOf(t)], 0)
  return {
    counts: { discussions: counts[0], cases: counts[1], events: counts[2] },
    hits: shown.map(({ type: t, row }) => toHit(t, row, marked.get(row))),
    pageCount: Math.ceil(Math.min(total, COUNT_CAP) / RESULTS_PER_PAGE),
  }
}
