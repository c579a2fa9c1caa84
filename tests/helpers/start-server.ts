import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createTestDatabase, testPostgresUrl } from './postgres'
import type { DatabaseAddress } from './server-database'

export interface RunningServer extends DatabaseAddress {
  baseUrl: string
  /** The process started: the only one, or the primary that supervises WEB_CONCURRENCY workers. */
  pid: number
  /** Everything the server printed, for asserting on what it logged. */
  logPath: string
  adminEmail: string
  adminPassword: string
  output: () => string
  /** SIGTERM, resolving once the process has exited. */
  stop: () => Promise<void>
  /** SIGKILL: the process dies at once, as in a crash or power cut. */
  kill: () => Promise<void>
  exitCode: () => number | null
}

const ROOT = resolve(import.meta.dirname, '../..')

/** Each server this process started, by base URL: where its database is (for reading its outbox). */
export const serverDatabases = new Map<string, DatabaseAddress>()

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolvePort(port))
    })
  })
}

/**
 * Starts the production build (server.ts) over real HTTP, on a fresh temporary database unless
 * `env` names one (to restart on the same data: `databaseEnv` of the server before).
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sectorpulse-server-'))
  const databasePath = env.DATABASE_PATH ?? join(dir, 'server.db')
  const databaseUrl = env.DATABASE_URL ?? (testPostgresUrl() ? await createTestDatabase() : undefined)
  const logPath = join(dir, 'server.log')
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      TRUST_PROXY: '1',
      // The address the tests browse; the origin check compares every write with it.
      SITE_URL: `http://127.0.0.1:${port}`,
      // One process unless a test asks for workers: the suite runs many servers side by side.
      WEB_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const record = (chunk: Buffer) => {
    output += chunk
    appendFileSync(logPath, chunk)
  }
  child.stdout!.on('data', record)
  child.stderr!.on('data', record)

  const baseUrl = `http://127.0.0.1:${port}`
  // Workers (WEB_CONCURRENCY) start after the database is prepared: on a busy machine that takes a while.
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.ts exited early:\n${output}`)
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill()
      throw new Error(`server.ts did not answer /healthz within 90 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }

  const signal = (name: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill(name)
    })

  serverDatabases.set(baseUrl, { databasePath, databaseUrl })
  const admin = /email:\s+(\S+)\s+password:\s+(\S+)/.exec(output)
  return {
    baseUrl,
    databasePath,
    databaseUrl,
    pid: child.pid!,
    logPath,
    adminEmail: admin?.[1] ?? '',
    adminPassword: admin?.[2] ?? '',
    output: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    exitCode: () => child.exitCode,
  }
}

/** The environment that starts another server on `server`'s database. */
export function databaseEnv(server: DatabaseAddress): Record<string, string> {
  return { DATABASE_PATH: server.databasePath, ...(server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : {}) }
}
