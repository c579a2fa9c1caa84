/**
 * How `npm run bench` drives one target and what it measures (run.ts decides which targets, on
 * which servers): autocannon's load, the writes it times itself, the server's CPU time per page
 * over its whole process tree, its memory, and the notification fan-out its writes cause.
 */
import type { ChildProcess } from 'node:child_process'
import type { IncomingHttpHeaders } from 'node:http'
import autocannon from 'autocannon'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { cpuMsPerPage, readTreeCpuTicks, type sampleTreeRss, TICKS_PER_SECOND } from './process-tree'
import { percentile, round, roundOrNull } from './stats'

export type Mode = 'cached' | 'uncached'

export interface LoadSettings {
  connections: number
  durationSeconds: number
  warmupSeconds: number
  /** How long to wait for the notification fan-out after a write target. */
  drainTimeoutMs: number
}

/** A write unanswered this long counts as not acknowledged (autocannon's own timeout for reads). */
const WRITE_TIMEOUT_MS = 10_000

/** The autocannon loads running now, stopped by run.ts when the benchmark is interrupted. */
export const running = new Set<autocannon.Instance>()

export interface Server {
  child: ChildProcess
  pid: number
  baseUrl: string
  output: () => string
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface Sent {
  path?: string
  headers?: Record<string, string>
  body?: string
}

export interface Target {
  name: string
  label: string
  kind: 'read' | 'write'
  /** The modes it is measured in: one-URL writes and most one-URL reads only as deployed. */
  modes: Mode[]
  /** An anonymous one-URL read, compared with the bare server. */
  anonymous: boolean
  path: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Request bodies, sent in turn on each connection. */
  bodies?: string[]
  /** A fresh request for every send (another URL, member or text), instead of `bodies`. */
  next?: () => Sent
  /** For a write answered by a redirect: whether a response is the success it should be. */
  succeeded?: (status: number, location: string | null) => boolean
  /** A write whose notifications fan out after the request: the thread it posts to. */
  fanOutThreadId?: number
  /** Writes sent at a steady rate beside the load, each checked and timed (the write mix). */
  writer?: { perSecond: number; next: () => Required<Sent>; succeeded: (status: number, location: string | null, path: string) => boolean }
  /** A signed-in read: the probe's page must show a way to sign out. */
  signedIn?: boolean
}

export interface WriteMeasurement {
  perSecond: number
  sent: number
  acknowledged: number
  /** Refused, failed, misdirected or unanswered within WRITE_TIMEOUT_MS. */
  failed: number
  p50Ms: number | null
  p99Ms: number | null
}

export interface Measurement {
  mode: Mode
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
  /** Responses the page cache answered (X-Cache: HIT), as a share of all responses. */
  cacheHitShare: number
  /**
   * Server CPU (every process of it) from the start of the load until it is idle again, and
   * that per page: responses answered plus requests it finished after the load stopped.
   */
  cpuSeconds: number
  cpuMsPerPage: number | null
  /** The highest resident memory of any one server process during the measured window. */
  peakProcessRssMb: number
  writes?: WriteMeasurement
  fanOut?: FanOutMeasurement
}

/** What the background fan-out did with a reply target's writes, read from the database. */
export interface FanOutMeasurement {
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
    const instance = autocannon(options, (error, result) => {
      running.delete(instance)
      if (error) fail(error)
      else done(result)
    })
    running.add(instance)
  })
}

const headerOf = (headers: IncomingHttpHeaders | undefined, name: string): string | undefined => {
  if (!headers) return undefined
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value
  return undefined
}

function cannonOptions(target: Target, baseUrl: string, duration: number, connections: number, seen = { misdirected: 0, hits: 0 }): autocannon.Options {
  const { next, succeeded } = target
  const onResponse = (status: number, _body: string, _context: object, headers?: IncomingHttpHeaders) => {
    if (headerOf(headers, 'x-cache') === 'HIT') seen.hits++
    if (!succeeded || status < 300 || status >= 400) return // 4xx/5xx are counted by autocannon itself
    if (!succeeded(status, headerOf(headers, 'location') ?? null)) seen.misdirected++
  }
  return {
    url: baseUrl + target.path,
    connections,
    duration,
    method: target.method,
    headers: target.headers,
    requests: next
      ? [
          {
            method: target.method,
            setupRequest: (request) => {
              const sent = next()
              return {
                ...request,
                ...(sent.path ? { path: sent.path } : {}),
                headers: { ...request.headers, ...sent.headers },
                ...(sent.body !== undefined ? { body: sent.body } : {}),
              }
            },
            onResponse,
          },
        ]
      : target.bodies
        ? target.bodies.map((body) => ({ method: target.method, body, onResponse }))
        : [{ method: target.method, onResponse }],
  }
}

