/**
 * What the mixed targets of `npm run bench` (issue #14) visit: many threads, random case-library
 * filters and random search words, chosen from the generated database the way members spread
 * over a community, instead of one URL that the page cache answers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { Random } from '../../db/generate/random'
import type { Fixtures } from '../../db/generate/scales'
import { POSTS_PER_PAGE, threadPath } from '../../app/lib/discussion-paths'
import { CASE_FACETS, type CaseFacetKey } from '../../app/lib/case-query'

/** Threads the many-threads targets spread over (fewer where the database holds fewer). */
export const THREADS_TO_READ = 6_000
/** Members reading them in the signed-in target. */
export const READING_MEMBERS = 300
/** Threads read in the hot-threads targets, and replied to in the write mix. */
export const HOT_THREADS = 20
/** Replies per second in the write mix. */
export const REPLIES_PER_SECOND = 5
/** The thread page the budgets speak of: 20 posts. The threads read are those nearest it. */
const TYPICAL_POSTS = 20
/** Threads with fewer replies than this are left out, as too light to stand for a thread page. */
const MIN_REPLIES = 5
/** Bumped when the selection rule changes, so a saved selection is made again. */
const SELECTION_VERSION = 2

export interface ReadingThread {
  id: number
  path: string
  posts: number
}

export interface ThreadSelection {
  key: string
  threads: ReadingThread[]
  hot: ReadingThread[]
}

/**
 * The threads to read: the THREADS_TO_READ whose post count is nearest TYPICAL_POSTS, all on
 * one page and with MIN_REPLIES replies at least, leaving out the benchmark's own reply threads
 * and case discussions. Saved beside the database and reused while the file is (the write mix adds
 * replies to the hot threads, which would otherwise slowly change the choice from run to run).
 */
export function selectThreads(databasePath: string, fixtures: Fixtures): ThreadSelection {
  const file = `${databasePath}.bench-threads.json`
  const { generator } = fixtures
  const key = `${SELECTION_VERSION}:${generator.version}:${generator.scale}:${generator.seed}:${generator.generatedAt}`
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as ThreadSelection
      if (saved.key === key) return saved
    } catch {
      // made again below
    }
  }
  const database = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true })
  let threads: ReadingThread[]
  try {
    const excluded = [fixtures.replies.watched.threadId, fixtures.replies.unwatched.threadId]
    const rows = database
      .prepare(
        `select t.id, t.slug, t.reply_count from threads t
         where t.deleted_at is null and t.reply_count >= ? and t.reply_count < ? and t.id not in (?, ?)
           and t.id not in (select thread_id from cases where thread_id is not null)
         order by abs(t.reply_count + 1 - ?), t.id
         limit ?`,
      )
      .all(MIN_REPLIES, POSTS_PER_PAGE, ...excluded, TYPICAL_POSTS, THREADS_TO_READ) as { id: number; slug: string; reply_count: number }[]
    threads = rows.map((row) => ({ id: row.id, path: threadPath(row), posts: row.reply_count + 1 }))
  } finally {
    database.close()
  }
  if (threads.length < HOT_THREADS) throw new Error(`${databasePath} has only ${threads.length} threads to read`)
  // Spread over the selection, so the hot threads are as long as a typical one.
  const step = threads.length / HOT_THREADS
  const hot = Array.from({ length: HOT_THREADS }, (_, i) => threads[Math.floor(i * step)])
  const selection = { key, threads, hot }
  writeFileSync(file, `${JSON.stringify(selection)}\n`)
  return selection
}

/** The member cookies of the signed-in many-threads target: the last READING_MEMBERS of the pool. */
export function readingMemberCookies(fixtures: Fixtures): string[] {
  return fixtures.replies.memberCookies.slice(-READING_MEMBERS)
}

/**
 * Case-library URLs with one to three facets, each with one or two terms (a facet's terms are
 * OR-ed, facets AND-ed), sorted newest first or by how often the case was seen. Terms come
 * from the database's own taxonomy.
 */
export function randomCaseLibraryUrls(databasePath: string, count: number, seed: number): string[] {
  const database = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true })
  let termsByFacet: Map<string, string[]>
  try {
    const rows = database.prepare('select facet, slug from taxonomy_terms order by facet, position').all() as { facet: string; slug: string }[]
    termsByFacet = new Map()
    for (const { facet, slug } of rows) termsByFacet.set(facet, [...(termsByFacet.get(facet) ?? []), slug])
  } finally {
    database.close()
  }
  const random = new Random(seed)
  const keys = (Object.keys(CASE_FACETS) as CaseFacetKey[]).filter((key) => termsByFacet.get(CASE_FACETS[key])?.length)
  return Array.from({ length: count }, () => {
    const params = new URLSearchParams()
    const chosen = shuffled(keys, random).slice(0, random.int(1, 3))
    for (const key of chosen) {
      for (const term of shuffled(termsByFacet.get(CASE_FACETS[key])!, random).slice(0, random.int(1, 2))) params.append(key, term)
    }
    params.set('sort', random.pick(['newest', 'seen']))
    return `/cases?${params}`
  })
}

/** Search URLs with one word (two in three) or two words from SEARCH_WORDS. */
export function randomSearchUrls(count: number, seed: number): string[] {
  const random = new Random(seed)
  return Array.from({ length: count }, () => {
    const words = random.chance(2 / 3) ? [random.pick(SEARCH_WORDS)] : [random.pick(SEARCH_WORDS), random.pick(SEARCH_WORDS)]
    return `/search?${new URLSearchParams({ q: words.join(' ') })}`
  })
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i)
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

/**
 * Words members search for: common ones that match a large share of the posts, rarer ones,
 * short ones (matched exactly) and a few that match nothing.
 */
export const SEARCH_WORDS = [
  'cutover', 'vendor', 'budget', 'rollback', 'rehearsal', 'pilot', 'training', 'payroll', 'legacy', 'contract',
  'requirements', 'defects', 'auditors', 'legislature', 'deadline', 'helpdesk', 'migration', 'eligibility', 'payment', 'steering',
  'procurement', 'agile', 'waterfall', 'sprint', 'backlog', 'demo', 'acceptance', 'criteria', 'assumptions', 'risk',
  'register', 'ownership', 'interface', 'county', 'state', 'federal', 'municipal', 'tribal', 'licences', 'operations',
  'support', 'data', 'quality', 'records', 'conversion', 'parallel', 'running', 'spreadsheets', 'go-live', 'decision',
  'leadership', 'trust', 'status', 'report', 'product', 'team', 'funding', 'staffing', 'call', 'center',
  'scripts', 'volumes', 'privacy', 'security', 'accessibility', 'cloud', 'hosting', 'mainframe', 'cobol', 'integration',
  'testing', 'users', 'research', 'design', 'service', 'portal', 'tax', 'benefits', 'licensing', 'permits',
  'courts', 'transit', 'fare', 'child', 'welfare', 'unemployment', 'medicaid', 'dmv', 'gis', 'erp',
  'it', 'ux', 'api', 'sla', 'rfp', 'zeppelin', 'quasar', 'marmalade', 'harpsichord', 'origami',
] as const
