/**
 * `npm run bench` (issues #7 and #14): builds the app, generates (or reuses) the small and large
 * synthetic databases, serves each with the production server, and drives it with autocannon
 * over loopback: the pages members use most one URL at a time (what the page cache answers),
 * and the real mix (issue #14): 300 members reading 6,000 threads, anonymous readers across
 * them, 20 hot threads read while replies arrive, random case-library filters and search
 * words. Every target that can be is measured twice, with the page cache on ("cached") and off
 * ("uncached", PAGE_CACHE_TTL_MS=0), and reports the server's CPU time per page (all its
 * processes: WEB_CONCURRENCY workers too) and its peak memory per process. Exits with 1 when
 * a budget below is missed.
 *
 *   npm run bench -- [--scale small|large|both] [--database sqlite|postgres] [--app-servers N] [--quick] [--targets a,b]
 *                    [--modes cached,uncached] [--duration S] [--warmup S] [--connections N] [--skip-build] [--regenerate]
 *
 * Every option has an environment variable as well (the command line wins):
 *   BENCH_SCALES=small,large   --scale (both = small,large)
 *   BENCH_DATABASE=sqlite      --database: postgres copies each generated file into a fresh
 *                              PostgreSQL database (db:copy) and serves that (DATABASE_URL)
 *   BENCH_POSTGRES_URL=...     a role that may create databases (default: the tests' local one)
 *   BENCH_APP_SERVERS=1        --app-servers: N app servers (one process each unless WEB_CONCURRENCY
 *                              is set) behind nginx, measured together (tests/bench/app-servers.ts)
 *   BENCH_DURATION=6           seconds measured per target; --quick makes it 3 (warm-up 1)
 *   BENCH_WARMUP=2             seconds of warm-up per target, not measured
 *   BENCH_CONNECTIONS=50       concurrent connections
 *   BENCH_TARGETS=...          only these targets (names as printed by --help)
 *   BENCH_MODES=cached,uncached
 *   BENCH_SKIP_BUILD=1         serve the existing build/
 *   BENCH_REGENERATE=1         regenerate the databases even when they can be reused
 *   BENCH_PORT=4100            first of the ports used (base+1 to base+4 the servers, base+9 bare)
 *   BENCH_CPU_PROF=/tmp/prof   run the app server with --cpu-prof, writing profiles there
 *   BENCH_DRAIN_TIMEOUT=600    seconds to wait for the notification fan-out after a write target
 * WEB_CONCURRENCY and JOBS_IN_SERVER are handed to the server as they are.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { type Fixtures, GENERATOR_VERSION, type ScaleName, SCALES } from '../../db/generate/scales'
import { Random } from '../../db/generate/random'
import { migrations } from '../../db/migrations/index'
import { type LoadSettings, measure, type Measurement, type Mode, type Observer, openObserver, running, type RunningServer, type Sent, type Server, sleep, type Target } from './load'
import { sampleTreeRss, TICKS_PER_SECOND } from './process-tree'
import { budgetScale, round, type Verdict, verdict } from './stats'
import {
  HOT_THREADS,
  randomCaseLibraryUrls,
  randomSearchUrls,
  READING_MEMBERS,
  readingMemberCookies,
  REPLIES_PER_SECOND,
  selectThreads,
  type ThreadSelection,
} from './workloads'

/** The performance budgets of issues #7, #11 and #14, judged on the large database. */
export const BUDGETS = {
  /** Each anonymous one-URL read's requests/s (cached) as a share of the bare node:http server's. */
  anonymousReadMinShareOfBare: 0.25,
  /** p99 of the 20-post thread for one signed-in member, cached. */
  signedInThreadP99Ms: 100,
  /** p99 of the case library with two facets, the search, and the last page of the 5,000-reply thread, cached. */
  heavyReadP99Ms: 100,
  /** Every one-URL target's requests/s on large as a share of the same target on small (cached). */
  largeVsSmallMinRatio: 0.8,
  /** Peak resident memory of any one server process (VmHWM), and under the read and write mixes. */
  peakRssMb: 300,
  /** Responses other than 2xx on read targets (a 3xx counts as a failure for a read). */
  readNon2xx: 0,
  /** Issue #11: the watched thread's reply p99 as a multiple of the unwatched one's, on every scale. */
  watchedReplyMaxP99Ratio: 1.5,
  /** Replies refused (4xx/5xx), failed, or redirected anywhere but to the new post. */
  replyFailures: 0,
  /** Issue #14: 300 members reading 6,000 threads (cached column: the server as deployed). */
  membersThreadsMinReqPerSec: 500,
  membersThreadsP99Ms: 250,
  /** Issue #14: anonymous readers across 6,000 threads (cached column). */
  anonymousThreadsMinReqPerSec: 600,
  /** Issue #14: the hot threads' reads while replies arrive, as a share of the same reads alone. */
  hotReadsWithWritesMinShare: 0.5,
  /** Issue #14: p99 of the replies written during the hot-thread reads. */
  hotWritesP99Ms: 1_000,
  /** Issue #14: random case-library filters and random search words, uncached. */
  randomHeavyReadP99Ms: 250,
  /** Issue #14: server CPU per uncached signed-in thread page (all processes, divided by pages served). */
  signedInThreadCpuMsPerPage: 3,
} as const

/** The peer, measured in the same sitting as issue #14's figures (NodeBB has no page cache). */
export const PEER = {
  name: 'NodeBB 4.10.3',
  rows: [
    { workload: 'anonymous, many topics', reqPerSec: '37-43', cpuMsPerPage: '28-63' },
    { workload: '100 signed-in users across 300 topics', reqPerSec: '18-25', cpuMsPerPage: '28-63' },
  ],
  note: 'one process, this 2-core machine, pages 4-6 times heavier than SectorPulse\'s',
} as const