/**
 * Sends the writer's requests at its steady rate for `durationMs` (each on time, whether or not
 * the one before was answered, as members do), then waits for the last to be answered.
 */
async function writeSteadily(writer: NonNullable<Target['writer']>, baseUrl: string, durationMs: number): Promise<WriteMeasurement> {
  const latencies: number[] = []
  let sent = 0
  let acknowledged = 0
  const inFlight: Promise<void>[] = []
  const started = performance.now()
  for (let i = 0; i * (1000 / writer.perSecond) < durationMs; i++) {
    const due = started + i * (1000 / writer.perSecond)
    await sleep(Math.max(0, due - performance.now()))
    const request = writer.next()
    const sentAt = performance.now()
    sent++
    inFlight.push(
      fetch(baseUrl + request.path, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
      })
        .then(async (response) => {
          await response.arrayBuffer()
          if (writer.succeeded(response.status, response.headers.get('location'), request.path)) acknowledged++
        })
        .catch(() => {
          // unanswered within WRITE_TIMEOUT_MS, or the connection failed: not acknowledged
        })
        .finally(() => latencies.push(performance.now() - sentAt)),
    )
  }
  await Promise.all(inFlight)
  const p = (n: number) => {
    const value = percentile(latencies, n)
    return value === null ? null : round(value)
  }
  return { perSecond: writer.perSecond, sent, acknowledged, failed: sent - acknowledged, p50Ms: p(50), p99Ms: p(99) }
}

// ---------------------------------------------------------------------------------------------
// The notification fan-out, watched from the database (a second connection; WAL lets it read
// beside the server's writes without blocking them).

/** A second, reading connection to the server's database: its SQLite file, or its PostgreSQL database. */
export type Observer = Kysely<unknown>

export function openObserver(database: { path: string; url: string | null }): Observer {
  if (database.url) return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) })
  return new Kysely({ dialect: new SqliteDialect({ database: new BetterSqlite3(database.path, { readonly: true, fileMustExist: true }) }) })
}

