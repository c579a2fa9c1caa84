import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrations } from './migrations/index'
import { databasePath } from './path'
import type { Database } from './schema'

export { DEFAULT_DATABASE_PATH, databasePath } from './path'

export function openDatabase(path: string = databasePath()): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const sqlite = new BetterSqlite3(path)
  // WAL lets readers run beside the one writer; FULL survives power loss, so a member's
  // words are on disk before we say "posted"; busy_timeout makes a second process wait.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const maxBytes = Number(process.env.DATABASE_MAX_BYTES)
  if (maxBytes > 0) {
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number
    sqlite.pragma(`max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`)
  }
  const database = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    log: (event) => {
      if (event.level === 'error') {
        if (isDatabaseUnavailable(event.error)) noteWriteFailure(event.error)
        return
      }
      queriesRun++
      if (WRITE_STATEMENT.test(event.query.sql)) writesRun++
      recording?.push({ sql: event.query.sql, parameters: event.query.parameters })
    },
  })
  connections.set(database, sqlite)
  return database
}

/**
 * Kysely's SQLite driver prepares every query anew; a page runs the same few dozen statements
 * over and over, so each is prepared once per connection and reused (better-sqlite3 runs them
 * synchronously, one at a time, so a cached statement is never busy when asked for again).
 */
function withStatementCache(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  const statements = new Map<string, BetterSqlite3.Statement>()
  const prepare = (source: string) => {
    let statement = statements.get(source)
    if (!statement) {
      // Queries with long `in (...)` lists vary in shape; a bound keeps the cache small.
      if (statements.size >= 1000) statements.clear()
      statement = sqlite.prepare(source)
      statements.set(source, statement)
    }
    return statement
  }
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

let queriesRun = 0
let writesRun = 0
let recording: { sql: string; parameters: readonly unknown[] }[] | null = null
// A rollback counts too: a page rendered mid-transaction (one connection serves every request)
// may show rows the rollback took away.
const WRITE_STATEMENT = /^\s*(insert|update|delete|replace|commit|rollback|create|drop|alter)\b/i
const connections = new WeakMap<Kysely<Database>, BetterSqlite3.Database>()

/**
 * A token that changes whenever the database may have changed: a write through this process's
 * connection, or a commit by any other connection to the same file (SQLite's data_version).
 * The page cache keeps it beside what it rendered; a different token means the page is stale.
 */
export function databaseVersion(database: Kysely<Database> = db): string {
  const sqlite = connections.get(database)
  if (!sqlite?.open) throw new Error('databaseVersion needs an open connection made by openDatabase')
  return `${writesRun}:${sqlite.pragma('data_version', { simple: true })}`
}

/** How many SQL queries `work` ran: tests use it to hold pages to a fixed number of queries. */
export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = queriesRun
  const result = await work()
  return { result, queries: queriesRun - before }
}

/** The SQL `work` ran, with its parameters: tests ask SQLite how it plans each hot query. */
export async function recordQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: { sql: string; parameters: readonly unknown[] }[] }> {
  const queries: { sql: string; parameters: readonly unknown[] }[] = []
  recording = queries
  try {
    return { result: await work(), queries }
  } finally {
    recording = null
  }
}

/** SQLite's plan for a query, one line per step ("SEARCH p USING INDEX ...", "SCAN t", ...). */
export function explainQueryPlan(query: { sql: string; parameters: readonly unknown[] }, database: Kysely<Database> = db): string[] {
  const sqlite = connections.get(database)
  if (!sqlite) throw new Error('explainQueryPlan needs a connection made by openDatabase')
  const rows = sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]
  return rows.map((row) => row.detail)
}

// Codes SQLite gives when the fault is the machine's, not the request's: a full disk (or
// DATABASE_MAX_BYTES reached), an I/O error, a read-only file, a lock held past busy_timeout.
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)(_|$)/

/** True when `error` is SQLite failing for a reason the member cannot fix by changing the request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code)
}

/**
 * Runs a write that a page can do without (a read marker, a session's renewal): false instead
 * of an error when the database cannot write, so reading keeps working on a full disk.
 */
export async function writeIfPossible(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write()
    return true
  } catch (error) {
    if (isDatabaseUnavailable(error)) return false
    throw error
  }
}

let lastWriteFailure: { at: number; code: string; message: string } | null = null

function noteWriteFailure(error: unknown) {
  const { code, message } = error as { code: string; message: string }
  lastWriteFailure = { at: Date.now(), code, message }
}

// On a nearly full disk small writes still fit in free pages while larger ones fail, so one
// success proves nothing: a failure is reported for this long after it happened.
export const WRITE_FAILURE_REPORTED_MS = 5 * 60 * 1000

/** The last failure of the database for the machine's reasons, if within WRITE_FAILURE_REPORTED_MS. */
export function recentWriteFailure(now = Date.now()): { at: Date; code: string; message: string } | null {
  if (!lastWriteFailure || now - lastWriteFailure.at > WRITE_FAILURE_REPORTED_MS) return null
  return { ...lastWriteFailure, at: new Date(lastWriteFailure.at) }
}

/**
 * The better-sqlite3 connection under a Kysely instance, for the few statements that must run
 * synchronously (rate limits answer inside a request before anything is awaited).
 */
export function sqliteConnection(database: Kysely<Database> = db): BetterSqlite3.Database {
  const sqlite = connections.get(database)
  if (!sqlite) throw new Error('sqliteConnection needs a connection made by openDatabase')
  return sqlite
}

/** The one Kysely instance of this process (better-sqlite3 has one connection per process). */
export const db: Kysely<Database> = openDatabase()

const openTransactions = new WeakSet<Kysely<Database>>()

/**
 * Runs `work` in a transaction that takes the write lock up front (BEGIN IMMEDIATE).
 * Kysely's own transactions begin DEFERRED: two processes that both read then write would
 * deadlock on the upgrade and one gets SQLITE_BUSY without waiting. IMMEDIATE waits instead.
 */
export async function writeTransaction<T>(
  work: (trx: Kysely<Database>) => Promise<T>,
  database: Kysely<Database> = db,
): Promise<T> {
  // Called with a transaction's own handle, the work joins that transaction (one seed run can
  // create many threads atomically through the same model functions members use).
  if (openTransactions.has(database)) return work(database)
  return database.connection().execute(async (conn) => {
    openTransactions.add(conn)
    await sql`begin immediate`.execute(conn)
    try {
      const result = await work(conn)
      await sql`commit`.execute(conn)
      return result
    } catch (error) {
      // SQLite ends the transaction itself on some failures (SQLITE_FULL, I/O errors); a second
      // rollback would fail and replace the error that says what really happened.
      if (connections.get(database)?.inTransaction) await sql`rollback`.execute(conn)
      throw error
    }
  })
}

export async function migrateToLatest(database: Kysely<Database> = db): Promise<string[]> {
  const migrator = new Migrator({
    db: database,
    provider: { getMigrations: async () => migrations },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * Moves every committed write from the -wal file into the database file, then closes: after
 * this the `.db` file alone holds everything, so copying just it loses nothing.
 */
export async function closeDatabase(database: Kysely<Database> = db): Promise<void> {
  const sqlite = connections.get(database)
  if (!sqlite?.open) return
  // A request cut off at the end of the shutdown grace may have left its transaction open; it
  // was never acknowledged, and a checkpoint cannot run inside it.
  if (sqlite.inTransaction) sqlite.exec('rollback')
  const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
  if (result?.busy) console.error('The final WAL checkpoint was blocked by another connection; the -wal file still holds writes.')
  await database.destroy()
}