const ROOT = resolve(import.meta.dirname, '../..')
const env = process.env

const { values: cli } = parseArgs({
  options: {
    scale: { type: 'string' },
    database: { type: 'string' },
    'app-servers': { type: 'string' },
    quick: { type: 'boolean', default: false },
    targets: { type: 'string' },
    modes: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

const scaleOption = cli.scale ?? env.BENCH_SCALES ?? 'small,large'
const SCALE_NAMES = (scaleOption === 'both' ? 'small,large' : scaleOption).split(',').map((s) => s.trim()).filter(Boolean) as ScaleName[]
const DATABASE = (cli.database ?? env.BENCH_DATABASE ?? 'sqlite') as 'sqlite' | 'postgres'
if (DATABASE !== 'sqlite' && DATABASE !== 'postgres') throw new Error(`Unknown database "${DATABASE}": sqlite or postgres`)
const APP_SERVERS = Number(cli['app-servers'] ?? env.BENCH_APP_SERVERS ?? 1)
const POSTGRES_ADMIN_URL = env.BENCH_POSTGRES_URL ?? 'postgres://sectorpulse:sectorpulse@127.0.0.1:5432/postgres'
const DURATION = Number(cli.duration ?? env.BENCH_DURATION ?? (cli.quick ? 3 : 6))
const WARMUP = Number(cli.warmup ?? env.BENCH_WARMUP ?? (cli.quick ? 1 : 2))
const CONNECTIONS = Number(cli.connections ?? env.BENCH_CONNECTIONS ?? 50)
const PORT_BASE = Number(env.BENCH_PORT ?? 4100)
const targetOption = cli.targets ?? env.BENCH_TARGETS
const TARGET_FILTER = targetOption ? new Set(targetOption.split(',').map((s) => s.trim())) : null
const MODES = (cli.modes ?? env.BENCH_MODES ?? 'cached,uncached').split(',').map((s) => s.trim()) as Mode[]
const SKIP_BUILD = cli['skip-build'] || !!env.BENCH_SKIP_BUILD
const REGENERATE = cli.regenerate || !!env.BENCH_REGENERATE
const CPU_PROF_DIR = env.BENCH_CPU_PROF ? resolve(env.BENCH_CPU_PROF) : null
const DRAIN_TIMEOUT_MS = Number(env.BENCH_DRAIN_TIMEOUT ?? 600) * 1000
const LOAD: LoadSettings = { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, drainTimeoutMs: DRAIN_TIMEOUT_MS }
for (const name of SCALE_NAMES) if (!(name in SCALES)) throw new Error(`Unknown scale "${name}": small, large or both`)
for (const mode of MODES) if (mode !== 'cached' && mode !== 'uncached') throw new Error(`Unknown mode "${mode}": cached, uncached`)
if (!Number.isSafeInteger(APP_SERVERS) || APP_SERVERS < 1) throw new Error('--app-servers must be a whole number, 1 or more')
if (APP_SERVERS > 1 && CPU_PROF_DIR) throw new Error('BENCH_CPU_PROF profiles one server: leave out --app-servers')
for (const [name, n] of Object.entries({ duration: DURATION, warmup: WARMUP, connections: CONNECTIONS })) {
  if (!Number.isFinite(n) || n < 0 || (n === 0 && name !== 'warmup')) throw new Error(`--${name} must be a positive number`)
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is stopped when the benchmark ends, however it ends.

const children = new Set<ChildProcess>()

function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}
function killAll(signal: NodeJS.Signals) {
  for (const instance of running) instance.stop()
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal)
}
process.on('exit', () => killAll('SIGKILL'))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers`)
    killAll('SIGTERM')
    setTimeout(() => process.exit(130), 500).unref()
  })
}
process.on('unhandledRejection', (error) => {
  console.error(error)
  killAll('SIGTERM')
  process.exit(1)
})

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((done, fail) => {
    const child = track(spawn(command, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: 'inherit' }))
    child.once('error', fail)
    child.once('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`))))
  })
}

