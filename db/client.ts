import type BetterSqlite3 from 'better-sqlite3'
import { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import type { ChangeFeed } from './change-feed'
import { type Connection, notedTags, noteWriteFailure } from './dialects/connection'
import { openPostgres } from './dialects/postgres'
import { openSqlite } from './dialects/sqlite'
import { sqliteSchemaOnPostgres } from './migrations/dialect'
import { migrations } from './migrations/index'
import { databasePath, type DialectName, postgresUrl } from './path'
import type { Database } from './schema'

export { DEFAULT_DATABASE_PATH, databaseLocation, databasePath } from './path'
export { recentWriteFailure } from './dialects/connection'

type SqliteConnection = ReturnType<typeof openSqlite>
type PostgresConnection = ReturnType<typeof openPostgres>

const connections = new WeakMap<Kysely<Database>, Connection>()

/**
 * Opens the database this process uses: the PostgreSQL database DATABASE_URL names, or else the
 * SQLite file at `path` (DATABASE_PATH). Everything above db/ speaks to either through Kysely
 * and the functions below.
 */
export function openDatabase(path: string = databasePath(), url: string | null = postgresUrl()): Kysely<Database> {
  const connection: Connection = url ? openPostgres(url) : openSqlite(path)
  const database = new Kysely<Database>({
    dialect: connection.kyselyDialect,
    log: (event) => {
      if (event.level === 'error') {
        if (connection.isUnavailable(event.error)) noteWriteFailure(event.error)
        return
      }
      queriesRun++
      connection.onQuery(event.query.sql)
      recording?.push({ sql: event.query.sql, parameters: event.query.parameters })
    },
  })
  connections.set(database, connection)
  return database
}

function connectionOf(database: Kysely<Database>): Connection {
  const connection = connections.get(database)
  if (!connection) throw new Error('This needs a connection made by openDatabase')
  return connection
}

/** The one Kysely instance of this process. */
export const db: Kysely<Database> = openDatabase()

/** Which database `database` speaks to. */
export const dialectOf = (database: Kysely<Database> = db): DialectName => connectionOf(database).dialect

let queriesRun = 0
let recording: { sql: string; parameters: readonly unknown[] }[] | null = null

/**
 * Notes what the open writeTransaction changes, as page-cache tags (db/page-tags.ts names
 * them): only cached pages that show one of these are retired when it commits. A transaction
 * that writes without noting anything retires every page.
 */
export function noteChanges(trx: Kysely<Database>, tags: readonly string[]): void {
  const noted = notedTags(trx)
  if (!noted) throw new Error('noteChanges runs inside writeTransaction, with its handle')
  for (const tag of tags) noted.add(tag)
}

/** The change log of `database`, for whatever follows it (followChanges in db/change-feed.ts). */
export function changeFeedOf(database: Kysely<Database> = db): ChangeFeed {
  return connectionOf(database).changeFeed()
}

/** How many SQL queries `work` ran: tests use it to hold pages to a fixed number of queries. */
export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = queriesRun
  const result = await work()
  return { result, queries: queriesRun - before }
}

/** The SQL `work` ran, with its parameters: tests ask the database how it plans each hot query. */
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
  return (connectionOf(database) as SqliteConnection).sqliteQueryPlan(query)
}

/**
 * PostgreSQL's plan for a query (EXPLAIN, with sequential scans, bitmap scans and sorts priced
 * as a last resort), one line per row ("Index Scan using ...", "Seq Scan on t", ...).
 */
export function postgresQueryPlan(query: { sql: string; parameters: readonly unknown[] }, database: Kysely<Database> = db): Promise<string[]> {
  return (connectionOf(database) as PostgresConnection).postgresQueryPlan(query)
}

/** True when `error` is the database failing for a reason the member cannot fix by changing the request. */
export function isDatabaseUnavailable(error: unknown, database: Kysely<Database> = db): boolean {
  return connectionOf(database).isUnavailable(error)
}

/** True when `error` is a write refused by a unique index or constraint. */
export function isUniqueViolation(error: unknown, database: Kysely<Database> = db): boolean {
  return connectionOf(database).isUniqueViolation(error)
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

/** The better-sqlite3 connection under a Kysely instance on SQLite, for tests of SQLite itself. */
export function sqliteConnection(database: Kysely<Database> = db): BetterSqlite3.Database {
  return (connectionOf(database) as SqliteConnection).sqlite
}

/**
 * Runs `work` in a transaction that holds the write lock from its start: on SQLite, BEGIN
 * IMMEDIATE; on PostgreSQL, an advisory lock every write transaction takes. Writes run one at
 * a time, reads beside them. What the work changed (noteChanges) is logged in the same
 * transaction for the page caches.
 */
export async function writeTransaction<T>(
  work: (trx: Kysely<Database>) => Promise<T>,
  database: Kysely<Database> = db,
): Promise<T> {
  return runWriteTransaction(work, database, { durable: true, tags: [] })
}

/**
 * A member's own bookkeeping (read markers, notifications seen): a write every page view may
 * make, so it neither waits for the disk (a power cut may lose the last few, a crash of the
 * process loses none, and the next ordinary commit makes them durable) nor retires anything but
 * that member's own cached pages.
 */
export async function writeMemberBookkeeping<T>(
  memberTag: string,
  work: (trx: Kysely<Database>) => Promise<T>,
  database: Kysely<Database> = db,
): Promise<T> {
  return runWriteTransaction(work, database, { durable: false, tags: [memberTag] })
}

async function runWriteTransaction<T>(
  work: (trx: Kysely<Database>) => Promise<T>,
  database: Kysely<Database>,
  options: { durable: boolean; tags: readonly string[] },
): Promise<T> {
  // Called with a transaction's own handle, the work joins that transaction (one seed run can
  // create many threads atomically through the same model functions members use).
  if (notedTags(database)) {
    noteChanges(database, options.tags)
    return work(database)
  }
  return connectionOf(database).transaction(database, options, work)
}

/** Runs `work` while no other process does the same (the preparation of a database at start). */
export function exclusively<T>(work: () => Promise<T>, database: Kysely<Database> = db): Promise<T> {
  return connectionOf(database).exclusively(database, work)
}

export async function migrateToLatest(database: Kysely<Database> = db): Promise<string[]> {
  const migrator = new Migrator({
    db: dialectOf(database) === 'postgres' ? database.withPlugin(sqliteSchemaOnPostgres) : database,
    provider: { getMigrations: async () => migrations },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * Closes the database. On SQLite, first moves every committed write from the -wal file into
 * the database file: after this the `.db` file alone holds everything.
 */
export async function closeDatabase(database: Kysely<Database> = db): Promise<void> {
  const connection = connections.get(database)
  if (connection) await connection.close(database)
}
