/**
 * `npm run bench` (issue #7): builds the app, generates (or reuses) the small and large
 * synthetic databases, serves each with the production server as one node process, drives the
 * pages members use most with autocannon over loopback, compares them with a bare node:http
 * server returning the same bytes, and checks the budgets below.
 *
 * Environment:
 *   BENCH_DURATION=10       seconds per target (shorten for trial runs)
 *   BENCH_CONNECTIONS=50    concurrent connections
 *   BENCH_WARMUP=2          seconds of warm-up per target, not measured
 *   BENCH_SCALES=small,large
 *   BENCH_TARGETS=home,search   only these targets (names as in the table)
 *   BENCH_SKIP_BUILD=1      serve the existing build/
 *   BENCH_REGENERATE=1      regenerate the databases even when they can be reused
 *   BENCH_PORT=4100         first of the ports used (base+1 small, base+2 large, base+9 bare)
 *   BENCH_CPU_PROF=/tmp/prof   run the app server with --cpu-prof, writing profiles there
 *   BENCH_DRAIN_TIMEOUT=600 seconds to wait for the notification fan-out after a reply target
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import type { IncomingHttpHeaders } from 'node:http'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import autocannon from 'autocannon'
import BetterSqlite3 from 'better-sqlite3'
import { type Fixtures, GENERATOR_VERSION, type ScaleName, SCALES } from '../../db/generate/scales'
import { migrations } from '../../db/migrations/index'

/** The performance budgets of issue #7, checked on the large database. */
export const BUDGETS = {
  /** Each anonymous read target's requests/s as a share of the bare node:http server's. */
  anonymousReadMinShareOfBare: 0.25,
  /** p99 of the 20-post thread for a signed-in member. */
  signedInThreadP99Ms: 100,
  /** p99 of the case library with two facets, the search, and the last page of the 5,000-reply thread. */
  heavyReadP99Ms: 100,
  /** Every target's requests/s on large as a share of the same target on small. */
  largeVsSmallMinRatio: 0.8,
  /** The server process's peak resident memory (VmHWM). */
  peakRssMb: 300,
  /** Responses other than 2xx on read targets (a 3xx counts as a failure for a read). */
  readNon2xx: 0,
  /**
   * Issue #11: fan-out to followers happens after the request, so replying to a thread with
   * 5,000 watchers costs what any reply costs. The watched thread's reply p99 as a multiple of
   * the unwatched one's, measured on the same scale minutes apart. Checked on every scale.
   */
  watchedReplyMaxP99Ratio: 1.5,
  /** Replies refused (4xx/5xx), failed, or redirected anywhere but to the new post. */
  replyFailures: 0,
} as const

const ROOT = resolve(import.meta.dirname, '../..')
const env = process.env
const DURATION = Number(env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50)
const WARMUP = Number(env.BENCH_WARMUP ?? Math.min(2, Math.max(1, DURATION / 5)))
const PORT_BASE = Number(env.BENCH_PORT ?? 4100)
const SCALE_NAMES = (env.BENCH_SCALES ?? 'small,large').split(',').map((s) => s.trim()).filter(Boolean) as ScaleName[]
const TARGET_FILTER = env.BENCH_TARGETS ? new Set(env.BENCH_TARGETS.split(',').map((s) => s.trim())) : null
const CPU_PROF_DIR = env.BENCH_CPU_PROF ? resolve(env.BENCH_CPU_PROF) : null
const DRAIN_TIMEOUT_MS = Number(env.BENCH_DRAIN_TIMEOUT ?? 600) * 1000
for (const name of SCALE_NAMES) if (!(name in SCALES)) throw new Error(`Unknown scale "${name}" in BENCH_SCALES`)

// ---------------------------------------------------------------------------------------------
// Child processes: every one is stopped when the benchmark ends, however it ends.

const children = new Set<ChildProcess>()
let running: autocannon.Instance | null = null