async function startServer(args: string[], port: number, extraEnv: Record<string, string>, readyPath: string): Promise<Server> {
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', SITE_URL: `http://127.0.0.1:${port}`, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${args.join(' ')} exited early:\n${output}`)
    try {
      if ((await fetch(baseUrl + readyPath)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not answer ${readyPath} within 180 s:\n${output}`)
    await sleep(200)
  }
  return { child, pid: child.pid!, baseUrl, output: () => output }
}

function stopServer(server: Server): Promise<void> {
  return new Promise((done) => {
    const { child } = server
    if (child.exitCode !== null || child.signalCode !== null) return done()
    // SIGTERM lets server.ts close and exit normally, which is when --cpu-prof writes its file.
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.once('exit', () => {
      clearTimeout(force)
      done()
    })
    child.kill('SIGTERM')
  })
}


// ---------------------------------------------------------------------------------------------
// Targets

// Replies rotate through the generated members, one global turn order across every reply
// target, warm-up and probe, so a member's next reply comes REPLY_MEMBER_POOL replies later (a
// member may post once per 10 s). The run tag keeps texts unique across runs on a reused file
// (the same text twice within 5 minutes is refused).
let replySerial = 0
const RUN_TAG = `${process.pid.toString(36)}${Date.now().toString(36)}`

function nextReply(fixtures: Fixtures, path?: string): Required<Sent> {
  const { memberCookies, bodies } = fixtures.replies
  const n = replySerial++
  const body = `${bodies[n % bodies.length]}\n\n(Reply ${RUN_TAG}-${n})`
  return { path: path ?? '', headers: { cookie: memberCookies[n % memberCookies.length] }, body: new URLSearchParams({ intent: 'reply', body }).toString() }
}

/** A reply lands on its own post (PATH?page=N#post-N); a redirect to /login is a lost session, not a reply. */
const landsOnThread = (threadPath: string) => (status: number, location: string | null) => status === 302 && !!location?.startsWith(threadPath)

/** What the mixed targets draw from, per scale. */
interface Workload {
  selection: ThreadSelection
  memberCookies: string[]
  caseLibraryUrls: string[]
  searchUrls: string[]
}

function targetsFor(fixtures: Fixtures, workload: Workload, baseUrl: string): Target[] {
  const cookie = { cookie: fixtures.member.cookie }
  const read = (name: string, label: string, path: string, headers: Record<string, string> = {}, modes: Mode[] = ['cached']): Target => ({
    name,
    label,
    kind: 'read',
    modes,
    anonymous: !headers.cookie,
    path,
    method: 'GET',
    headers,
  })
  // Each mixed target draws its own seeded sequence, so a run repeats the previous one's requests.
  const drawing = <T>(items: readonly T[], seed: number) => {
    const random = new Random(seed)
    return () => random.pick(items)
  }
  const { threads, hot } = workload.selection
  const mixedRead = (name: string, label: string, modes: Mode[], next: () => Sent, extra: Partial<Target> = {}): Target => ({
    name,
    label,
    kind: 'read',
    modes,
    anonymous: false,
    path: next().path!,
    method: 'GET',
    headers: {},
    next,
    ...extra,
  })
  const anyThread = drawing(threads, 14)
  const anyMember = drawing(workload.memberCookies, 15)
  const hotThread = drawing(hot, 16)
  const hotThreadForReply = drawing(hot, 17)
  const anyCaseUrl = drawing(workload.caseLibraryUrls, 18)
  const anySearchUrl = drawing(workload.searchUrls, 19)
  const hotReads = () => ({ path: hotThread().path })
  const all: Target[] = [
    // The real mix (issue #14).
    mixedRead('membersThreads', `${READING_MEMBERS} members, ${threads.length.toLocaleString('en-US')} threads`, ['cached', 'uncached'], () => ({
      path: anyThread().path,
      headers: { cookie: anyMember() },
    }), { signedIn: true }),
    mixedRead('anonymousThreads', `Anonymous, ${threads.length.toLocaleString('en-US')} threads`, ['cached', 'uncached'], () => ({ path: anyThread().path })),
    mixedRead('hotThreads', `Anonymous, ${HOT_THREADS} hot threads`, ['cached'], hotReads),
    mixedRead('hotThreadsWithReplies', `... while ${REPLIES_PER_SECOND} replies/s arrive`, ['cached'], hotReads, {
      writer: {
        perSecond: REPLIES_PER_SECOND,
        next: () => nextReply(fixtures, hotThreadForReply().path),
        succeeded: (status, location, path) => landsOnThread(path)(status, location),
      },
    }),
    mixedRead('caseLibraryRandom', 'Case library, random facets', ['cached', 'uncached'], () => ({ path: anyCaseUrl() })),
    mixedRead('searchRandom', 'Search, random words', ['cached', 'uncached'], () => ({ path: anySearchUrl() })),
    // One URL each (issue #7): what the page cache answers for a spike of readers.
    read('home', 'Home /', '/'),
    read('discussions', 'Discussion list', '/discussions'),
    read('threadAnonymous', '20-post thread, anonymous', fixtures.urls.thread20, {}, ['cached', 'uncached']),
    { ...read('threadSignedIn', '20-post thread, signed in', fixtures.urls.thread20, cookie, ['cached', 'uncached']), signedIn: true },
    read('thread5kLastPage', '5,000-reply thread, last page', fixtures.urls.thread5kLastPage),
    read('caseLibraryTwoFacets', 'Case library, two facets', fixtures.urls.caseLibraryTwoFacets),
    read('casePage', 'Case page', fixtures.urls.casePage),
    read('search', 'Search', fixtures.urls.search),
    read('eventPage', 'Event page', fixtures.urls.eventPage),
    {
      name: 'rsvpWrite',
      label: 'RSVP (POST, signed in)',
      kind: 'write',
      modes: ['cached'],
      anonymous: false,
      path: fixtures.rsvp.path,
      method: 'POST',
      headers: { ...cookie, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      bodies: fixtures.rsvp.intents.map((intent) => new URLSearchParams({ intent }).toString()),
    },
    ...(['watched', 'unwatched'] as const).map((which): Target => {
      const thread = fixtures.replies[which]
      return {
        name: which === 'watched' ? 'replyWatched' : 'replyUnwatched',
        label: which === 'watched' ? `Reply, thread with ${thread.watchers.toLocaleString('en-US')} watchers` : 'Reply, thread with no watchers',
        kind: 'write',
        modes: ['cached'],
        anonymous: false,
        path: thread.path,
        method: 'POST',
        headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
        next: () => nextReply(fixtures),
        succeeded: landsOnThread(thread.path),
        fanOutThreadId: thread.threadId,
      }
    }),
  ]
  for (const target of all) {
    if (target.writer) {
      const { next } = target.writer
      target.writer.next = () => {
        const sent = next()
        return { ...sent, headers: { ...sent.headers, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' } }
      }
    }
  }
  return TARGET_FILTER ? all.filter((t) => TARGET_FILTER.has(t.name)) : all
}

const MIXED_TARGETS = ['membersThreads', 'anonymousThreads', 'hotThreads', 'hotThreadsWithReplies', 'caseLibraryRandom', 'searchRandom']
const ONE_URL_READS = ['home', 'discussions', 'threadAnonymous', 'threadSignedIn', 'thread5kLastPage', 'caseLibraryTwoFacets', 'casePage', 'search', 'eventPage']
const ANONYMOUS_ONE_URL_READS = ONE_URL_READS.filter((name) => name !== 'threadSignedIn')
const REPLIES = ['replyWatched', 'replyUnwatched']
const ALL_TARGETS = [...MIXED_TARGETS, ...ONE_URL_READS, 'rsvpWrite', ...REPLIES]

if (cli.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*\n?/, '').replace(/^ \* ?/gm, ''))
  console.log(`Targets: ${ALL_TARGETS.join(', ')}`)
  process.exit(0)
}
if (TARGET_FILTER) for (const name of TARGET_FILTER) if (!ALL_TARGETS.includes(name)) throw new Error(`Unknown target "${name}": ${ALL_TARGETS.join(', ')}`)

// ---------------------------------------------------------------------------------------------
// Databases

function databaseFor(scale: ScaleName): { path: string; fixturesPath: string } {
  const path = join(ROOT, 'data/bench', `${scale}.db`)
  return { path, fixturesPath: `${path}.fixtures.json` }
}

/** Why an existing database cannot be reused, or null when it can. */
function staleReason(scale: ScaleName): string | null {
  const { path, fixturesPath } = databaseFor(scale)
  if (!existsSync(path) || !existsSync(fixturesPath)) return 'not generated yet'
  let fixtures: Fixtures
  try {
    fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'))
  } catch {
    return 'its fixtures file is unreadable'
  }
  if (fixtures.generator?.version !== GENERATOR_VERSION) return 'made by an older generator'
  if (fixtures.generator.scale !== scale) return 'made for another scale'
  const { counts } = fixtures.generator
  if (counts.threads !== SCALES[scale].threads || counts.posts !== SCALES[scale].posts) return 'made with other sizes for this scale'
  if (JSON.stringify(fixtures.generator.migrations) !== JSON.stringify(Object.keys(migrations))) return 'made before the current migrations'
  // The fixture events are a month to a year out: an old file's "upcoming" event may have passed.
  if (Date.now() - Date.parse(fixtures.generator.generatedAt) > 30 * 24 * 3_600_000) return 'more than 30 days old'
  return null
}

async function ensureDatabase(scale: ScaleName): Promise<{ fixtures: Fixtures; workload: Workload }> {
  const { path, fixturesPath } = databaseFor(scale)
  const reason = REGENERATE ? '--regenerate or BENCH_REGENERATE is set' : staleReason(scale)
  if (reason) {
    console.log(`\n== Generating the ${scale} database (${reason})`)
    mkdirSync(join(ROOT, 'data/bench'), { recursive: true })
    await run(process.execPath, ['--import', 'tsx', 'db/generate.ts', '--scale', scale, '--out', path, '--force'])
  } else {
    console.log(`\n== Reusing ${path}`)
  }
  const fixtures: Fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'))
  const selection = selectThreads(path, fixtures)
  if (!reason) settleEarlierReplies(path, [fixtures.replies.watched.threadId, fixtures.replies.unwatched.threadId, ...selection.hot.map((t) => t.id)])
  return {
    fixtures,
    workload: {
      selection,
      memberCookies: readingMemberCookies(fixtures),
      caseLibraryUrls: randomCaseLibraryUrls(path, 2_000, 21),
      searchUrls: randomSearchUrls(2_000, 22),
    },
  }
}

/**
 * A fresh PostgreSQL database holding a copy of the scale's generated file (db:copy, verified),
 * so every run starts from the same data as on SQLite; returns its address.
 */
async function freshPostgresCopy(scale: ScaleName): Promise<string> {
  const name = `sectorpulse_bench_${scale}`
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  console.log(`\n== Copying ${databaseFor(scale).path} into PostgreSQL (${name})`)
  await run(process.execPath, ['--import', 'tsx', 'db/copy.ts', '--from', `sqlite:${databaseFor(scale).path}`, '--to', url.toString()])
  return url.toString()
}

/**
 * A reused file holds the replies of earlier runs (to the two reply threads and the hot
 * threads), and their notification emails fall due ten minutes later: the server would send
 * them (as .eml files) while this run measures reads. They were never meant for anyone, so they
 * are marked skipped and their notifications read, which also makes each run's first watched
 * reply fan out to fresh notifications as on a new file. An interrupted run's unprocessed
 * replies are let go too.
 */
function settleEarlierReplies(path: string, threads: number[]) {
  const database = new BetterSqlite3(path)
  try {
    database.pragma('busy_timeout = 5000')
    const inThreads = `in (${threads.map(() => '?').join(', ')})`
    const now = new Date().toISOString()
    const settle = database.transaction(() => {
      const activities = database
        .prepare(`update activities set processed_at = ? where processed_at is null and thread_id ${inThreads}`)
        .run(now, ...threads).changes
      const emails = database
        .prepare(
          `update mail_outbox set status = 'skipped', last_error = 'Benchmark reply: never sent', updated_at = ?
           where status = 'queued' and notification_id in (select id from notifications where thread_id ${inThreads})`,
        )
        .run(now, ...threads).changes
      const notifications = database
        .prepare(`update notifications set read_at = ? where read_at is null and thread_id ${inThreads}`)
        .run(now, ...threads).changes
      return { activities, emails, notifications }
    })
    const settled = settle()
    if (settled.activities + settled.emails + settled.notifications > 0) {
      console.log(
        `   earlier runs' replies settled: ${settled.emails} queued emails skipped, ${settled.notifications} notifications marked read, ${settled.activities} unprocessed activities let go`,
      )
    }
  } finally {
    database.close()
  }
}