async function fanOutCounters(database: Observer, threadId: number) {
  const one = async (query: ReturnType<typeof sql<{ n: number | string | null }>>) => Number((await query.execute(database)).rows[0]?.n ?? 0)
  return {
    pending: await one(sql`select count(*) as n from activities where processed_at is null`),
    lastPostNumber: await one(sql`select last_post_number as n from threads where id = ${threadId}`),
    notificationRows: await one(sql`select count(*) as n from notifications`),
    notifications: await one(sql`select sum(count) as n from notifications`),
    emails: await one(sql`select count(*) as n from mail_outbox`),
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
export async function waitForFanOut(database: Observer, timeoutMs: number): Promise<number | null> {
  const QUIET_MS = 3_000 // three turns of the fan-out's 1 s poll
  const started = performance.now()
  const state = async () => {
    const { rows } = await sql<{ pending: number | string; last_post: number | string | null }>`
      select (select count(*) from activities where processed_at is null) as pending, (select max(id) from posts) as last_post`.execute(database)
    return { pending: Number(rows[0].pending), lastPost: Number(rows[0].last_post ?? 0) }
  }
  let lastPost = -1
  let lastBusyAt = started
  for (;;) {
    const now = performance.now()
    const { pending, lastPost: post } = await state()
    if (pending > 0 || post !== lastPost) lastBusyAt = now
    lastPost = post
    if (pending === 0 && now - lastBusyAt >= QUIET_MS) return round((lastBusyAt - started) / 1000)
    if (now - started > timeoutMs) return null
    await sleep(100)
  }
}

/**
 * Waits until the server's processes use (nearly) no CPU: at most 20 ms in 300 ms, about what
 * the background jobs' polls cost.
 */
async function waitUntilIdle(pid: number, timeoutMs = 60_000): Promise<void> {
  const started = performance.now()
  let last = readTreeCpuTicks(pid)
  for (;;) {
    await sleep(300)
    const now = readTreeCpuTicks(pid)
    if (((now - last) * 1000) / TICKS_PER_SECOND <= 20) return
    last = now
    if (performance.now() - started > timeoutMs) {
      console.warn(`  warning: the server was still busy ${timeoutMs / 1000} s after the load`)
      return
    }
  }
}

export interface RunningServer extends Server {
  rss: ReturnType<typeof sampleTreeRss>
}

export async function measure(target: Target, mode: Mode, server: RunningServer, settings: LoadSettings, database?: Observer): Promise<Measurement> {
  const { baseUrl } = server
  const { connections, durationSeconds, warmupSeconds, drainTimeoutMs } = settings
  const writes = target.fanOutThreadId !== undefined || target.writer !== undefined
  const fanOutDatabase = writes ? database : undefined
  let before: Awaited<ReturnType<typeof fanOutCounters>> | null = null
  if (fanOutDatabase) {
    // Start from an idle fan-out, so no earlier target's work runs during this one's load.
    if ((await waitForFanOut(fanOutDatabase, drainTimeoutMs)) === null) console.warn('  warning: the fan-out was still busy with earlier writes')
    if (target.fanOutThreadId !== undefined) before = await fanOutCounters(fanOutDatabase, target.fanOutThreadId)
  }
  const probeRequest = target.next?.()
  const probeResponse = await fetch(baseUrl + (probeRequest?.path || target.path), {
    method: target.method,
    headers: { ...target.headers, ...probeRequest?.headers },
    body: probeRequest?.body ?? target.bodies?.[0],
    redirect: 'manual',
  })
  const probeText = await probeResponse.text()
  const probe = { status: probeResponse.status, bytes: Buffer.byteLength(probeText), location: probeResponse.headers.get('location') }
  if (target.succeeded && !target.succeeded(probe.status, probe.location)) {
    console.warn(`  warning: the probe ${target.method} ${target.path} answered ${probe.status} ${probe.location ?? ''}`)
  }
  if (target.signedIn && !probeText.includes('Sign out')) console.warn(`  warning: ${target.name}'s page does not look signed in; check the session cookies`)
  if (mode === 'uncached' && probeResponse.headers.get('x-cache') === 'HIT') console.warn('  warning: the page cache answered with PAGE_CACHE_TTL_MS=0')
  if (warmupSeconds > 0) await cannon(cannonOptions(target, baseUrl, warmupSeconds, connections))

  // The server keeps rendering what the warm-up left in flight after autocannon hangs up; that
  // work must not be charged to the measured pages.
  await waitUntilIdle(server.pid)
  const seen = { misdirected: 0, hits: 0 }
  server.rss.mark()
  const ticksBefore = readTreeCpuTicks(server.pid)
  const [result, written] = await Promise.all([
    cannon(cannonOptions(target, baseUrl, durationSeconds, connections, seen)),
    target.writer ? writeSteadily(target.writer, baseUrl, durationSeconds * 1000) : Promise.resolve(undefined),
  ])
  // Likewise the requests in flight when the load stopped are finished by the server: their CPU
  // is counted until it is idle, and they count as pages served.
  await waitUntilIdle(server.pid)
  const ticksAfter = readTreeCpuTicks(server.pid)
  const peakProcessRssMb = round(server.rss.windowPeakMb())
  const unanswered = Math.max(0, result.requests.sent - result.requests.total - result.timeouts)
  const pages = result.requests.total + unanswered + (written?.sent ?? 0)

  let fanOut: FanOutMeasurement | undefined
  if (fanOutDatabase) {
    const pendingAtEnd = before ? (await fanOutCounters(fanOutDatabase, target.fanOutThreadId!)).pending : 0
    const drainSeconds = await waitForFanOut(fanOutDatabase, drainTimeoutMs)
    if (before) {
      const after = await fanOutCounters(fanOutDatabase, target.fanOutThreadId!)
      fanOut = {
        repliesStored: after.lastPostNumber - before.lastPostNumber,
        pendingAtEnd,
        drainSeconds,
        notificationRows: after.notificationRows - before.notificationRows,
        notifications: after.notifications - before.notifications,
        emailsQueued: after.emails - before.emails,
      }
    }
  }
  const statuses = { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] }
  const failed = target.kind === 'read' ? result.non2xx : statuses['4xx'] + statuses['5xx'] + statuses['1xx'] + seen.misdirected
  return {
    mode,
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
    unanswered,
    cacheHitShare: result.requests.total ? round(seen.hits / result.requests.total) : 0,
    cpuSeconds: round((ticksAfter - ticksBefore) / TICKS_PER_SECOND),
    cpuMsPerPage: roundOrNull(cpuMsPerPage(ticksBefore, ticksAfter, TICKS_PER_SECOND, pages)),
    peakProcessRssMb,
    ...(target.succeeded ? { misdirected: seen.misdirected } : {}),
    ...(written ? { writes: written } : {}),
    ...(fanOut ? { fanOut } : {}),
  }
}