function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}
function killAll(signal: NodeJS.Signals) {
  running?.stop()
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

interface Server {
  child: ChildProcess
  pid: number
  baseUrl: string
  output: () => string
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// ---------------------------------------------------------------------------------------------
// Memory: VmHWM is the kernel's record of the peak; VmRSS sampled every 200 ms shows the curve.

function readStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : null
  } catch {
    return null
  }
}

function sampleRss(pid: number) {
  let max = 0
  const samples: number[] = []
  const timer = setInterval(() => {
    const rss = readStatus(pid, 'VmRSS')
    if (rss !== null) {
      samples.push(rss)
      max = Math.max(max, rss)
    }
  }, 200)
  return {
    stop: () => {
      clearInterval(timer)
      return { sampledMaxMb: round(max), hwmMb: round(readStatus(pid, 'VmHWM') ?? max), samples: samples.length }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Targets

interface Target {
  name: string
  label: string
  kind: 'read' | 'write'
  /** An anonymous read, compared with the bare server. */
  anonymous: boolean
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Request bodies, sent in turn on each connection. */
  bodies?: string[]
  /** A fresh request for every send (a rotating member and unique text), instead of `bodies`. */
  nextRequest?: () => { headers: Record<string, string>; body: string }
  /** For a write answered by a redirect: whether a response is the success it should be. */
  succeeded?: (status: number, location: string | null) => boolean
  /** A write whose notifications fan out after the request: the thread it posts to. */
  fanOutThreadId?: number
}

// Replies rotate through the generated members, one global turn order across every reply
// target, warm-up and probe, so a member's next reply comes REPLY_MEMBER_POOL replies later (a
// member may post once per 10 s). The run tag keeps texts unique across runs on a reused file
// (the same text twice within 5 minutes is refused).
let replySerial = 0
const RUN_TAG = `${process.pid.toString(36)}${Date.now().toString(36)}`

function replyRequests(fixtures: Fixtures): () => { headers: Record<string, string>; body: string } {
  const { memberCookies, bodies } = fixtures.replies
  return () => {
    const n = replySerial++
    const body = `${bodies[n % bodies.length]}\n\n(Reply ${RUN_TAG}-${n})`
    return { headers: { cookie: memberCookies[n % memberCookies.length] }, body: new URLSearchParams({ intent: 'reply', body }).toString() }
  }
}

function targetsFor(fixtures: Fixtures, baseUrl: string): Target[] {
  const cookie = { cookie: fixtures.member.cookie }
  const read = (name: string, label: string, path: string, headers: Record<string, string> = {}): Target => ({
    name,
    label,
    kind: 'read',
    anonymous: !headers.cookie,
    path,
    method: 'GET',
    headers,
  })
  const all: Target[] = [
    read('home', 'Home /', '/'),
    read('discussions', 'Discussion list', '/discussions'),
    read('threadAnonymous', '20-post thread, anonymous', fixtures.urls.thread20),
    read('threadSignedIn', '20-post thread, signed in', fixtures.urls.thread20, cookie),
    read('thread5kLastPage', '5,000-reply thread, last page', fixtures.urls.thread5kLastPage),
    read('caseLibraryTwoFacets', 'Case library, two facets', fixtures.urls.caseLibraryTwoFacets),
    read('casePage', 'Case page', fixtures.urls.casePage),
    read('search', 'Search', fixtures.urls.search),
    read('eventPage', 'Event page', fixtures.urls.eventPage),
    {
      name: 'rsvpWrite',
      label: 'RSVP (POST, signed in)',
      kind: 'write',
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
        anonymous: false,
        path: thread.path,
        method: 'POST',
        headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
        nextRequest: replyRequests(fixtures),
        // A reply lands on its own post (PATH?page=N#post-N); a redirect to /login would be a
        // lost session, not a reply.
        succeeded: (status, location) => status === 302 && !!location?.startsWith(thread.path),
        fanOutThreadId: thread.threadId,
      }
    }),
  ]
  return TARGET_FILTER ? all.filter((t) => TARGET_FILTER.has(t.name)) : all
}

interface Measurement {
  path: string
  kind: 'read' | 'write'
  /** Status and size of one request made before the load, to catch a wrong URL early. */
  probe: { status: number; bytes: number; location: string | null }
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  total: number
  non2xx: number
  /** What counts as failed: non-2xx for reads; 4xx/5xx for writes; plus errors and timeouts. */
  failures: number
  statuses: Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>
  errors: number
  timeouts: number
  /** Redirects that were not the write's success (a reply sent to /login, say); counted in failures. */
  misdirected?: number
  /**
   * Requests still unanswered when the load stopped. Their latency is in no percentile, so a
   * server that stalls for the whole window shows few requests, not a high p99: read both.
   */
  unanswered: number
  fanOut?: FanOutMeasurement
}

/** What the background fan-out did with a reply target's writes, read from the database. */
interface FanOutMeasurement {
  /** Posts the thread gained over warm-up, probe and load; should equal the 302s answered. */
  repliesStored: number
  /** Activities still waiting for the fan-out when the load stopped. */
  pendingAtEnd: number
  /**
   * From the end of the load until the last reply still in the server was stored and no
   * activity waited any more (null: not within BENCH_DRAIN_TIMEOUT).
   */
  drainSeconds: number | null
  /** New notification rows, and notifications in all (a consolidated row counts each reply it stands for). */
  notificationRows: number
  notifications: number
  emailsQueued: number
}

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    running = autocannon(options, (error, result) => {
      running = null
      if (error) fail(error)
      else done(result)
    })
  })
}