// ---------------------------------------------------------------------------------------------
// The run

interface ScaleResult {
  database: string
  /** What the mixed targets spread over. */
  workload: { threads: number; meanPostsPerThread: number; hotThreads: number; members: number; caseLibraryUrls: number; searchUrls: number }
  /** Per mode, the server's root process and the peak memory of its largest process. */
  servers: Partial<Record<Mode, { pid: number; maxProcessPeakMb: number; processes: number }>>
  targets: Record<string, Partial<Record<Mode, Measurement>>>
}

const startedAt = new Date()
const results: Partial<Record<ScaleName, ScaleResult>> = {}
let bareBody: { bytes: Buffer; contentType: string } | null = null
let bare: (Measurement & { bytes: number }) | null = null
const labels = new Map<string, string>()

if (!SKIP_BUILD) {
  console.log('== npm run build')
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (built.status !== 0) throw new Error('npm run build failed')
}

const prepared = new Map<ScaleName, { fixtures: Fixtures; workload: Workload }>()
/** Where each scale's server keeps its data: the generated file, and with --database postgres a copy of it. */
const served = new Map<ScaleName, { path: string; url: string | null }>()
for (const scale of SCALE_NAMES) {
  const { fixtures, workload } = await ensureDatabase(scale)
  prepared.set(scale, { fixtures, workload })
  served.set(scale, { path: databaseFor(scale).path, url: DATABASE === 'postgres' ? await freshPostgresCopy(scale) : null })
  const { threads, hot } = workload.selection
  results[scale] = {
    database: served.get(scale)!.url ? `PostgreSQL (a copy of ${databaseFor(scale).path})` : databaseFor(scale).path,
    workload: {
      threads: threads.length,
      meanPostsPerThread: round(threads.reduce((sum, t) => sum + t.posts, 0) / threads.length),
      hotThreads: hot.length,
      members: workload.memberCookies.length,
      caseLibraryUrls: workload.caseLibraryUrls.length,
      searchUrls: workload.searchUrls.length,
    },
    servers: {},
    targets: {},
  }
  console.log(
    `   ${scale}: the mixed targets read ${threads.length.toLocaleString('en-US')} threads (${results[scale]!.workload.meanPostsPerThread} posts on average) as ${workload.memberCookies.length} members`,
  )
}

