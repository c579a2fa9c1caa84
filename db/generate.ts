/**
 * Synthetic benchmark data (issue #7):
 *
 *   npm run db:generate -- --scale small|large --out PATH [--to postgres://...] [--force] [--seed N] [--revisions all|edited]
 *
 * Fills a fresh SQLite file through the real schema: migrations and the curated seed first (on
 * the app's own Kysely connection), then members, threads, posts, helpful marks, flags, cases,
 * events and RSVPs through plain prepared statements on a second connection, so every trigger
 * the schema defines (the search indexes of migration 0006) fires as it would for the app.
 * Markdown is rendered by the app's own pipeline, once per body in a pool that posts reuse.
 * Beside the database it writes PATH.fixtures.json: the URLs and sessions the benchmark drives,
 * including the two reply threads (one with 5,000 watchers) and the members who post to them.
 * With --to, the finished file is then copied into that empty PostgreSQL database (db/copy.ts).
 */
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { BUDGET_BANDS, type CaseContent, caseSearchBody, type CaseSearchSource } from '../app/lib/case-fields'
import { contentToCaseForm } from '../app/lib/case-form'
import { pageOfPost } from '../app/lib/discussion-paths'
import { EVENT_KINDS } from '../app/lib/event-fields'
import { type HeadingLevel, renderMarkdown, SHOWN_UNDER } from '../app/lib/markdown.server'
import { anonymousLabelOf } from '../app/lib/member-labels'
import { hashPassword } from '../app/lib/password.server'
import { slugify } from '../app/lib/slug'
import { zonedToUtc } from '../app/lib/time-zones'
import { countBelow, Random } from './generate/random'
import { FIXTURE_THREAD_SIZES, FIXTURE_WATCHERS, type Fixtures, GENERATOR_VERSION, REPLY_MEMBER_POOL, SCALES, type ScaleName } from './generate/scales'
import * as text from './generate/text'
import { EVENT_FORMATS, FLAG_REASONS, GOVERNMENT_LEVELS } from './schema'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const YEAR = 365 * DAY