function cannonOptions(target: Target, baseUrl: string, duration: number, misdirected = { count: 0 }): autocannon.Options {
  const { nextRequest, succeeded } = target
  return {
    url: baseUrl + target.path,
    connections: CONNECTIONS,
    duration,
    method: target.method,
    headers: target.headers,
    ...(target.bodies ? { requests: target.bodies.map((body) => ({ method: target.method, body })) } : {}),
    ...(nextRequest
      ? {
          requests: [
            {
              method: target.method,
              setupRequest: (request) => {
                const next = nextRequest()
                return { ...request, headers: { ...request.headers, ...next.headers }, body: next.body }
              },
              ...(succeeded
                ? {
                    onResponse: (status: number, _body: string, _context: object, headers?: IncomingHttpHeaders) => {
                      if (status < 300 || status >= 400) return // 4xx/5xx are counted by autocannon itself
                      // autocannon keeps header names as the server wrote them.
                      const location = headers?.location ?? (headers as Record<string, string | undefined> | undefined)?.Location
                      if (!succeeded(status, location ?? null)) misdirected.count++
                    },
                  }
                : {}),
            },
          ],
        }
      : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// The notification fan-out, watched from the database (a second connection; WAL lets it read
// beside the server's writes without blocking them).

function fanOutCounters(database: BetterSqlite3.Database, threadId: number) {
  const one = (query: string, ...params: unknown[]) => (database.prepare(query).get(...params) as { n: number | null }).n ?? 0
  return {
    pending: one('select count(*) as n from activities where processed_at is null'),
    lastPostNumber: one('select last_post_number as n from threads where id = ?', threadId),
    notificationRows: one('select count(*) as n from notifications'),
    notifications: one('select sum(count) as n from notifications'),
    emails: one('select count(*) as n from mail_outbox'),
  }
}

/**
 * Waits until the server has finished with the writes sent to it and the fan-out with their
 * activities: no activity waits and no post has been added for QUIET_MS. Requests autocannon
 * gave up on (its 10 s timeout) are still being served after the load stops, and each adds an
 * activity later; waiting only for "no activity waits" would let those spill into the next
 * target's measurement. Returns the seconds until the last activity was processed, or null
 * when that did not happen within `timeoutMs`.
 */
async function waitForFanOut(database: BetterSqlite3.Database, timeoutMs: number): Promise<number | null> {
  const QUIET_MS = 3_000 // three turns of the fan-out's 1 s poll
  const started = performance.now()
  const state = database.prepare(
    'select (select count(*) from activities where processed_at is null) as pending, (select max(id) from posts) as lastPost',
  )
  let lastPost = -1
  let lastBusyAt = started
  for (;;) {
    const now = performance.now()
    const { pending, lastPost: post } = state.get() as { pending: number; lastPost: number }
    if (pending > 0 || post !== lastPost) lastBusyAt = now
    lastPost = post
    if (pending === 0 && now - lastBusyAt >= QUIET_MS) return round((lastBusyAt - started) / 1000)
    if (now - started > timeoutMs) return null
    await sleep(100)
  }
}

async function measure(target: Target, baseUrl: string, database?: BetterSqlite3.Database): Promise<Measurement> {
  const fanOutDatabase = target.fanOutThreadId !== undefined ? database : undefined
  let before: ReturnType<typeof fanOutCounters> | null = null
  if (fanOutDatabase) {
    // Start from an idle fan-out, so no earlier target's work runs during this one's load.
    if ((await waitForFanOut(fanOutDatabase, DRAIN_TIMEOUT_MS)) === null) console.warn('  warning: the fan-out was still busy with earlier writes')
    before = fanOutCounters(fanOutDatabase, target.fanOutThreadId!)
  }
  const probeRequest = target.nextRequest?.()
  const probeResponse = await fetch(baseUrl + target.path, {
    method: target.method,
    headers: { ...target.headers, ...probeRequest?.headers },
    body: probeRequest?.body ?? target.bodies?.[0],
    redirect: 'manual',
  })
  const probe = {
    status: probeResponse.status,
    bytes: (await probeResponse.arrayBuffer()).byteLength,
    location: probeResponse.headers.get('location'),
  }
  if (target.succeeded && !target.succeeded(probe.status, probe.location)) {
    console.warn(`  warning: the probe ${target.method} ${target.path} answered ${probe.status} ${probe.location ?? ''}`)
  }
  await cannon(cannonOptions(target, baseUrl, WARMUP))
  const misdirected = { count: 0 }
  const result = await cannon(cannonOptions(target, baseUrl, DURATION, misdirected))
  let fanOut: FanOutMeasurement | undefined
  if (fanOutDatabase && before) {
    const pendingAtEnd = fanOutCounters(fanOutDatabase, target.fanOutThreadId!).pending
    const drainSeconds = await waitForFanOut(fanOutDatabase, DRAIN_TIMEOUT_MS)
    const after = fanOutCounters(fanOutDatabase, target.fanOutThreadId!)
    fanOut = {
      repliesStored: after.lastPostNumber - before.lastPostNumber,
      pendingAtEnd,
      drainSeconds,
      notificationRows: after.notificationRows - before.notificationRows,
      notifications: after.notifications - before.notifications,
      emailsQueued: after.emails - before.emails,
    }
  }
  const statuses = { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] }
  const failed = target.kind === 'read' ? result.non2xx : statuses['4xx'] + statuses['5xx'] + statuses['1xx'] + misdirected.count
  return {
    path: target.path,
    kind: target.kind,
    probe,
    reqPerSec: round(result.requests.average),
    p50Ms: round(result.latency.p50),
    p99Ms: round(result.latency.p99),
    total: result.requests.total,
    non2xx: result.non2xx,
    // autocannon counts a timeout among its errors as well, so timeouts are not added again.
    failures: failed + result.errors,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    unanswered: Math.max(0, result.requests.sent - result.requests.total - result.timeouts),
    ...(target.succeeded ? { misdirected: misdirected.count } : {}),
    ...(fanOut ? { fanOut } : {}),
  }
}

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
  if (JSON.stringify(fixtures.generator.migrations) !== JSON.stringify(Object.keys(migrations))) return 'made before the current migrations'
  // The fixture events are a month to a year out: an old file's "upcoming" event may have passed.
  if (Date.now() - Date.parse(fixtures.generator.generatedAt) > 30 * 24 * 3_600_000) return 'more than 30 days old'
  return null
}

async function ensureDatabase(scale: ScaleName): Promise<Fixtures> {
  const { path, fixturesPath } = databaseFor(scale)
  const reason = env.BENCH_REGENERATE ? 'BENCH_REGENERATE is set' : staleReason(scale)
  if (reason) {
    console.log(`\n== Generating the ${scale} database (${reason})`)
    mkdirSync(join(ROOT, 'data/bench'), { recursive: true })
    await run(process.execPath, ['--import', 'tsx', 'db/generate.ts', '--scale', scale, '--out', path, '--force'])
  } else {
    console.log(`\n== Reusing ${path}`)
  }
  const fixtures: Fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8'))
  if (!reason) settleEarlierReplies(path, fixtures)
  return fixtures
}

/**
 * A reused file holds the replies of earlier runs, and their thousands of notification emails
 * fall due ten minutes later: the server would send them (as .eml files) while this run
 * measures reads. They were never meant for anyone, so they are marked skipped and their
 * notifications read, which also makes each run's first watched reply fan out to fresh
 * notifications as on a new file. An interrupted run's unprocessed replies are let go too.
 */
function settleEarlierReplies(path: string, fixtures: Fixtures) {
  const database = new BetterSqlite3(path)
  try {
    database.pragma('busy_timeout = 5000')
    const threads = [fixtures.replies.watched.threadId, fixtures.replies.unwatched.threadId]
    const now = new Date().toISOString()
    const settle = database.transaction(() => {
      const activities = database
        .prepare('update activities set processed_at = ? where processed_at is null and thread_id in (?, ?)')
        .run(now, ...threads).changes
      const emails = database
        .prepare(
          `update mail_outbox set status = 'skipped', last_error = 'Benchmark reply: never sent', updated_at = ?
           where status = 'queued' and notification_id in (select id from notifications where thread_id in (?, ?))`,
        )
        .run(now, ...threads).changes
      const notifications = database
        .prepare('update notifications set read_at = ? where read_at is null and thread_id in (?, ?)')
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
  serverPid: number
  rss: { hwmMb: number; sampledMaxMb: number; samples: number }
  targets: Record<string, Measurement>
}

const round = (n: number) => Math.round(n * 100) / 100
const startedAt = new Date()
const results: Record<string, ScaleResult> = {}
let bareBody: { bytes: Buffer; contentType: string } | null = null
let bare: (Measurement & { bytes: number }) | null = null
const labels = new Map<string, string>()

if (!env.BENCH_SKIP_BUILD) {
  console.log('== npm run build')
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (built.status !== 0) throw new Error('npm run build failed')
}

const fixturesByScale = new Map<ScaleName, Fixtures>()
for (const scale of SCALE_NAMES) fixturesByScale.set(scale, await ensureDatabase(scale))

// Every scale's server runs at once (idle while another is measured), and each target is
// measured on every scale back to back: the large/small comparison then shares the machine's
// conditions of that minute, not of minutes apart.
const servers = new Map<ScaleName, Server>()
const samplers = new Map<ScaleName, ReturnType<typeof sampleRss>>()
// Read-only views of each file, for following the notification fan-out the reply targets cause.
const observers = new Map<ScaleName, BetterSqlite3.Database>()
try {
  for (const [index, scale] of SCALE_NAMES.entries()) {
    const port = PORT_BASE + 1 + index
    if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true })
    const args = [...(CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : []), '--import', 'tsx', 'server.ts']
    console.log(`\n== ${scale}: node ${args.join(' ')} on port ${port}, DATABASE_PATH=${databaseFor(scale).path}`)
    const server = await startServer(args, port, { NODE_ENV: 'production', DATABASE_PATH: databaseFor(scale).path }, '/healthz')
    servers.set(scale, server)
    samplers.set(scale, sampleRss(server.pid))
    observers.set(scale, new BetterSqlite3(databaseFor(scale).path, { readonly: true, fileMustExist: true }))
    results[scale] = { database: databaseFor(scale).path, serverPid: server.pid, rss: { hwmMb: 0, sampledMaxMb: 0, samples: 0 }, targets: {} }
  }
  const targetNames = targetsFor(fixturesByScale.get(SCALE_NAMES[0])!, '').map((t) => t.name)
  console.log('')
  for (const name of targetNames) {
    for (const scale of SCALE_NAMES) {
      const fixtures = fixturesByScale.get(scale)!
      const server = servers.get(scale)!
      const target = targetsFor(fixtures, server.baseUrl).find((t) => t.name === name)!
      labels.set(target.name, target.label)
      const m = await measure(target, server.baseUrl, observers.get(scale))
      results[scale].targets[name] = m
      const warn = target.kind === 'read' && m.probe.status !== 200 ? `  (probe answered ${m.probe.status})` : ''
      console.log(
        `  ${target.label.padEnd(34)} ${scale.padEnd(6)} ${fmt(m.reqPerSec, 9)} req/s  p50 ${fmt(m.p50Ms, 7)} ms  p99 ${fmt(m.p99Ms, 7)} ms  failed ${m.failures}  unanswered at the end ${m.unanswered}${warn}`,
      )
      if (m.fanOut) {
        const f = m.fanOut
        console.log(
          `  ${''.padEnd(39)} ${f.repliesStored} replies stored; fan-out ${f.pendingAtEnd} behind at the end, ${f.drainSeconds === null ? `not drained within ${DRAIN_TIMEOUT_MS / 1000} s` : `drained in ${f.drainSeconds} s`}; ${f.notifications} notifications (${f.notificationRows} new rows), ${f.emailsQueued} emails queued`,
        )
        const answered = m.statuses['3xx'] - (m.misdirected ?? 0)
        if (f.repliesStored < answered) console.warn(`  warning: ${answered} replies answered 302 but the thread gained only ${f.repliesStored} posts`)
        // Each member may reply once per 10 s; a faster rate than the pool allows would be refused (429).
        const members = fixtures.replies.memberCookies.length
        if (m.reqPerSec * 10 > members) console.warn(`  warning: ${m.reqPerSec} replies/s outruns ${members} members posting once per 10 s each`)
      }
      if (target.name === 'threadAnonymous' && m.probe.status === 200) {
        const response = await fetch(server.baseUrl + target.path)
        bareBody = { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'text/html' }
      }
      if (target.name === 'threadSignedIn') {
        const page = await (await fetch(server.baseUrl + target.path, { headers: target.headers })).text()
        if (!page.includes(fixtures.member.handle) && !page.includes('Sign out')) {
          console.warn('  warning: the signed-in thread page does not look signed in; check the session cookie')
        }
      }
    }
  }
} finally {
  for (const [scale, sampler] of samplers) results[scale].rss = sampler.stop()
  for (const observer of observers.values()) observer.close()
  for (const server of servers.values()) await stopServer(server)
}
for (const scale of servers.keys()) {
  console.log(`  ${scale}: peak RSS ${results[scale].rss.hwmMb} MB (VmHWM); highest 200 ms sample ${results[scale].rss.sampledMaxMb} MB`)
}

if (bareBody) {
  const file = join(tmpdir(), `sectorpulse-bench-bare-${process.pid}.html`)
  writeFileSync(file, bareBody.bytes)
  const port = PORT_BASE + 9
  console.log(`\n== bare node:http server, ${bareBody.bytes.length} bytes of the anonymous 20-post thread page, port ${port}`)
  const server = await startServer(['--import', 'tsx', 'tests/bench/bare-server.ts'], port, { BARE_BODY_FILE: file, BARE_CONTENT_TYPE: bareBody.contentType }, '/')
  try {
    const target: Target = { name: 'bare', label: 'bare node:http', kind: 'read', anonymous: true, path: '/', method: 'GET', headers: {} }
    bare = { ...(await measure(target, server.baseUrl)), bytes: bareBody.bytes.length }
    console.log(`  ${'bare node:http'.padEnd(34)} ${fmt(bare.reqPerSec, 9)} req/s  p50 ${fmt(bare.p50Ms, 7)} ms  p99 ${fmt(bare.p99Ms, 7)} ms`)
  } finally {
    await stopServer(server)
  }
}

// ---------------------------------------------------------------------------------------------
// Budgets, on the large scale

type Verdict = 'PASS' | 'FAIL' | 'SKIP'
interface BudgetCheck {
  budget: string
  target: string | null
  limit: string
  actual: string
  verdict: Verdict
}
const checks: BudgetCheck[] = []
const large = results.large?.targets
const small = results.small?.targets
const check = (budget: string, target: string | null, limit: string, actual: number | null, ok: (n: number) => boolean, unit = '') =>
  checks.push({
    budget,
    target,
    limit,
    actual: actual === null ? 'not measured' : `${round(actual)}${unit}`,
    verdict: actual === null ? 'SKIP' : ok(actual) ? 'PASS' : 'FAIL',
  })

const ANONYMOUS_READS = ['home', 'discussions', 'threadAnonymous', 'thread5kLastPage', 'caseLibraryTwoFacets', 'casePage', 'search', 'eventPage']
const READS = [...ANONYMOUS_READS, 'threadSignedIn']
const REPLIES = ['replyWatched', 'replyUnwatched']
const ALL = [...READS, 'rsvpWrite', ...REPLIES]
const floor = bare ? bare.reqPerSec * BUDGETS.anonymousReadMinShareOfBare : null
for (const name of ANONYMOUS_READS) {
  const m = large?.[name]
  check('req/s >= 25% of bare', name, floor === null ? '?' : `>= ${round(floor)}`, m && floor !== null ? m.reqPerSec : null, (n) => n >= floor!)
}
check('signed-in thread p99', 'threadSignedIn', `<= ${BUDGETS.signedInThreadP99Ms} ms`, large?.threadSignedIn?.p99Ms ?? null, (n) => n <= BUDGETS.signedInThreadP99Ms, ' ms')
for (const name of ['caseLibraryTwoFacets', 'search', 'thread5kLastPage']) {
  check('heavy read p99', name, `<= ${BUDGETS.heavyReadP99Ms} ms`, large?.[name]?.p99Ms ?? null, (n) => n <= BUDGETS.heavyReadP99Ms, ' ms')
}
for (const name of ALL) {
  const ratio = large?.[name] && small?.[name] && small[name].reqPerSec > 0 ? large[name].reqPerSec / small[name].reqPerSec : null
  check('large/small req/s', name, `>= ${BUDGETS.largeVsSmallMinRatio}`, ratio, (n) => n >= BUDGETS.largeVsSmallMinRatio)
}
check('peak server RSS', null, `<= ${BUDGETS.peakRssMb} MB`, results.large ? Math.max(results.large.rss.hwmMb, results.large.rss.sampledMaxMb) : null, (n) => n <= BUDGETS.peakRssMb, ' MB')
for (const name of READS) {
  check('zero non-2xx on reads', name, `<= ${BUDGETS.readNon2xx}`, large?.[name]?.failures ?? null, (n) => n <= BUDGETS.readNon2xx)
}
// The reply budgets compare two targets of one scale, so they hold on every scale measured.
for (const scale of scalesMeasuring(REPLIES)) {
  const { replyWatched: watched, replyUnwatched: unwatched } = results[scale].targets
  // A target that answered nothing in its window has no p99 to compare: it stalled, which fails.
  const ratio = !watched || !unwatched ? null : watched.total === 0 ? Infinity : unwatched.total === 0 || unwatched.p99Ms === 0 ? null : watched.p99Ms / unwatched.p99Ms
  check('watched/unwatched p99', `replyWatched (${scale})`, `<= ${BUDGETS.watchedReplyMaxP99Ratio}`, ratio, (n) => n <= BUDGETS.watchedReplyMaxP99Ratio)
  for (const name of REPLIES) {
    const m = results[scale].targets[name]
    check('zero failed replies', `${name} (${scale})`, `<= ${BUDGETS.replyFailures}`, m?.failures ?? null, (n) => n <= BUDGETS.replyFailures)
  }
}
if (!scalesMeasuring(REPLIES).length) {
  check('watched/unwatched p99', 'replyWatched', `<= ${BUDGETS.watchedReplyMaxP99Ratio}`, null, () => true)
}

function scalesMeasuring(names: string[]): string[] {
  return Object.keys(results).filter((scale) => names.some((name) => results[scale].targets[name]))
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(n: number | undefined, width: number): string {
  return (n === undefined ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)).padStart(width)
}

const scalesRun = Object.keys(results)
const header = ['target'.padEnd(34), ...scalesRun.map((s) => `| ${s.padEnd(6)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-2xx'.padStart(8)} `)].join('')
const lines = [header, '-'.repeat(header.length)]
for (const name of ALL) {
  if (!scalesRun.some((s) => results[s].targets[name])) continue
  const cells = scalesRun.map((s) => {
    const m = results[s].targets[name]
    // For the write target the last column counts 4xx/5xx (a redirect is its success).
    return `|        ${fmt(m?.reqPerSec, 8)} ${fmt(m?.p50Ms, 8)} ${fmt(m?.p99Ms, 8)} ${String(m ? (m.kind === 'read' ? m.non2xx : m.failures) : '-').padStart(8)} `
  })
  lines.push([(labels.get(name) ?? name).padEnd(34), ...cells].join(''))
}
lines.push(['peak server RSS (MB)'.padEnd(34), ...scalesRun.map((s) => `|        ${fmt(results[s].rss.hwmMb, 8)} ${''.padStart(8)} ${''.padStart(8)} ${''.padStart(8)} `)].join(''))
if (bare) lines.push(`${'bare node:http (reference)'.padEnd(34)}| ${fmt(bare.reqPerSec, 14)} ${fmt(bare.p50Ms, 8)} ${fmt(bare.p99Ms, 8)} ${String(bare.non2xx).padStart(8)}`)

console.log(`\n== Results: ${CONNECTIONS} connections, ${DURATION} s per target after ${WARMUP} s of warm-up, ${cpus().length} CPUs, Node ${process.version}\n`)
console.log(lines.join('\n'))
if (scalesMeasuring(REPLIES).length) {
  console.log('\n== Replies and their notification fan-out (after the load, until no activity waits)\n')
  for (const scale of scalesMeasuring(REPLIES)) {
    for (const name of REPLIES) {
      const m = results[scale].targets[name]
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
console.log('\n== Budgets (large scale; the reply budgets on every scale)\n')
for (const c of checks) {
  console.log(`  ${c.verdict.padEnd(4)}  ${c.budget.padEnd(24)} ${(c.target ?? '').padEnd(22)} ${c.actual.padStart(14)}  (${c.limit})`)
}
const failed = checks.filter((c) => c.verdict === 'FAIL').length
const skipped = checks.filter((c) => c.verdict === 'SKIP').length
console.log(`\n  ${checks.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped (not measured in this run)` : ''}`)

const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? ''
const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  workingTreeDirty: git(['status', '--porcelain']).length > 0,
  node: process.version,
  cpus: cpus().length,
  settings: { durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS, scales: scalesRun, targets: TARGET_FILTER ? [...TARGET_FILTER] : 'all', cpuProfile: CPU_PROF_DIR },
  budgets: BUDGETS,
  scales: results,
  bare,
  checks,
  passed: failed === 0,
}
const resultsDir = join(ROOT, 'tests/bench/results')
mkdirSync(resultsDir, { recursive: true })
const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
writeFileSync(join(resultsDir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`)
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\n  Figures written to tests/bench/results/${stamp}.json and latest.json`)
process.exitCode = failed ? 1 : 0