const firstScale = prepared.get(SCALE_NAMES[0])!
const targetModes = new Map(targetsFor(firstScale.fixtures, firstScale.workload, '').map((t) => [t.name, t.modes.filter((m) => MODES.includes(m))]))
const modesRun = MODES.filter((mode) => [...targetModes.values()].some((modes) => modes.includes(mode)))

// Every scale's server runs at once (idle while another is measured), and each target is
// measured on every scale back to back: the large/small comparison then shares the machine's
// conditions of that minute. The cached and uncached servers run one after the other.
// Read-only views of each file follow the notification fan-out the write targets cause.
const observers = new Map<ScaleName, Observer>()
for (const scale of SCALE_NAMES) observers.set(scale, openObserver(served.get(scale)!))
try {
  for (const [modeIndex, mode] of modesRun.entries()) {
    const servers = new Map<ScaleName, RunningServer>()
    try {
      for (const [index, scale] of SCALE_NAMES.entries()) {
        const port = PORT_BASE + 1 + modeIndex * SCALE_NAMES.length + index
        if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true })
        const entry = APP_SERVERS > 1 ? 'tests/bench/app-servers.ts' : 'server.ts'
        const args = [...(CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : []), '--import', 'tsx', entry]
        const modeEnv: Record<string, string> = {
          ...(mode === 'uncached' ? { PAGE_CACHE_TTL_MS: '0' } : {}),
          ...(APP_SERVERS > 1 ? { BENCH_APP_SERVERS: String(APP_SERVERS) } : {}),
        }
        console.log(
          `\n== ${scale}, ${mode}: node ${args.join(' ')} on port ${port}, ${served.get(scale)!.url ? `DATABASE_URL=${served.get(scale)!.url!.replace(/:[^:@/]*@/, ':***@')}` : `DATABASE_PATH=${databaseFor(scale).path}`}${mode === 'uncached' ? ', PAGE_CACHE_TTL_MS=0' : ''}, WEB_CONCURRENCY=${env.WEB_CONCURRENCY ?? '(unset)'}${APP_SERVERS > 1 ? `, ${APP_SERVERS} app servers behind nginx` : ''}`,
        )
        const databaseEnv = { DATABASE_PATH: databaseFor(scale).path, ...(served.get(scale)!.url ? { DATABASE_URL: served.get(scale)!.url! } : {}) }
        const server = await startServer(args, port, { NODE_ENV: 'production', ...databaseEnv, ...modeEnv }, '/healthz')
        servers.set(scale, { ...server, rss: sampleTreeRss(server.pid) })
      }
      console.log('')
      for (const name of ALL_TARGETS) {
        if (!targetModes.get(name)?.includes(mode)) continue
        for (const scale of SCALE_NAMES) {
          const { fixtures, workload } = prepared.get(scale)!
          const server = servers.get(scale)!
          const target = targetsFor(fixtures, workload, server.baseUrl).find((t) => t.name === name)!
          labels.set(target.name, target.label)
          const m = await measure(target, mode, server, LOAD, observers.get(scale))
          ;(results[scale]!.targets[name] ??= {})[mode] = m
          const warn = target.kind === 'read' && m.probe.status !== 200 ? `  (probe answered ${m.probe.status})` : ''
          console.log(
            `  ${target.label.padEnd(36)} ${scale.padEnd(6)} ${mode.padEnd(8)} ${fmt(m.reqPerSec, 8)} req/s  p50 ${fmt(m.p50Ms, 6)} ms  p99 ${fmt(m.p99Ms, 6)} ms  CPU ${fmt(m.cpuMsPerPage ?? undefined, 5)} ms/page  hits ${fmt(m.cacheHitShare * 100, 4)}%  failed ${m.failures}  unanswered ${m.unanswered}  RSS ${fmt(m.peakProcessRssMb, 4)} MB${warn}`,
          )
          if (m.writes) {
            const w = m.writes
            console.log(`  ${''.padEnd(36)} writes: ${w.sent} sent at ${w.perSecond}/s, ${w.acknowledged} acknowledged, p50 ${fmt(w.p50Ms ?? undefined, 6)} ms  p99 ${fmt(w.p99Ms ?? undefined, 6)} ms`)
          }
          if (m.fanOut) {
            const f = m.fanOut
            console.log(
              `  ${''.padEnd(36)} ${f.repliesStored} replies stored; fan-out ${f.pendingAtEnd} behind at the end, ${f.drainSeconds === null ? `not drained within ${DRAIN_TIMEOUT_MS / 1000} s` : `drained in ${f.drainSeconds} s`}; ${f.notifications} notifications (${f.notificationRows} new rows), ${f.emailsQueued} emails queued`,
            )
            const answered = m.statuses['3xx'] - (m.misdirected ?? 0)
            if (f.repliesStored < answered) console.warn(`  warning: ${answered} replies answered 302 but the thread gained only ${f.repliesStored} posts`)
            // Each member may reply once per 10 s; a faster rate than the pool allows would be refused (429).
            const members = fixtures.replies.memberCookies.length
            if (m.reqPerSec * 10 > members) console.warn(`  warning: ${m.reqPerSec} replies/s outruns ${members} members posting once per 10 s each`)
          }
          if (target.name === 'threadAnonymous' && mode === 'cached' && m.probe.status === 200) {
            const response = await fetch(server.baseUrl + target.path)
            bareBody = { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'text/html' }
          }
        }
      }
    } finally {
      for (const [scale, server] of servers) {
        results[scale]!.servers[mode] = { pid: server.pid, ...roundPeak(server.rss.stop()) }
        await stopServer(server)
      }
    }
  }
} finally {
  for (const observer of observers.values()) await observer.destroy()
}

