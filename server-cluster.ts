import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'

/**
 * Several worker processes on one SQLite file, one per core by default in production
 * (WEB_CONCURRENCY=N; 1 runs everything in this one process, with no cluster). The primary
 * prepares the database once (migrations, seed, first admin) before any worker starts, then
 * only supervises: it replaces a worker that dies (waiting longer after each one that died
 * young), and on SIGTERM/SIGINT asks every worker to finish its requests and waits for all of
 * them. Workers share the listening port (node's cluster module). What
 * must stay right across them lives in the database: rate limits, and the change log each
 * worker's page cache reads. The background jobs run in exactly one worker.
 */
export function webConcurrency(): number {
  const setting = process.env.WEB_CONCURRENCY
  // One process while developing: Vite's dev server and its reloads belong to one process.
  if (setting === undefined || setting === '') return process.env.NODE_ENV === 'production' ? availableParallelism() : 1
  const workers = Number(setting)
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error('WEB_CONCURRENCY must be a whole number of worker processes, 1 or more.')
  return workers
}

const MINUTE = 60_000

/**
 * The old-space limit of each worker's JavaScript heap, in MB (SERVER_HEAP_MB, default 128).
 * A worker keeps about 100 MB alive, but under load V8 grew its heap to 380 MB over the
 * benchmark and kept it; capped, it collects sooner and stays near 250 MB of memory, at the
 * price of more collection (about a tenth more CPU per page, measured in-process through much
 * noise). A worker that needs more than the cap dies and is replaced.
 * Compression runs on libuv's threads, and glibc gives each thread its own malloc arena that
 * it rarely returns; workers start with MALLOC_ARENA_MAX=2 (unless set), which took the largest
 * worker over the whole large benchmark from 308 MB to 289 MB.
 */
export function workerHeapMb(): number {
  const setting = process.env.SERVER_HEAP_MB
  if (setting === undefined || setting === '') return 128
  const mb = Number(setting)
  if (!Number.isSafeInteger(mb) || mb < 64) throw new Error('SERVER_HEAP_MB must be a whole number of megabytes, 64 or more.')
  return mb
}

/** True in the process that supervises workers rather than serving (WEB_CONCURRENCY above 1). */
export const supervisesWorkers = () => cluster.isPrimary && webConcurrency() > 1

/** True in the one process that runs the background jobs: the only process, or the first worker. */
export const runsBackgroundJobs = () => cluster.isPrimary || process.env.SECTORPULSE_JOBS_WORKER === '1'

/**
 * Forks the workers and watches them until they have all stopped; the process then exits. The
 * returned promise never settles: the primary has nothing else to do.
 */
export function superviseWorkers(count = webConcurrency()): Promise<never> {
  let stopping = false
  let jobsWorker: Worker | null = null
  const startedAt = new Map<Worker, number>()
  // A worker that dies soon after it started will likely die again (a broken file, a full
  // disk): each such restart waits twice as long as the last, up to a minute, rather than
  // forking in a tight loop; a worker that lived a minute puts the wait back to nothing.
  let restartDelayMs = 0
  cluster.setupPrimary({ execArgv: [...process.execArgv, `--max-old-space-size=${workerHeapMb()}`] })
  const fork = (runsJobs: boolean) => {
    const worker = cluster.fork({ ...(runsJobs ? { SECTORPULSE_JOBS_WORKER: '1' } : {}), MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || '2' })
    startedAt.set(worker, Date.now())
    if (runsJobs) jobsWorker = worker
  }
  cluster.on('exit', (worker, code, signal) => {
    const ranJobs = worker === jobsWorker
    const lived = Date.now() - (startedAt.get(worker) ?? 0)
    startedAt.delete(worker)
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    restartDelayMs = lived >= MINUTE ? 0 : Math.min(Math.max(restartDelayMs * 2, 1000), MINUTE)
    const when = restartDelayMs ? ` in ${restartDelayMs / 1000} s` : ''
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}) after ${Math.round(lived / 1000)} s; starting another${when}.`)
    setTimeout(() => {
      if (!stopping) fork(ranJobs)
    }, restartDelayMs)
  })
  for (let n = 0; n < count; n++) fork(n === 0)
  console.log(`SectorPulse runs ${count} worker processes (WEB_CONCURRENCY).`)

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: asking ${count} workers to finish their requests and stop.`)
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker)
    if (!workers.length) process.exit(0)
    for (const worker of workers) worker.process.kill('SIGTERM')
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  return new Promise<never>(() => {})
}