// ---------------------------------------------------------------------------------------------
// Command line

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    revisions: { type: 'string', default: 'all' },
    'skip-verify': { type: 'boolean', default: false },
    to: { type: 'string' },
  },
})
if (!(args.scale! in SCALES) || !args.out || !['all', 'edited'].includes(args.revisions!) || (args.to && !/^postgres(ql)?:\/\//.test(args.to))) {
  console.error('Usage: npm run db:generate -- --scale small|large --out PATH [--to postgres://...] [--force] [--seed N] [--revisions all|edited] [--skip-verify]')
  process.exit(2)
}
const scaleName = args.scale as ScaleName
const scale = SCALES[scaleName]
const out = resolve(args.out)
const seedNumber = Number(args.seed) || 7
const random = new Random(seedNumber)

if (existsSync(out) && !args.force) {
  console.error(`${out} already exists. Pass --force to replace it (with its -wal, -shm and fixtures files).`)
  process.exit(1)
}
for (const suffix of ['', '-wal', '-shm', '-journal', '.fixtures.json']) rmSync(out + suffix, { force: true })

const started = performance.now()
const NOW = Date.now()
const iso = (ms: number) => new Date(ms).toISOString()
const count = (n: number) => n.toLocaleString('en-US')
function phase(name: string, detail: string) {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${name}: ${detail}`)
}

// ---------------------------------------------------------------------------------------------
// 1. Schema and curated content, through the app's own code. db/client opens DATABASE_PATH
// when first imported, so the path is set before any module that imports it is loaded.

process.env.DATABASE_PATH = out
// The SQLite file is written first, whatever --to names.
delete process.env.DATABASE_URL
const client = await import('./client')
const seed = await import('./seed')
const { renderPostBody } = await import('../app/models/post-body.server')
const { generateSessionToken, sessionIdFromToken } = await import('../app/models/session.server')
const { sessionCookie } = await import('../app/lib/auth.server')
const { migrations } = await import('./migrations/index')

const applied = await client.migrateToLatest(client.db)
const seeded = await seed.seedContent({ contentDir: seed.DEFAULT_CONTENT_DIR, includeDemo: false })
phase('schema and curated content', `${applied.length} migrations; seed ${seeded}`)

// The bulk writer: a second connection, tuned for loading only (the server opens the file
// with its own pragmas). Foreign keys stay on so the generated data is checked as it goes in.
const raw = new BetterSqlite3(out)
raw.pragma('journal_mode = WAL')
raw.pragma('synchronous = OFF')
raw.pragma('foreign_keys = ON')
raw.pragma('busy_timeout = 5000')
raw.pragma('cache_size = -262144')
raw.pragma('temp_store = MEMORY')

const triggers = (raw.prepare(`select name from sqlite_master where type = 'trigger' order by name`).all() as { name: string }[]).map((t) => t.name)
if (triggers.length) phase('triggers', `${triggers.length} present (${triggers.join(', ')}); every insert fires them`)

function inBatches(total: number, each: (i: number) => void, size = 10_000) {
  for (let start = 0; start < total; start += size) {
    raw.exec('begin')
    try {
      const end = Math.min(total, start + size)
      for (let i = start; i < end; i++) each(i)
      raw.exec('commit')
    } catch (error) {
      raw.exec('rollback')
      throw error
    }
  }
}
const nextId = (table: string) => (raw.prepare(`select coalesce(max(id), 0) + 1 as n from ${table}`).get() as { n: number }).n

interface Term {
  id: number
  facet: string
  slug: string
  name: string
}
const terms = raw.prepare('select id, facet, slug, name from taxonomy_terms order by facet, position').all() as Term[]
const facet = (name: string) => terms.filter((t) => t.facet === name)
const failureModes = facet('failure-mode')
const phases = facet('phase')
const levels = facet('level')
const domains = facet('domain')
const outcomes = facet('outcome')
const categories = raw.prepare('select id, slug from categories order by position').all() as { id: number; slug: string }[]
const caseCategory = categories.find((c) => c.slug === 'case-discussions')
const threadCategories = categories.filter((c) => c !== caseCategory)
if (!failureModes.length || !phases.length || !threadCategories.length) throw new Error('The seed did not load the taxonomy and categories')

// ---------------------------------------------------------------------------------------------
// 2. Members: everyone joins at some point in the last four years, more of them recently.
// Content is only ever written by members who had joined by then.

const CONTENT_START = NOW - 3 * YEAR
const SITE_START = NOW - 4 * YEAR
const userBase = nextId('users')
const benchId = userBase
const adminId = userBase + 1
const poolBase = userBase + 2
const poolSize = scale.members - 2
const poolJoin = new Float64Array(poolSize)
for (let i = 0; i < poolSize; i++) poolJoin[i] = SITE_START + (NOW - DAY - SITE_START) * Math.sqrt(random.next())
poolJoin.sort()

/** A member who had joined by `at`; early members write more (a long tail of activity). */
function activeMember(at: number): number {
  const k = Math.max(1, countBelow(poolJoin, at))
  return poolBase + Math.floor(k * random.next() ** 2.5)
}
/** `n` distinct members who had joined by `at`, none of them in `exclude`. */
function distinctMembers(at: number, n: number, exclude: number[] = []): number[] {
  const k = Math.max(1, countBelow(poolJoin, at))
  const want = Math.min(n, k - exclude.filter((id) => id - poolBase < k).length)
  if (want <= 0) return []
  if (want * 3 > k) {
    const ids = Array.from({ length: k }, (_, i) => poolBase + i).filter((id) => !exclude.includes(id))
    return random.sample(ids, want)
  }
  const chosen = new Set<number>()
  while (chosen.size < want) {
    const id = poolBase + Math.floor(k * random.next())
    if (!exclude.includes(id)) chosen.add(id)
  }
  return [...chosen]
}

const moderatorIds = distinctMembers(CONTENT_START, Math.max(3, Math.round(poolSize * 0.002)))
const moderatorSet = new Set(moderatorIds)
const benchPassword = `bench-${generateSessionToken()}`
const benchHandle = 'bench-member'
const benchEmail = 'bench-member@example.org'

{
  const insert = raw.prepare(`insert into users (id, email, handle, display_name, password_hash, role, member_type, organization,
    government_level, is_demo, time_zone, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`)
  const handles = new Set((raw.prepare('select handle from users').all() as { handle: string }[]).map((u) => u.handle))
  const domains = ['example.gov', 'example.org', 'example.com', 'example.net']
  const benchHash = await hashPassword(benchPassword)
  raw.exec('begin')
  insert.run(benchId, benchEmail, benchHandle, 'Bench Member', benchHash, 'member', 'practitioner', 'a state department of labor', 'state', 'America/Chicago', iso(SITE_START), iso(SITE_START))
  insert.run(adminId, 'synthetic-admin@example.org', 'synthetic-admin', 'Synthetic Admin', null, 'admin', 'leader', null, 'not-government', null, iso(SITE_START), iso(SITE_START))
  raw.exec('commit')
  inBatches(poolSize, (i) => {
    const first = random.pick(text.FIRST_NAMES)
    const last = random.pick(text.LAST_NAMES)
    let handle = `${first}-${last}`
    for (let n = 2; handles.has(handle); n++) handle = `${first}-${last}-${n}`
    handles.add(handle)
    const id = poolBase + i
    const joined = iso(poolJoin[i])
    insert.run(
      id,
      `${handle}@${random.pick(domains)}`,
      handle,
      `${text.capitalize(first)} ${text.capitalize(last)}`,
      null,
      moderatorSet.has(id) ? 'moderator' : 'member',
      random.weighted([['leader', 2], ['practitioner', 5], ['advisor', 2], ['partner', 1]] as const),
      random.chance(0.7) ? random.pick(text.ORGANIZATIONS) : null,
      random.weighted(GOVERNMENT_LEVELS.map((level) => [level, level === 'state' || level === 'local' ? 4 : level === 'federal' ? 3 : 1] as const)),
      random.chance(0.35) ? random.pick(text.TIME_ZONES) : null,
      joined,
      joined,
    )
  })
  // Every synthetic member confirmed their address when they joined, so all of them may post.
  raw.exec('update users set email_verified_at = created_at where email_verified_at is null')
}
const poolHandle = (id: number) => (raw.prepare('select handle from users where id = ?').get(id) as { handle: string }).handle
phase('members', `${count(scale.members)} (${moderatorIds.length} moderators, 1 admin, bench member @${benchHandle})`)

// ---------------------------------------------------------------------------------------------
// 3. Markdown pools, rendered once by the app's own pipeline and reused by many rows.

interface PoolBody {
  md: string
  html: string
  mentions: number[]
}
const postPool: PoolBody[] = []
{
  const mentionable = distinctMembers(CONTENT_START, 40).map(poolHandle)
  for (let i = 0; i < 400; i++) {
    const mention = i % 10 === 3 ? mentionable[i % mentionable.length] : undefined
    const md = text.postMarkdown(random, { mention })
    // One pool for every position: rendered as a reply, as most posts are.
    const rendered = await renderPostBody(client.db, md, 'reply')
    postPool.push({ md, html: rendered.html, mentions: rendered.mentionedUserIds })
  }
}
await client.db.destroy()
const renderOnce = (md: string, headingsUnder: HeadingLevel) => ({ md, html: renderMarkdown(md, { headingsUnder }) })
const narrativePool = Array.from({ length: 150 }, () => renderOnce(text.caseWhatHappened(random), SHOWN_UNDER.caseNarrative))
const eventPool = Array.from({ length: 60 }, () => renderOnce(text.eventDescription(random), SHOWN_UNDER.eventText))
const recapPool = Array.from({ length: 30 }, () => renderOnce(text.eventRecap(random), SHOWN_UNDER.eventText))
const poolChars = postPool.reduce((sum, body) => sum + body.md.length, 0)
phase(
  'markdown pools',
  `${postPool.length} post bodies (${Math.round(poolChars / postPool.length)} chars on average, ${postPool.filter((b) => b.mentions.length).length} with mentions), ${narrativePool.length} case narratives, ${eventPool.length + recapPool.length} event texts`,
)

// ---------------------------------------------------------------------------------------------
// 4. Cases are planned before threads: a case's discussion thread is named after it.

interface PlannedCase {
  id: number
  status: 'published' | 'draft' | 'submitted' | 'returned'
  authorId: number
  content: CaseContent
  narrative: number
  createdAt: number
  publishedAt: number
  slug: string
  threadId: number | null
  modes: { termId: number; how: string; isPrimary: boolean }[]
  phaseIds: number[]
}
const caseBase = nextId('cases')
const caseSlugs = new Set((raw.prepare('select slug from cases').all() as { slug: string }[]).map((c) => c.slug))
const extraCases = Math.max(3, Math.round(scale.cases * 0.02))
const caseTimes = Array.from({ length: scale.cases + extraCases }, () => CONTENT_START + (NOW - HOUR - CONTENT_START) * Math.sqrt(random.next())).sort((a, b) => a - b)
const plannedCases: PlannedCase[] = caseTimes.map((publishedAt, index) => {
  const id = caseBase + index
  const published = index < scale.cases
  const createdAt = publishedAt - random.int(3, 40) * DAY
  const modeTerms = random.sample(failureModes, random.int(2, 4))
  const level = random.weighted([['federal', 20], ['state', 35], ['local', 25], ['tribal', 3], ['international', 12], ['not-government', 5]] as const)
  const content: CaseContent = {
    title: text.caseTitle(random),
    summary: text.caseSummary(random),
    level: levels.some((l) => l.slug === level) ? level : random.pick(levels).slug,
    domain: random.pick(domains).slug,
    outcome: random.weighted(outcomes.map((o, i) => [o.slug, [2, 2, 4, 3, 2][i] ?? 1] as const)),
    jurisdiction: text.caseJurisdiction(random),
    budgetBand: random.pick(Object.keys(BUDGET_BANDS) as (keyof typeof BUDGET_BANDS)[]),
    contractModel: random.pick(text.CONTRACT_MODELS),
    years: (() => {
      const from = random.int(2005, 2022)
      return `${from}–${from + random.int(1, 6)}`
    })(),
    outcomeDetail: text.outcomeDetail(random),
    whatHappened: '',
    primaryFailureMode: { slug: modeTerms[0].slug, how: text.failureModeHow(random, modeTerms[0].name) },
    contributingFailureModes: modeTerms.slice(1).map((t) => ({ slug: t.slug, how: text.failureModeHow(random, t.name) })),
    phases: random.sample(phases, random.int(1, 4)).map((p) => p.slug),
    rootCauses: text.caseSentences(random, random.int(2, 4), text.ROOT_CAUSES),
    lessons: text.caseSentences(random, random.int(2, 4), text.LESSONS),
    recommendations: text.caseSentences(random, random.int(2, 4), text.RECOMMENDATIONS),
    correctiveActions: random.sample(text.CORRECTIVE_ACTIONS, random.int(0, 3)).map((action) => ({
      action,
      worked: random.pick(['yes', 'partly', 'no', 'unknown'] as const),
      ...(random.chance(0.5) ? { note: 'Reported in the follow-up review.' } : {}),
    })),
    sources: Array.from({ length: random.int(0, 3) }, () => text.caseSource(random)),
    firstHand: random.chance(0.4),
    isAnonymous: false,
  }
  content.isAnonymous = content.firstHand ? random.chance(0.35) : random.chance(0.05)
  const narrative = random.int(0, narrativePool.length - 1)
  content.whatHappened = narrativePool[narrative].md
  let slug = slugify(content.title, 70, 'case')
  for (let n = 2; caseSlugs.has(slug); n++) slug = `${slugify(content.title, 70, 'case')}-${n}`
  if (published) caseSlugs.add(slug)
  const status = published ? 'published' : random.weighted([['draft', 4], ['submitted', 4], ['returned', 2]] as const)
  const phaseIds = content.phases.map((s) => phases.find((p) => p.slug === s)!.id)
  return {
    id,
    status,
    authorId: activeMember(createdAt),
    content,
    narrative,
    createdAt,
    publishedAt,
    slug: published ? slug : `draft-${crypto.randomUUID()}`,
    threadId: null,
    modes: modeTerms.map((t, i) => ({ termId: t.id, how: i === 0 ? content.primaryFailureMode!.how : content.contributingFailureModes[i - 1].how, isPrimary: i === 0 })),
    phaseIds,
  }
})
const publishedCases = plannedCases.filter((c) => c.status === 'published')

// ---------------------------------------------------------------------------------------------
// 5. Threads and their posts, planned in memory (typed arrays), then written in time order.

const T = scale.threads
const P = scale.posts
const threadBase = nextId('threads')
const threadCreated = new Float64Array(T)
for (let i = 0; i < T; i++) threadCreated[i] = CONTENT_START + (NOW - 2 * HOUR - CONTENT_START) * Math.sqrt(random.next())
threadCreated.sort()
const long = Math.floor(T * 0.12)
const short = Math.max(0, countBelow(threadCreated, NOW - 12 * DAY) - 1)
if (short === long) throw new Error('The fixture threads collide; use a larger scale')

// Sizes: the two fixtures exactly; the rest a long tail (most threads 1-15 posts) summing to
// exactly what is left of the scale's posts.
const threadSize = new Int32Array(T)
{
  threadSize[short] = FIXTURE_THREAD_SIZES.short
  threadSize[long] = FIXTURE_THREAD_SIZES.long
  const regular = T - 2
  const extra = P - FIXTURE_THREAD_SIZES.short - FIXTURE_THREAD_SIZES.long - regular
  if (extra < 0) throw new Error('Not enough posts for one per thread')
  const weights = new Float64Array(T)
  let total = 0
  for (let i = 0; i < T; i++) {
    if (i === short || i === long) continue
    weights[i] = Math.min(random.lognormal(0, 1.1), 60)
    total += weights[i]
  }
  let given = 0
  for (let i = 0; i < T; i++) {
    if (i === short || i === long) continue
    const n = Math.floor((extra * weights[i]) / total)
    threadSize[i] = 1 + n
    given += n
  }
  for (let left = extra - given; left > 0; ) {
    const i = Math.floor(random.next() * T)
    if (i === short || i === long) continue
    threadSize[i]++
    left--
  }
}

const threadAuthor = new Int32Array(T)
const threadCategory = new Int32Array(T)
const threadCase = new Int32Array(T).fill(-1)
const threadTitle: string[] = new Array(T)
const threadTags: number[][] = new Array(T)
const threadPinned = new Uint8Array(T)
const threadLocked = new Uint8Array(T)
const threadDeleted = new Uint8Array(T)
const threadAccepted = new Int32Array(T).fill(-1) // a post index
const threadFirst = new Int32Array(T) // index of its opening post in the post arrays

// Case discussions: 2% of threads, each started after its case was published.
if (caseCategory) {
  const wanted = Math.min(Math.round(T * 0.02), publishedCases.length)
  const slots = random.sample(Array.from({ length: T }, (_, i) => i).filter((i) => i !== short && i !== long), wanted).sort((a, b) => a - b)
  const available: PlannedCase[] = []
  let next = 0
  for (const slot of slots) {
    while (next < publishedCases.length && publishedCases[next].publishedAt < threadCreated[slot]) available.push(publishedCases[next++])
    if (!available.length) continue
    const k = Math.floor(random.next() * available.length)
    const linked = available[k]
    available[k] = available[available.length - 1]
    available.pop()
    threadCase[slot] = linked.id - caseBase
    linked.threadId = threadBase + slot
  }
}

for (let i = 0; i < T; i++) {
  threadAuthor[i] = activeMember(threadCreated[i])
  const linked = threadCase[i] >= 0 ? plannedCases[threadCase[i]] : null
  if (linked) {
    threadCategory[i] = caseCategory!.id
    threadTitle[i] = `Case discussion: ${linked.content.title}`.slice(0, 150)
    threadTags[i] = linked.modes.map((m) => m.termId).slice(0, 5)
  } else {
    threadCategory[i] = random.pick(threadCategories).id
    threadTitle[i] = text.threadTitle(random)
    threadTags[i] = random.sample(failureModes, random.weighted([[0, 20], [1, 35], [2, 30], [3, 15]] as const)).map((t) => t.id)
  }
  threadLocked[i] = random.chance(0.003) ? 1 : 0
  threadDeleted[i] = i !== short && i !== long && threadSize[i] === 1 && random.chance(0.002) ? 1 : 0
}
threadTitle[short] = `Rehearsing a payroll ${text.SEARCH_WORD}: how many dress rehearsals is enough?`
threadTitle[long] = `The long-running ${text.SEARCH_WORD} war stories thread`
threadTags[short] = [failureModes[0].id, failureModes[3 % failureModes.length].id, failureModes[7 % failureModes.length].id]
threadCategory[short] = threadCategories[0].id
threadCategory[long] = threadCategories[1 % threadCategories.length].id
threadLocked[short] = threadLocked[long] = 0
{
  // One or two pinned threads per category, as moderators keep a few guides on top.
  const byCategory = new Map<number, number[]>()
  for (let i = 0; i < T; i++) {
    if (threadDeleted[i] || threadCase[i] >= 0 || i === short || i === long) continue
    byCategory.set(threadCategory[i], [...(byCategory.get(threadCategory[i]) ?? []), i])
  }
  for (const list of byCategory.values()) for (const i of random.sample(list, random.int(1, 2))) threadPinned[i] = 1
}

// Posts: opening post at the thread's creation, replies spread over the thread's active span.
const postThread = new Int32Array(P)
const postNumber = new Int32Array(P)
const postAuthor = new Int32Array(P)
const postTime = new Float64Array(P)
const postBody = new Uint16Array(P)
const postOriginal = new Int16Array(P).fill(-1) // the first version's body, for edited posts
const postEditedAt = new Float64Array(P)
const DELETED = 1
const HIDDEN_BY_FLAGS = 2
const HIDDEN_BY_MODERATOR = 4
const postState = new Uint8Array(P)
const postHiddenAt = new Float64Array(P)
const postHiddenBy = new Int32Array(P)
const postHiddenReason: (string | null)[] = new Array(P).fill(null)
const postHelpful = new Uint16Array(P)
const postOpenFlags = new Uint8Array(P)
const readUser: number[] = []
const readThread: number[] = []
const readNumber: number[] = []
const benchPostNumber = 7
{
  let j = 0
  for (let i = 0; i < T; i++) {
    const n = threadSize[i]
    const t0 = threadCreated[i]
    const room = NOW - 60_000 - t0
    // A thread stays active for a while that grows with its length; a recent one that would
    // outrun the present ends somewhere in the last stretch instead of all at one instant.
    const wanted = n * random.lognormal(Math.log(6 * HOUR), 1)
    const span = i === long ? room - HOUR : i === short ? Math.min(room, 11 * DAY) : wanted < room ? wanted : room * (0.4 + 0.6 * random.next())
    threadFirst[i] = j
    // Replies at exponential gaps, scaled to the span, so the pace varies like a conversation.
    const gaps = new Float64Array(n)
    let sum = 0
    for (let k = 1; k < n; k++) sum += gaps[k] = random.exponential(1)
    let at = t0
    const lastRead = new Map<number, number>()
    for (let k = 0; k < n; k++, j++) {
      if (k > 0) at += (gaps[k] / sum) * span
      postThread[j] = i
      postNumber[j] = k + 1
      postTime[j] = at
      const author = k === 0 ? threadAuthor[i] : i === short && k + 1 === benchPostNumber ? benchId : random.chance(0.2) ? threadAuthor[i] : activeMember(at)
      postAuthor[j] = author
      postBody[j] = Math.floor(random.next() * postPool.length)
      const special = i === short || i === long
      if (k === 0 && threadDeleted[i]) postState[j] = DELETED
      else if (k > 0 && !special && random.chance(0.005)) postState[j] = DELETED
      else if (random.chance(0.01) && !(i === short && k + 1 === benchPostNumber)) {
        postOriginal[j] = Math.floor(random.next() * postPool.length)
        postEditedAt[j] = Math.min(NOW - 1000, at + random.exponential(2 * HOUR))
      }
      lastRead.set(author, k + 1)
    }
    for (const [user, number] of lastRead) {
      readUser.push(user)
      readThread.push(i)
      readNumber.push(number)
    }
  }
  if (j !== P) throw new Error(`Planned ${j} posts instead of ${P}`)
}
const inShort = (k: number) => threadFirst[short] + k - 1 // post index of number k in the 20-post thread

// Helpful marks: about one post in eight, from members other than its author.
const helpfulPost: number[] = []
const helpfulUser: number[] = []
const helpfulAt: number[] = []
function markHelpful(j: number, user: number, at: number) {
  helpfulPost.push(j)
  helpfulUser.push(user)
  helpfulAt.push(at)
  postHelpful[j]++
}
for (let j = 0; j < P; j++) {
  if (postState[j] & DELETED || !random.chance(0.12)) continue
  const at = Math.min(NOW - 1000, postTime[j] + random.exponential(DAY))
  for (const user of distinctMembers(at, Math.min(1 + Math.floor(random.exponential(1.2)), 12), [postAuthor[j]])) markHelpful(j, user, at)
}
for (const k of [2, 5, 9]) markHelpful(inShort(k), benchId, Math.min(NOW - 1000, postTime[inShort(k)] + HOUR))

// Flags: a few posts in five hundred; three open flags hide a post until a moderator decides.
interface PlannedFlag {
  post: number
  user: number
  reason: string
  note: string | null
  status: 'open' | 'agreed' | 'disagreed'
  resolvedBy: number | null
  resolvedAt: number | null
  at: number
}
interface PlannedLog {
  actor: number | null
  action: string
  thread: number | null
  post: number | null
  caseId: number | null
  reason: string | null
  details: string | null
  at: number
}
const flags: PlannedFlag[] = []
const logs: PlannedLog[] = []
for (let j = 0; j < P; j++) {
  const i = postThread[j]
  if (postState[j] & DELETED || postNumber[j] === 1 || i === short || i === long || !random.chance(0.002)) continue
  const n = random.weighted([[1, 50], [2, 25], [3, 25]] as const)
  let at = postTime[j]
  const flaggers = distinctMembers(Math.min(NOW - 1000, at + DAY), n, [postAuthor[j]])
  const moderator = random.pick(moderatorIds)
  const resolution = random.weighted([['open', 70], ['agreed', 15], ['disagreed', 15]] as const)
  const planned: PlannedFlag[] = flaggers.map((user) => {
    at = Math.min(NOW - 2000, at + random.exponential(6 * HOUR))
    const reason = random.pick(FLAG_REASONS)
    return { post: j, user, reason, note: reason === 'other' ? 'Reads like an advertisement for a product.' : null, status: 'open', resolvedBy: null, resolvedAt: null, at }
  })
  const thread = threadBase + i
  if (planned.length >= 3) {
    postState[j] |= HIDDEN_BY_FLAGS
    postHiddenAt[j] = planned[2].at
    postHiddenReason[j] = `Flagged by ${planned.length} members`
    logs.push({ actor: null, action: 'auto-hide', thread, post: j, caseId: null, reason: null, details: `${planned.length} open flags`, at: planned[2].at })
  }
  if (resolution === 'open') {
    postOpenFlags[j] = planned.length
  } else {
    const resolvedAt = Math.min(NOW - 1000, at + random.exponential(DAY))
    for (const flag of planned) Object.assign(flag, { status: resolution, resolvedBy: moderator, resolvedAt })
    if (resolution === 'agreed') {
      postHiddenAt[j] = postHiddenAt[j] || resolvedAt
      postState[j] = (postState[j] & ~HIDDEN_BY_FLAGS) | HIDDEN_BY_MODERATOR
      postHiddenBy[j] = moderator
      postHiddenReason[j] = 'Agreed with member flags'
    } else {
      postState[j] &= ~HIDDEN_BY_FLAGS
      postHiddenAt[j] = 0
      postHiddenReason[j] = null
    }
    logs.push({ actor: moderator, action: resolution === 'agreed' ? 'flags-agreed' : 'flags-disagreed', thread, post: j, caseId: null, reason: null, details: `${planned.length} flag(s)`, at: resolvedAt })
  }
  flags.push(...planned)
}
flags.push({ post: inShort(13), user: benchId, reason: 'off-topic', note: null, status: 'open', resolvedBy: null, resolvedAt: null, at: postTime[inShort(13)] + HOUR })
postOpenFlags[inShort(13)]++

// Accepted answers: the thread's author picks a visible reply in about one thread in seven.
for (let i = 0; i < T; i++) {
  const n = threadSize[i]
  if (n < 2 || threadDeleted[i]) continue
  const choice = i === short ? 4 : i === long ? 3 : random.chance(0.15) ? random.int(2, n) : 0
  const j = threadFirst[i] + choice - 1
  if (choice && !postState[j]) threadAccepted[i] = j
}
for (let i = 0; i < T; i++) {
  if (!threadPinned[i] && !threadLocked[i]) continue
  const at = threadCreated[i] + random.exponential(DAY)
  const moderator = random.pick(moderatorIds)
  if (threadPinned[i]) logs.push({ actor: moderator, action: 'pin', thread: threadBase + i, post: null, caseId: null, reason: 'Useful to everyone in this category', details: null, at })
  if (threadLocked[i]) logs.push({ actor: moderator, action: 'lock', thread: threadBase + i, post: null, caseId: null, reason: 'The discussion has run its course', details: null, at: at + HOUR })
}

// Post ids follow creation time across all threads, as they would on a live site.
const order = new Uint32Array(P)
for (let j = 0; j < P; j++) order[j] = j
order.sort((a, b) => postTime[a] - postTime[b] || a - b)
const postBase = nextId('posts')
const postId = new Int32Array(P)
for (let r = 0; r < P; r++) postId[order[r]] = postBase + r
phase('plan', `${count(T)} threads, ${count(P)} posts, ${count(helpfulPost.length)} helpful marks, ${count(flags.length)} flags planned`)

// ---------------------------------------------------------------------------------------------
// 6. Writing threads and posts.

{
  const insertThread = raw.prepare(`insert into threads (id, category_id, author_id, title, slug, is_pinned, is_locked, is_demo,
    deleted_at, reply_count, helpful_count, last_post_number, last_posted_at, accepted_post_id, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertTag = raw.prepare('insert into thread_tags (thread_id, term_id) values (?, ?)')
  let tags = 0
  inBatches(T, (i) => {
    const first = threadFirst[i]
    const n = threadSize[i]
    let replies = 0
    let helpful = 0
    for (let j = first; j < first + n; j++) {
      if (j > first && !(postState[j] & DELETED)) replies++
      helpful += postHelpful[j]
    }
    const lastAt = postTime[first + n - 1]
    const deletedAt = threadDeleted[i] ? iso(Math.min(NOW - 1000, threadCreated[i] + HOUR)) : null
    insertThread.run(
      threadBase + i,
      threadCategory[i],
      threadAuthor[i],
      threadTitle[i],
      slugify(threadTitle[i]),
      threadPinned[i],
      threadLocked[i],
      deletedAt,
      replies,
      helpful,
      n,
      iso(lastAt),
      threadAccepted[i] >= 0 ? postId[threadAccepted[i]] : null,
      iso(threadCreated[i]),
      deletedAt ?? iso(lastAt),
    )
    for (const term of threadTags[i]) {
      insertTag.run(threadBase + i, term)
      tags++
    }
  })
  phase('threads', `${count(T)} threads, ${count(tags)} tags`)
}

{
  const insertPost = raw.prepare(`insert into posts (id, thread_id, author_id, number, body_md, body_html, is_deleted, hidden_at,
    hidden_by_id, hidden_reason, helpful_count, open_flag_count, edited_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertRevision = raw.prepare('insert into post_revisions (post_id, editor_id, body_md, body_html, created_at) values (?, ?, ?, ?, ?)')
  const insertMention = raw.prepare('insert into post_mentions (post_id, user_id, created_at) values (?, ?, ?)')
  const allRevisions = args.revisions === 'all'
  let revisions = 0
  let mentions = 0
  let reported = 0
  const postsStarted = performance.now()
  inBatches(P, (r) => {
    const j = order[r]
    const body = postPool[postBody[j]]
    const createdAt = iso(postTime[j])
    const state = postState[j]
    insertPost.run(
      postId[j],
      threadBase + postThread[j],
      postAuthor[j],
      postNumber[j],
      body.md,
      body.html,
      state & DELETED ? 1 : 0,
      postHiddenAt[j] ? iso(postHiddenAt[j]) : null,
      state & HIDDEN_BY_MODERATOR ? postHiddenBy[j] : null,
      postHiddenReason[j],
      postHelpful[j],
      postOpenFlags[j],
      postEditedAt[j] ? iso(postEditedAt[j]) : null,
      createdAt,
    )
    // Every post keeps its versions: the first when written, one more per edit.
    if (postOriginal[j] >= 0) {
      const original = postPool[postOriginal[j]]
      insertRevision.run(postId[j], postAuthor[j], original.md, original.html, createdAt)
      insertRevision.run(postId[j], postAuthor[j], body.md, body.html, iso(postEditedAt[j]))
      revisions += 2
    } else if (allRevisions) {
      insertRevision.run(postId[j], postAuthor[j], body.md, body.html, createdAt)
      revisions++
    }
    for (const user of body.mentions) {
      insertMention.run(postId[j], user, createdAt)
      mentions++
    }
    if (r + 1 - reported >= 250_000 && r + 1 < P) {
      reported = r + 1
      const rate = Math.round(reported / ((performance.now() - postsStarted) / 1000))
      phase('posts', `${count(reported)} of ${count(P)} (${count(rate)} a second)`)
    }
  })
  phase('posts', `${count(P)} posts, ${count(revisions)} revisions, ${count(mentions)} mentions`)
}

{
  const insertRead = raw.prepare('insert into thread_reads (user_id, thread_id, last_read_number) values (?, ?, ?)')
  inBatches(readUser.length, (k) => insertRead.run(readUser[k], threadBase + readThread[k], readNumber[k]), 20_000)
  // The bench member read the 20-post thread up to post 12 (they wrote post 7).
  raw.prepare('update thread_reads set last_read_number = 12 where user_id = ? and thread_id = ?').run(benchId, threadBase + short)

  const insertHelpful = raw.prepare('insert into post_helpful (post_id, user_id, created_at) values (?, ?, ?)')
  inBatches(helpfulPost.length, (k) => insertHelpful.run(postId[helpfulPost[k]], helpfulUser[k], iso(helpfulAt[k])), 20_000)

  const insertFlag = raw.prepare(`insert into flags (post_id, user_id, reason, note, status, resolved_by_id, resolved_at, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?)`)
  inBatches(flags.length, (k) => {
    const f = flags[k]
    insertFlag.run(postId[f.post], f.user, f.reason, f.note, f.status, f.resolvedBy, f.resolvedAt ? iso(f.resolvedAt) : null, iso(f.at))
  })
  phase('discussion activity', `${count(readUser.length)} read markers, ${count(helpfulPost.length)} helpful marks, ${count(flags.length)} flags`)
}

// ---------------------------------------------------------------------------------------------
// 7. Cases, with their failure modes, phases, reactions, history and search index rows.

{
  const insertCase = raw.prepare(`insert into cases (id, slug, status, author_id, is_anonymous, title, summary, level, domain, outcome,
    jurisdiction, budget_band, contract_model, years, outcome_detail, what_happened_md, what_happened_html, root_causes_json,
    lessons_json, recommendations_json, corrective_actions_json, sources_json, first_hand, review_feedback, draft_json,
    helpful_count, seen_count, thread_id, submitted_at, published_at, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertMode = raw.prepare('insert into case_failure_modes (case_id, term_id, is_primary, how) values (?, ?, ?, ?)')
  const insertPhase = raw.prepare('insert into case_phases (case_id, term_id) values (?, ?)')
  const insertReaction = raw.prepare('insert into case_reactions (case_id, user_id, kind, created_at) values (?, ?, ?, ?)')
  const insertRevision = raw.prepare('insert into case_revisions (case_id, editor_id, snapshot_json, note, created_at) values (?, ?, ?, ?, ?)')
  // The same reads and composition as syncSearchIndex in app/models/case.server.ts (not exported).
  const readIndexed = raw.prepare(`select status, title, summary, jurisdiction, contract_model, outcome_detail, what_happened_md,
    root_causes_json, lessons_json, recommendations_json, corrective_actions_json, sources_json from cases where id = ?`)
  const readModes = raw.prepare(`select taxonomy_terms.name, case_failure_modes.how from case_failure_modes
    inner join taxonomy_terms on taxonomy_terms.id = case_failure_modes.term_id where case_id = ?`)
  const deleteIndexed = raw.prepare('delete from cases_fts where rowid = ?')
  const insertIndexed = raw.prepare('insert into cases_fts (rowid, title, summary, body) values (?, ?, ?, ?)')
  function syncSearchIndex(caseId: number) {
    deleteIndexed.run(caseId)
    const row = readIndexed.get(caseId) as (CaseSearchSource & { status: string; title: string; summary: string }) | undefined
    if (row?.status !== 'published') return
    const modes = readModes.all(caseId) as { name: string; how: string }[]
    const body = caseSearchBody(row, modes)
    insertIndexed.run(caseId, row.title, row.summary, body)
  }

  let reactions = 0
  let revisions = 0
  inBatches(plannedCases.length, (index) => {
    const c = plannedCases[index]
    const content = c.content
    const published = c.status === 'published'
    const draft = c.status === 'draft'
    const submittedAt = draft ? null : iso(Math.min(c.publishedAt, c.createdAt + DAY))
    const helpfulBy = published ? distinctMembers(NOW, Math.min(60, Math.floor(random.lognormal(Math.log(3), 1))), [c.authorId]) : []
    const seenBy = published ? distinctMembers(NOW, Math.min(80, Math.floor(random.lognormal(Math.log(2), 1.1))), [c.authorId]) : []
    const edited = published && random.chance(0.05)
    const updatedAt = edited ? Math.min(NOW - 1000, c.publishedAt + random.exponential(30 * DAY)) : published ? c.publishedAt : c.createdAt + DAY
    const json = (value: unknown) => (draft ? '[]' : JSON.stringify(value))
    insertCase.run(
      c.id,
      c.slug,
      c.status,
      c.authorId,
      content.isAnonymous ? 1 : 0,
      content.title,
      content.summary,
      content.level,
      content.domain,
      content.outcome,
      content.jurisdiction,
      content.budgetBand,
      content.contractModel,
      content.years,
      content.outcomeDetail,
      content.whatHappened,
      draft ? '' : narrativePool[c.narrative].html,
      json(content.rootCauses),
      json(content.lessons),
      json(content.recommendations),
      json(content.correctiveActions),
      json(content.sources),
      content.firstHand ? 1 : 0,
      c.status === 'returned' ? 'Please add a source for the cost figures and say which phase the data problems appeared in.' : null,
      published ? null : JSON.stringify(contentToCaseForm(content)),
      helpfulBy.length,
      seenBy.length,
      c.threadId,
      submittedAt,
      published ? iso(c.publishedAt) : null,
      iso(c.createdAt),
      iso(updatedAt),
    )
    if (!draft) {
      for (const m of c.modes) insertMode.run(c.id, m.termId, m.isPrimary ? 1 : 0, m.how)
      for (const p of c.phaseIds) insertPhase.run(c.id, p)
    }
    const reactedAt = (k: number) => iso(Math.min(NOW - 1000, c.publishedAt + (k + 1) * random.exponential(5 * DAY)))
    helpfulBy.forEach((user, k) => insertReaction.run(c.id, user, 'helpful', reactedAt(k)))
    seenBy.forEach((user, k) => insertReaction.run(c.id, user, 'seen', reactedAt(k)))
    reactions += helpfulBy.length + seenBy.length
    if (edited) {
      // The version before the edit, in the snapshot shape snapshotRevision writes.
      const snapshot = {
        title: content.title,
        summary: `${content.summary.slice(0, 300)} (first version)`,
        level: content.level,
        domain: content.domain,
        outcome: content.outcome,
        jurisdiction: content.jurisdiction,
        budget_band: content.budgetBand,
        contract_model: content.contractModel,
        years: content.years,
        outcome_detail: content.outcomeDetail,
        what_happened_md: content.whatHappened,
        root_causes_json: JSON.stringify(content.rootCauses),
        lessons_json: JSON.stringify(content.lessons),
        recommendations_json: JSON.stringify(content.recommendations),
        corrective_actions_json: JSON.stringify(content.correctiveActions),
        sources_json: JSON.stringify(content.sources),
        failure_modes: c.modes.map((m) => ({ slug: failureModes.find((t) => t.id === m.termId)!.slug, how: m.how, is_primary: m.isPrimary ? 1 : 0 })),
        phases: content.phases,
      }
      insertRevision.run(c.id, c.authorId, JSON.stringify(snapshot), 'Clarified the summary', iso(updatedAt))
      revisions++
    }
    if (published) {
      logs.push({ actor: random.pick(moderatorIds), action: 'case-publish', thread: null, post: null, caseId: c.id, reason: null, details: null, at: c.publishedAt })
      syncSearchIndex(c.id)
    } else if (c.status === 'returned') {
      logs.push({ actor: random.pick(moderatorIds), action: 'case-return', thread: null, post: null, caseId: c.id, reason: 'Needs sources', details: null, at: updatedAt })
    }
  }, 2_000)
  // The label publishCase fixes at publication, from each author's profile.
  const authors = raw.prepare("select distinct u.id, u.member_type, u.government_level from users u join cases c on c.author_id = u.id where c.status = 'published'").all() as { id: number; member_type: string; government_level: string }[]
  const setLabel = raw.prepare("update cases set anonymous_label = ? where author_id = ? and status = 'published'")
  for (const author of authors) setLabel.run(anonymousLabelOf(author), author.id)
  const anonymous = publishedCases.filter((c) => c.content.isAnonymous).length
  phase(
    'cases',
    `${count(publishedCases.length)} published (${count(anonymous)} anonymous, ${count(publishedCases.filter((c) => c.threadId).length)} with discussions), ${count(plannedCases.length - publishedCases.length)} drafts/submitted/returned, ${count(reactions)} reactions, ${count(revisions)} revisions`,
  )
}

{
  const insertLog = raw.prepare(`insert into moderation_log (actor_id, action, thread_id, post_id, case_id, reason, details, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?)`)
  logs.sort((a, b) => a.at - b.at)
  inBatches(logs.length, (k) => {
    const l = logs[k]
    insertLog.run(l.actor, l.action, l.thread, l.post === null ? null : postId[l.post], l.caseId, l.reason, l.details, iso(l.at))
  })
  phase('moderation log', `${count(logs.length)} entries`)
}

// ---------------------------------------------------------------------------------------------
// 8. Events over the past two years and the coming one, and their RSVPs.

interface PlannedEvent {
  id: number
  title: string
  kind: keyof typeof EVENT_KINDS
  format: (typeof EVENT_FORMATS)[number]
  zone: string
  startsAt: number
  endsAt: number
  createdAt: number
  status: 'draft' | 'published' | 'cancelled'
  capacity: number | null
  deadline: number | null
  description: number
  recap: number | null
  sequence: number
  themes: number[]
  createdBy: number
  going: number
  waitlisted: number
  interested: number
}
const eventBase = nextId('events')
const kinds = Object.keys(EVENT_KINDS) as (keyof typeof EVENT_KINDS)[]
const DURATION_MINUTES: Record<string, number> = { roundtable: 90, webinar: 60, 'site-visit': 240, 'peer-cohort': 120, workshop: 180 }
function localStart(atMs: number, zone: string): number {
  // A wall-clock time on that day in the event's own zone, as an organizer would enter it.
  const day = new Date(atMs).toISOString().slice(0, 10)
  const hour = String(random.pick([9, 10, 11, 13, 14, 15])).padStart(2, '0')
  return Date.parse(zonedToUtc(`${day}T${hour}:${random.pick(['00', '30'])}`, zone) ?? new Date(atMs).toISOString())
}
const plannedEvents: PlannedEvent[] = Array.from({ length: scale.events }, () => {
  const future = random.chance(0.45)
  const zone = random.pick(text.TIME_ZONES)
  const kind = random.pick(kinds)
  const startsAt = localStart(future ? NOW + 2 * DAY + random.next() * (YEAR - 2 * DAY) : NOW - 2 * YEAR + random.next() * (2 * YEAR - 2 * DAY), zone)
  const status = future ? random.weighted([['published', 91], ['draft', 5], ['cancelled', 4]] as const) : random.weighted([['published', 97], ['cancelled', 3]] as const)
  const capacity = random.chance(0.3) ? null : random.pick([20, 30, 40, 50, 75, 100, 150, 200, 300, 500])
  return {
    id: 0,
    title: text.eventTitle(random, EVENT_KINDS[kind]),
    kind,
    format: random.weighted([['in-person', 35], ['virtual', 45], ['hybrid', 20]] as const),
    zone,
    startsAt,
    endsAt: startsAt + DURATION_MINUTES[kind] * 60_000,
    // Announced two weeks to three months ahead; far-off ones were announced lately.
    createdAt: Math.min(startsAt - random.int(14, 90) * DAY, NOW - random.int(1, 60) * DAY),
    status,
    capacity,
    deadline: random.chance(0.3) ? startsAt - 2 * DAY : null,
    description: random.int(0, eventPool.length - 1),
    recap: !future && status === 'published' && random.chance(0.5) ? random.int(0, recapPool.length - 1) : null,
    sequence: status === 'draft' ? 0 : random.int(1, 3),
    themes: random.sample(failureModes, random.int(1, 3)).map((t) => t.id),
    createdBy: random.chance(0.3) ? adminId : random.pick(moderatorIds),
    going: 0,
    waitlisted: 0,
    interested: 0,
  }
})
// The RSVP benchmark's event: published, a year out, no capacity or deadline, so every answer is accepted.
const rsvpTarget = plannedEvents.find((e) => e.startsAt > NOW && e.status === 'published') ?? plannedEvents[0]
Object.assign(rsvpTarget, {
  title: `Webinar: Planning a ${text.SEARCH_WORD} you can roll back`,
  kind: 'webinar',
  format: 'virtual',
  zone: 'America/New_York',
  status: 'published',
  capacity: null,
  deadline: null,
})
// Every scale shows a draft and a cancelled event, however few events it has.
for (const status of ['draft', 'cancelled'] as const) {
  if (plannedEvents.some((e) => e.status === status)) continue
  const candidate = plannedEvents.find((e) => e !== rsvpTarget && e.status === 'published' && (status === 'cancelled' || e.startsAt > NOW))
  if (candidate) Object.assign(candidate, { status, recap: null, sequence: status === 'draft' ? 0 : candidate.sequence })
}
rsvpTarget.startsAt = localStart(NOW + YEAR, rsvpTarget.zone)
rsvpTarget.endsAt = rsvpTarget.startsAt + 60 * 60_000
rsvpTarget.createdAt = NOW - 5 * DAY
plannedEvents.sort((a, b) => a.createdAt - b.createdAt)
plannedEvents.forEach((e, index) => (e.id = eventBase + index))

interface PlannedRsvp {
  event: number
  user: number
  status: 'going' | 'waitlisted' | 'interested' | 'not-going'
  ticket: number | null
  at: number
}
const rsvps: PlannedRsvp[] = []
{
  const open = plannedEvents.filter((e) => e.status !== 'draft' && e !== rsvpTarget)
  const closesAt = (e: PlannedEvent) => Math.min(NOW - 1000, e.deadline ?? e.startsAt, e.startsAt)
  // At most the members who had joined before RSVPs closed, and no event beyond 3,000 answers.
  const caps = open.map((e) => Math.min(3_000, countBelow(poolJoin, closesAt(e))))
  const weights = open.map(() => random.lognormal(0, 0.8))
  const total = weights.reduce((a, b) => a + b, 0)
  const wanted = scale.rsvps - 1 // the bench member's own answer is added below
  const sizes = weights.map((w, e) => Math.min(caps[e], Math.floor((wanted * w) / total)))
  let left = wanted - sizes.reduce((a, b) => a + b, 0)
  while (left > 0) {
    const before = left
    for (let e = 0; e < open.length && left > 0; e++) {
      if (sizes[e] < caps[e]) {
        sizes[e]++
        left--
      }
    }
    if (left === before) throw new Error(`Only ${wanted - left} RSVPs fit the members and events of this scale`)
  }
  open.forEach((event, e) => {
    const closes = closesAt(event)
    const users = distinctMembers(closes, sizes[e])
    if (users.length !== sizes[e]) throw new Error(`Planned ${sizes[e]} RSVPs for an event but found ${users.length} members`)
    const times = users.map(() => event.createdAt + random.next() * Math.max(HOUR, closes - event.createdAt)).sort((a, b) => a - b)
    let ticket = 0
    users.forEach((user, k) => {
      const answer = random.weighted([['going', 65], ['interested', 25], ['not-going', 10]] as const)
      let status: PlannedRsvp['status'] = answer
      let waitTicket: number | null = null
      if (answer === 'going' && event.capacity !== null && event.going >= event.capacity) {
        status = 'waitlisted'
        waitTicket = ++ticket
      }
      if (status === 'going') event.going++
      else if (status === 'waitlisted') event.waitlisted++
      else if (status === 'interested') event.interested++
      rsvps.push({ event: event.id, user, status, ticket: waitTicket, at: times[k] })
    })
  })
}
// The event page the benchmark reads: upcoming, with a capacity and the most answers.
const eventPage =
  plannedEvents
    .filter((e) => e.status === 'published' && e.startsAt > NOW + 30 * DAY && e.capacity !== null && e !== rsvpTarget)
    .sort((a, b) => b.going + b.waitlisted + b.interested - (a.going + a.waitlisted + a.interested))[0] ?? rsvpTarget
rsvps.push({ event: eventPage.id, user: benchId, status: 'interested', ticket: null, at: NOW - DAY })
eventPage.interested++

{
  const insertEvent = raw.prepare(`insert into events (id, slug, title, kind, description_md, description_html, starts_at, ends_at,
    time_zone, format, venue, address, join_url, capacity, rsvp_deadline, hosts, speakers, status, recap_md, recap_html,
    recap_links_json, sequence, going_count, waitlist_count, interested_count, created_by_id, is_demo, cancelled_at, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`)
  const insertTheme = raw.prepare('insert into event_themes (event_id, term_id) values (?, ?)')
  inBatches(plannedEvents.length, (k) => {
    const e = plannedEvents[k]
    const [venue, address] = random.pick(text.VENUES)
    const description = eventPool[e.description]
    const recap = e.recap === null ? null : recapPool[e.recap]
    const cancelledAt = e.status === 'cancelled' ? Math.min(NOW - 1000, e.startsAt - DAY) : null
    insertEvent.run(
      e.id,
      slugify(e.title, 70, 'event'),
      e.title,
      e.kind,
      description.md,
      description.html,
      iso(e.startsAt),
      iso(e.endsAt),
      e.zone,
      e.format,
      e.format === 'virtual' ? null : venue,
      e.format === 'virtual' ? null : address,
      e.format === 'in-person' ? null : `https://meet.example.org/${slugify(e.title, 40, 'event')}`,
      e.capacity,
      e.deadline === null ? null : iso(e.deadline),
      random.pick(text.HOSTS),
      random.chance(0.7) ? `${text.capitalize(random.pick(text.FIRST_NAMES))} ${text.capitalize(random.pick(text.LAST_NAMES))}` : '',
      e.status,
      recap?.md ?? null,
      recap?.html ?? null,
      recap && random.chance(0.5) ? JSON.stringify([{ label: 'Slides', url: 'https://www.example.org/slides/recap.pdf' }]) : '[]',
      e.sequence,
      e.going,
      e.waitlisted,
      e.interested,
      e.createdBy,
      cancelledAt === null ? null : iso(cancelledAt),
      iso(e.createdAt),
      iso(cancelledAt ?? e.createdAt + HOUR),
    )
    for (const term of e.themes) insertTheme.run(e.id, term)
  })
  const insertRsvp = raw.prepare('insert into rsvps (event_id, user_id, status, waitlist_ticket, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
  inBatches(rsvps.length, (k) => {
    const r = rsvps[k]
    insertRsvp.run(r.event, r.user, r.status, r.ticket, iso(r.at), iso(r.at))
  }, 20_000)
  const future = plannedEvents.filter((e) => e.startsAt > NOW).length
  phase('events', `${count(plannedEvents.length)} events (${count(future)} upcoming, ${plannedEvents.filter((e) => e.status === 'draft').length} drafts, ${plannedEvents.filter((e) => e.status === 'cancelled').length} cancelled), ${count(rsvps.length)} RSVPs`)
}

// ---------------------------------------------------------------------------------------------
// 9. Sessions: some members signed in lately, and the benchmark's member for years to come.

const benchToken = generateSessionToken()
{
  const insertSession = raw.prepare('insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)')
  raw.exec('begin')
  insertSession.run(sessionIdFromToken(benchToken), benchId, iso(NOW + 10 * YEAR), iso(NOW))
  for (const user of distinctMembers(NOW, scale.sessions - 1)) {
    const created = NOW - random.next() * 14 * DAY
    insertSession.run(sessionIdFromToken(generateSessionToken()), user, iso(created + 30 * DAY), iso(created))
  }
  raw.exec('commit')
  phase('sessions', `${scale.sessions}`)
}

// ---------------------------------------------------------------------------------------------
// 9b. The reply benchmark (issue #11): two comparable threads, one watched by FIXTURE_WATCHERS
// members and one by nobody, and a pool of signed-in members to post the replies. Written last,
// so the random draws above (and the data they make) are the same as before this was added.

const isRegularThread = (i: number) =>
  i !== short && i !== long && threadCase[i] < 0 && !threadLocked[i] && !threadDeleted[i] && !threadPinned[i]
// Recent threads of ordinary length in one category, so the two differ only in their watchers.
let watchedThread = -1
let unwatchedThread = -1
for (let i = T - 1; i >= 0 && unwatchedThread < 0; i--) {
  if (!isRegularThread(i) || threadSize[i] < 5 || threadSize[i] > 30 || threadCreated[i] > NOW - 2 * DAY) continue
  if (watchedThread < 0) watchedThread = i
  else if (threadCategory[i] === threadCategory[watchedThread] && Math.abs(threadSize[i] - threadSize[watchedThread]) <= 5) unwatchedThread = i
}
if (watchedThread < 0 || unwatchedThread < 0) throw new Error('Found no pair of comparable threads for the reply benchmark')
const watchers = distinctMembers(threadCreated[watchedThread], FIXTURE_WATCHERS)
if (watchers.length !== FIXTURE_WATCHERS) {
  throw new Error(`Only ${watchers.length} members had joined when the watched thread started; ${FIXTURE_WATCHERS} are needed`)
}
const replyPosters = distinctMembers(NOW - DAY, REPLY_MEMBER_POOL)
if (replyPosters.length !== REPLY_MEMBER_POOL) throw new Error(`Only ${replyPosters.length} members to post replies; ${REPLY_MEMBER_POOL} are needed`)
const replyTokens: string[] = []
{
  const insertFollow = raw.prepare(`insert into follows (user_id, target_type, target_id, level, created_at, updated_at)
    values (?, 'thread', ?, 'watching', ?, ?)`)
  const startedAt = threadCreated[watchedThread]
  inBatches(watchers.length, (k) => {
    const at = iso(startedAt + random.next() * (NOW - HOUR - startedAt))
    insertFollow.run(watchers[k], threadBase + watchedThread, at, at)
  })
  // Ten-year sessions like the bench member's: a reused file's cookies stay signed in, and
  // their expiry never slides (which would add a session write to every measured reply).
  const insertSession = raw.prepare('insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)')
  inBatches(replyPosters.length, (k) => {
    const token = generateSessionToken()
    replyTokens.push(token)
    insertSession.run(sessionIdFromToken(token), replyPosters[k], iso(NOW + 10 * YEAR), iso(NOW))
  })
}
// Ordinary replies, without the search benchmark's word: every run adds its replies to the
// file, and they must not change what the search target finds next time.
const replyBodies: string[] = []
while (replyBodies.length < 40) {
  const body = text.postMarkdown(random, { min: 200, max: 900 })
  if (!body.toLowerCase().includes(text.SEARCH_WORD)) replyBodies.push(body)
}
phase(
  'reply benchmark',
  `thread ${threadBase + watchedThread} watched by ${count(watchers.length)} members, thread ${threadBase + unwatchedThread} by none; ${count(replyPosters.length)} members signed in to post`,
)

// ---------------------------------------------------------------------------------------------
// 10. Consistency checks on what was written, statistics for the planner, and a compact file.

if (!args['skip-verify']) {
  const checks: [string, string][] = [
    // One pass over posts in storage order (NOT INDEXED): following the (thread_id, number)
    // index instead would read a million rows in random order.
    ['threads whose reply_count, helpful_count, last_post_number or last_posted_at disagree with their posts', `
      select count(*) as n from threads t join (
        select thread_id, sum(number > 1 and is_deleted = 0) as replies, max(number) as last, count(*) as posts,
          max(created_at) as last_at, sum(helpful_count) as helpful
        from posts not indexed group by thread_id) p on p.thread_id = t.id
      where t.reply_count != p.replies or t.last_post_number != p.last or p.posts != p.last or t.last_posted_at != p.last_at
        or t.helpful_count != p.helpful`],
    ['posts whose helpful_count disagrees with post_helpful', `
      select count(*) as n from posts p left join (select post_id, count(*) as h from post_helpful group by post_id) m on m.post_id = p.id
      where p.helpful_count != coalesce(m.h, 0)`],
    ['posts whose open_flag_count disagrees with open flags', `
      select count(*) as n from posts p left join (select post_id, count(*) as f from flags where status = 'open' group by post_id) f
      on f.post_id = p.id where p.open_flag_count != coalesce(f.f, 0)`],
    ['events whose counts disagree with their RSVPs', `
      select count(*) as n from events e where
        going_count != (select count(*) from rsvps where event_id = e.id and status = 'going')
        or waitlist_count != (select count(*) from rsvps where event_id = e.id and status = 'waitlisted')
        or interested_count != (select count(*) from rsvps where event_id = e.id and status = 'interested')
        or (capacity is not null and going_count > capacity)`],
    ['cases whose reaction counts disagree with case_reactions', `
      select count(*) as n from cases c where
        helpful_count != (select count(*) from case_reactions where case_id = c.id and kind = 'helpful')
        or seen_count != (select count(*) from case_reactions where case_id = c.id and kind = 'seen')`],
    ['published cases missing from cases_fts (or unpublished ones in it)', `
      select (select count(*) from cases where status = 'published') - (select count(*) from cases_fts)
        + (select count(*) from cases_fts f left join cases c on c.id = f.rowid where c.status is not 'published') as n`],
    ['thread follows whose thread does not exist', `
      select count(*) as n from follows f left join threads t on t.id = f.target_id where f.target_type = 'thread' and t.id is null`],
    ['watchers of the reply benchmark threads other than planned', `
      select abs((select count(*) from follows where target_type = 'thread' and target_id = ${threadBase + watchedThread} and level = 'watching') - ${FIXTURE_WATCHERS})
        + (select count(*) from follows where target_type = 'thread' and target_id = ${threadBase + unwatchedThread}) as n`],
    ['accepted answers that are not a visible reply of their thread', `
      select count(*) as n from threads t join posts p on p.id = t.accepted_post_id
      where p.thread_id != t.id or p.number = 1 or p.is_deleted = 1 or p.hidden_at is not null`],
  ]
  const problems: [string, number][] = []
  for (const [label, query] of checks) {
    const { n } = raw.prepare(query).get() as { n: number }
    if (n !== 0) problems.push([label, n])
  }
  if (problems.length) {
    for (const [label, n] of problems) console.error(`  ${n} ${label}`)
    throw new Error('The generated data is inconsistent (see above)')
  }
  phase('verify', `${checks.length} consistency checks passed (foreign keys were enforced while writing)`)
}

raw.exec('analyze')
raw.pragma('wal_checkpoint(TRUNCATE)')
phase('analyze and checkpoint', 'done')

// ---------------------------------------------------------------------------------------------
// 11. The fixtures the benchmark drives.

const threadPath = (i: number) => `/discussions/${threadBase + i}/${slugify(threadTitle[i])}`
// The two-facet library page uses the failure mode and level that share the most cases, so the
// small data shows as full a page as it can and both scales render pages of similar weight.
const pairCounts = new Map<string, number>()
for (const c of publishedCases) {
  for (const m of c.modes) {
    const pair = `${m.termId} ${c.content.level}`
    pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + 1)
  }
}
const [topModeId, twoFacetLevel] = [...pairCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0].split(' ')
const commonMode = failureModes.find((t) => t.id === Number(topModeId))!
// A case with a typical discussion (8 to 15 posts), so the page weighs the same at both scales.
const discussed = publishedCases.filter((c) => c.threadId && !c.content.isAnonymous)
const casePage =
  discussed.filter((c) => threadSize[c.threadId! - threadBase] >= 8 && threadSize[c.threadId! - threadBase] <= 15).at(-1) ??
  discussed.at(-1) ??
  publishedCases.at(-1)!
const rsvpPath = `/events/${rsvpTarget.id}/${slugify(rsvpTarget.title, 70, 'event')}`
const cookieHeader = async (token: string) => (await sessionCookie.serialize(token)).split(';')[0]
const cookie = await cookieHeader(benchToken)
const replyMemberCookies = await Promise.all(replyTokens.map(cookieHeader))

const counts: Record<string, number> = {}
for (const table of ['users', 'threads', 'posts', 'post_revisions', 'post_helpful', 'flags', 'thread_reads', 'cases', 'cases_fts', 'events', 'rsvps', 'sessions', 'follows']) {
  counts[table] = (raw.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
}
raw.close()

const fixtures: Fixtures = {
  generator: {
    version: GENERATOR_VERSION,
    scale: scaleName,
    seed: seedNumber,
    generatedAt: new Date(NOW).toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    migrations: Object.keys(migrations),
    counts,
  },
  member: { id: benchId, handle: benchHandle, email: benchEmail, password: benchPassword, sessionToken: benchToken, cookie },
  urls: {
    thread20: threadPath(short),
    thread5kLastPage: `${threadPath(long)}?page=${pageOfPost(FIXTURE_THREAD_SIZES.long)}`,
    caseLibraryTwoFacets: `/cases?${new URLSearchParams([['mode', commonMode.slug], ['level', twoFacetLevel]])}`,
    casePage: `/cases/${casePage.slug}`,
    eventPage: `/events/${eventPage.id}/${slugify(eventPage.title, 70, 'event')}`,
    search: `/search?${new URLSearchParams({ q: text.SEARCH_WORD })}`,
  },
  rsvp: { eventId: rsvpTarget.id, path: rsvpPath, intents: ['going', 'interested'] },
  replies: {
    watched: { threadId: threadBase + watchedThread, path: threadPath(watchedThread), watchers: watchers.length },
    unwatched: { threadId: threadBase + unwatchedThread, path: threadPath(unwatchedThread), watchers: 0 },
    memberCookies: replyMemberCookies,
    bodies: replyBodies,
  },
  searchQuery: text.SEARCH_WORD,
}
writeFileSync(`${out}.fixtures.json`, `${JSON.stringify(fixtures, null, 2)}\n`)
const megabytes = (statSync(out).size / 1024 / 1024).toFixed(0)
phase('done', `${out} (${megabytes} MB), fixtures in ${out}.fixtures.json`)

if (args.to) {
  const { copySqliteToPostgres } = await import('./copy')
  const { tables } = await copySqliteToPostgres(out, args.to)
  const rows = tables.reduce((sum, table) => sum + table.rows, 0)
  phase('copy to PostgreSQL', `${count(rows)} rows in ${tables.length} tables, every table counted and read back identical`)
}