function roundPeak(peak: { maxProcessPeakMb: number; processes: number }) {
  return { maxProcessPeakMb: round(peak.maxProcessPeakMb), processes: peak.processes }
}

if (bareBody) {
  const file = join(tmpdir(), `sectorpulse-bench-bare-${process.pid}.html`)
  writeFileSync(file, bareBody.bytes)
  const port = PORT_BASE + 9
  console.log(`\n== bare node:http server, ${bareBody.bytes.length} bytes of the anonymous 20-post thread page, port ${port}`)
  const server = await startServer(['--import', 'tsx', 'tests/bench/bare-server.ts'], port, { BARE_BODY_FILE: file, BARE_CONTENT_TYPE: bareBody.contentType }, '/')
  const rss = sampleTreeRss(server.pid)
  try {
    const target: Target = { name: 'bare', label: 'bare node:http', kind: 'read', modes: ['cached'], anonymous: true, path: '/', method: 'GET', headers: {} }
    bare = { ...(await measure(target, 'cached', { ...server, rss }, LOAD)), bytes: bareBody.bytes.length }
    console.log(`  ${'bare node:http'.padEnd(36)} ${fmt(bare.reqPerSec, 9)} req/s  p50 ${fmt(bare.p50Ms, 7)} ms  p99 ${fmt(bare.p99Ms, 7)} ms`)
  } finally {
    rss.stop()
    await stopServer(server)
  }
}

// ---------------------------------------------------------------------------------------------
// Budgets: judged on large (on the one scale measured when large was not); the reply budgets
// compare two targets of one scale and hold on every scale measured.

interface BudgetCheck {
  budget: string
  target: string | null
  limit: string
  actual: string
  verdict: Verdict
}
const checks: BudgetCheck[] = []
const scalesRun = Object.keys(results) as ScaleName[]
const judgedScale = budgetScale(scalesRun) as ScaleName | null
const judged = judgedScale ? results[judgedScale]!.targets : undefined
const at = (name: string, mode: Mode = 'cached') => judged?.[name]?.[mode]
function check(budget: string, target: string | null, limit: { atMost?: number; atLeast?: number }, actual: number | null | undefined, unit = '', limitText?: string) {
  limitText ??= limit.atMost !== undefined ? `<= ${round(limit.atMost)}${unit}` : `>= ${round(limit.atLeast!)}${unit}`
  checks.push({
    budget,
    target,
    limit: limitText,
    actual: actual === null || actual === undefined ? 'not measured' : actual === Infinity ? 'none answered' : `${round(actual)}${unit}`,
    verdict: verdict(actual, limit),
  })
}
const ratioOf = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b <= 0 ? null : a / b)
/** A target that answered nothing in its window has no p99: it stalled, which fails a latency budget. */
const p99Of = (m: Measurement | undefined) => (!m ? null : m.total === 0 ? Infinity : m.p99Ms)

// Issue #14: the real mix.
const membersThreads = at('membersThreads')
check('members across threads req/s', 'membersThreads', { atLeast: BUDGETS.membersThreadsMinReqPerSec }, membersThreads?.reqPerSec)
check('members across threads p99', 'membersThreads', { atMost: BUDGETS.membersThreadsP99Ms }, p99Of(membersThreads), ' ms')
check('anonymous across threads', 'anonymousThreads', { atLeast: BUDGETS.anonymousThreadsMinReqPerSec }, at('anonymousThreads')?.reqPerSec)
const hotWithReplies = at('hotThreadsWithReplies')
check('hot reads, replies/alone', 'hotThreadsWithReplies', { atLeast: BUDGETS.hotReadsWithWritesMinShare }, ratioOf(hotWithReplies?.reqPerSec, at('hotThreads')?.reqPerSec))
check('hot-mix writes failed', 'hotThreadsWithReplies', { atMost: 0 }, hotWithReplies?.writes?.failed)
check('hot-mix writes p99', 'hotThreadsWithReplies', { atMost: BUDGETS.hotWritesP99Ms }, hotWithReplies?.writes?.p99Ms, ' ms')
for (const name of ['caseLibraryRandom', 'searchRandom']) {
  check('random heavy read p99 (uncached)', name, { atMost: BUDGETS.randomHeavyReadP99Ms }, p99Of(at(name, 'uncached')), ' ms')
}
for (const name of ['membersThreads', 'threadSignedIn']) {
  check('CPU per page (uncached)', name, { atMost: BUDGETS.signedInThreadCpuMsPerPage }, at(name, 'uncached')?.cpuMsPerPage, ' ms')
}
for (const name of ['membersThreads', 'anonymousThreads', 'hotThreadsWithReplies']) {
  for (const mode of MODES) {
    if (!targetModes.get(name)?.includes(mode)) continue
    check('peak RSS per process', `${name} (${mode})`, { atMost: BUDGETS.peakRssMb }, at(name, mode)?.peakProcessRssMb, ' MB')
  }
}
for (const mode of modesRun) {
  check('peak RSS per process', `whole run (${mode})`, { atMost: BUDGETS.peakRssMb }, judgedScale ? results[judgedScale]!.servers[mode]?.maxProcessPeakMb : null, ' MB')
}

// Issue #7: one URL at a time, cached.
const floor = bare ? bare.reqPerSec * BUDGETS.anonymousReadMinShareOfBare : null
for (const name of ANONYMOUS_ONE_URL_READS) {
  check('req/s >= 25% of bare', name, { atLeast: floor ?? 0 }, floor === null ? null : at(name)?.reqPerSec, '', floor === null ? '25% of bare' : undefined)
}
check('signed-in thread p99', 'threadSignedIn', { atMost: BUDGETS.signedInThreadP99Ms }, p99Of(at('threadSignedIn')), ' ms')
for (const name of ['caseLibraryTwoFacets', 'search', 'thread5kLastPage']) {
  check('heavy read p99', name, { atMost: BUDGETS.heavyReadP99Ms }, p99Of(at(name)), ' ms')
}
for (const name of [...ONE_URL_READS, 'rsvpWrite', ...REPLIES]) {
  const ratio = ratioOf(results.large?.targets[name]?.cached?.reqPerSec, results.small?.targets[name]?.cached?.reqPerSec)
  check('large/small req/s', name, { atLeast: BUDGETS.largeVsSmallMinRatio }, ratio)
}
for (const name of [...MIXED_TARGETS, ...ONE_URL_READS]) {
  for (const mode of MODES) {
    if (!targetModes.get(name)?.includes(mode)) continue
    check('zero non-2xx on reads', `${name} (${mode})`, { atMost: BUDGETS.readNon2xx }, at(name, mode)?.failures)
  }
}
for (const scale of scalesMeasuring(REPLIES)) {
  const watched = results[scale]!.targets.replyWatched?.cached
  const unwatched = results[scale]!.targets.replyUnwatched?.cached
  // A target that answered nothing in its window has no p99 to compare: it stalled, which fails.
  const ratio = !watched || !unwatched ? null : watched.total === 0 ? Infinity : unwatched.total === 0 || unwatched.p99Ms === 0 ? null : watched.p99Ms / unwatched.p99Ms
  check('watched/unwatched p99', `replyWatched (${scale})`, { atMost: BUDGETS.watchedReplyMaxP99Ratio }, ratio)
  for (const name of REPLIES) {
    check('zero failed replies', `${name} (${scale})`, { atMost: BUDGETS.replyFailures }, results[scale]!.targets[name]?.cached?.failures)
  }
}

function scalesMeasuring(names: string[]): ScaleName[] {
  return scalesRun.filter((scale) => names.some((name) => results[scale]!.targets[name]))
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(n: number | undefined, width: number): string {
  return (n === undefined ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)).padStart(width)
}

const columns = (m: Measurement | undefined, withHits: boolean) =>
  `${fmt(m?.reqPerSec, 8)} ${fmt(m?.p50Ms, 7)} ${fmt(m?.p99Ms, 7)} ${fmt(m?.cpuMsPerPage ?? undefined, 7)} ${withHits ? `${fmt(m ? m.cacheHitShare * 100 : undefined, 5)} ` : ''}${String(m ? m.failures : '-').padStart(6)}`
const cachedHeader = `${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU ms'.padStart(7)} ${'hit%'.padStart(5)} ${'failed'.padStart(6)}`
const uncachedHeader = `${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU ms'.padStart(7)} ${'failed'.padStart(6)}`
const tables: string[] = []
for (const scale of scalesRun) {
  const r = results[scale]!
  const header = `${`${scale}${scale === judgedScale ? ' (budgets)' : ''}`.padEnd(38)}| cached ${cachedHeader} | uncached ${uncachedHeader} | RSS MB`
  const lines = [header, '-'.repeat(header.length)]
  for (const name of ALL_TARGETS) {
    const row = r.targets[name]
    if (!row) continue
    const rss = Math.max(row.cached?.peakProcessRssMb ?? 0, row.uncached?.peakProcessRssMb ?? 0)
    lines.push(`${(labels.get(name) ?? name).padEnd(38)}|        ${columns(row.cached, true)} |          ${columns(row.uncached, false)} | ${fmt(rss, 6)}`)
    const writes = row.cached?.writes
    if (writes) lines.push(`${'  its replies (writes)'.padEnd(38)}|        ${fmt(writes.perSecond, 8)} ${fmt(writes.p50Ms ?? undefined, 7)} ${fmt(writes.p99Ms ?? undefined, 7)} ${''.padStart(7)} ${''.padStart(5)} ${String(writes.failed).padStart(6)} |`)
  }
  const peaks = modesRun.map((mode) => `${mode} ${fmt(r.servers[mode]?.maxProcessPeakMb, 4)} MB over ${r.servers[mode]?.processes ?? '?'} process(es)`).join(', ')
  lines.push(`peak RSS of the largest server process: ${peaks}`)
  lines.push(
    `mixed targets: ${r.workload.threads.toLocaleString('en-US')} threads (${r.workload.meanPostsPerThread} posts each on average), ${r.workload.members} members, ${r.workload.hotThreads} hot threads`,
  )
  tables.push(lines.join('\n'))
}
const peerLines = [
  `peer: ${PEER.name} (${PEER.note}; issue #14)`,
  ...PEER.rows.map((row) => `  ${row.workload.padEnd(40)} ${row.reqPerSec.padStart(6)} req/s  ${row.cpuMsPerPage} ms CPU per page`),
]

console.log(
  `\n== Results: ${CONNECTIONS} connections, ${DURATION} s per target after ${WARMUP} s of warm-up, ${cpus().length} CPUs, Node ${process.version}, ${APP_SERVERS > 1 ? `${APP_SERVERS} app servers behind nginx, ` : ''}WEB_CONCURRENCY=${env.WEB_CONCURRENCY ?? (APP_SERVERS > 1 ? '1 each' : '(unset: the server default)')}`,
)
console.log('   CPU ms = server CPU time (every process) per response; hit% = answered by the page cache; uncached = PAGE_CACHE_TTL_MS=0\n')
console.log(tables.join('\n\n'))
if (bare) console.log(`\nbare node:http, ${bare.bytes} bytes (reference): ${fmt(bare.reqPerSec, 0)} req/s, p50 ${fmt(bare.p50Ms, 0)} ms, p99 ${fmt(bare.p99Ms, 0)} ms`)
console.log(`\n${peerLines.join('\n')}`)
if (scalesMeasuring(REPLIES).length) {
  console.log('\n== Replies and their notification fan-out (after the load, until no activity waits)\n')
  for (const scale of scalesMeasuring(REPLIES)) {
    for (const name of REPLIES) {
      const m = results[scale]!.targets[name]?.cached
      if (!m) continue
      const f = m.fanOut
      const drained = !f ? '-' : f.drainSeconds === null ? `> ${DRAIN_TIMEOUT_MS / 1000} s` : `${f.drainSeconds} s`
      console.log(
        `  ${scale.padEnd(6)} ${(labels.get(name) ?? name).padEnd(36)} ${fmt(m.reqPerSec, 6)} req/s  p50 ${fmt(m.p50Ms, 6)} ms  p99 ${fmt(m.p99Ms, 6)} ms  failed ${m.failures}  unanswered ${m.unanswered}  ` +
          `stored ${f?.repliesStored ?? '-'}  behind at end ${f?.pendingAtEnd ?? '-'}  drained ${drained}  notifications ${f?.notifications ?? '-'} (${f?.notificationRows ?? '-'} rows)  emails ${f?.emailsQueued ?? '-'}`,
      )
    }
  }
}
console.log(`\n== Budgets (judged on ${judgedScale ?? 'nothing'}${judgedScale && judgedScale !== 'large' ? ': large was not measured, so these are indicative' : ''}; the reply budgets on every scale)\n`)
for (const c of checks) {
  console.log(`  ${c.verdict.padEnd(4)}  ${c.budget.padEnd(32)} ${(c.target ?? '').padEnd(34)} ${c.actual.padStart(14)}  (${c.limit})`)
}
const failed = checks.filter((c) => c.verdict === 'FAIL').length
const skipped = checks.filter((c) => c.verdict === 'SKIP').length
console.log(`\n  ${checks.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped (not measured in this run)` : ''}`)

const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? ''
// On PostgreSQL the large scale alone is a complete run: its column is judged against the budgets,
// and the large/small ratios belong to the embedded default.
const complete = !TARGET_FILTER && (DATABASE === 'postgres' || SCALE_NAMES.includes('small')) && SCALE_NAMES.includes('large') && MODES.length === 2 && !cli.quick
const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  workingTreeDirty: git(['status', '--porcelain']).length > 0,
  node: process.version,
  cpus: cpus().length,
  loadAverageAtEnd: (await import('node:os')).loadavg(),
  settings: {
    durationSeconds: DURATION,
    warmupSeconds: WARMUP,
    connections: CONNECTIONS,
    scales: scalesRun,
    modes: modesRun,
    targets: TARGET_FILTER ? [...TARGET_FILTER] : 'all',
    quick: cli.quick,
    webConcurrency: env.WEB_CONCURRENCY ?? null,
    database: DATABASE,
    appServers: APP_SERVERS,
    clockTicksPerSecond: TICKS_PER_SECOND,
    cpuProfile: CPU_PROF_DIR,
  },
  budgets: BUDGETS,
  budgetsJudgedOn: judgedScale,
  peer: PEER,
  scales: results,
  bare,
  checks,
  passed: failed === 0,
}
const resultsDir = join(ROOT, 'tests/bench/results')
mkdirSync(resultsDir, { recursive: true })
const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`)
// latest.json (kept in git) holds the last complete run only: a quick or partial run would read as one.
// A run on PostgreSQL is kept beside it as latest-postgres.json, with several app servers as
// latest-postgres-N-app-servers.json (kept in git too).
const latest = `latest${DATABASE === 'postgres' ? '-postgres' : ''}${APP_SERVERS > 1 ? `-${APP_SERVERS}-app-servers` : ''}.json`
if (complete) writeFileSync(join(resultsDir, latest), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\n  Figures written to tests/bench/results/${stamp}.json${complete ? ` and ${latest}` : ` (not ${latest}: a partial run)`}`)
process.exitCode = failed ? 1 : 0
