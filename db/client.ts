import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import type { ChangeFeed } from './change-feed'
import { migrations } from './migrations/index'
import { pageTags } from './page-tags'
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
  const state: ConnectionState = { sqlite, commits: 0, open: null, statements: null }
  const database = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    log: (event) => {
      if (event.level === 'error') {
        if (isDatabaseUnavailable(event.error)) noteWriteFailure(event.error)
        return
      }
      queriesRun++
      if (CHANGING_STATEMENT.test(event.query.sql)) {
        if (state.open) state.open.wrote = true
        else {
          // A write outside writeTransaction commits on its own and notes nothing: unless its
          // table is one no tagged page shows, it retires every cached page, in every process.
          recordChange(state, autocommitTags(event.query.sql), { swallowUnavailable: true })
          state.commits++
        }
      }
      recording?.push({ sql: event.query.sql, parameters: event.query.parameters })
    },
  })
  connections.set(database, state)
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
let recording: { sql: string; parameters: readonly unknown[] }[] | null = null
const CHANGING_STATEMENT = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i

interface ConnectionState {
  sqlite: BetterSqlite3.Database
  /** Commits this connection made: SQLite's data_version counts only other connections'. */
  commits: number
  /** The writeTransaction open on this connection: the tags its work noted, whether it wrote. */
  open: { tags: Set<string>; wrote: boolean } | null
  statements: { record: BetterSqlite3.Statement; prune: BetterSqlite3.Statement; after: BetterSqlite3.Statement; latest: BetterSqlite3.Statement } | null
}
const connections = new WeakMap<Kysely<Database>, ConnectionState>()
const transactionConnections = new WeakMap<Kysely<Database>, ConnectionState>()

function stateOf(database: Kysely<Database>): ConnectionState {
  const state = connections.get(database)
  if (!state) throw new Error('This needs a connection made by openDatabase')
  return state
}

// ---------------------------------------------------------------------------------------------
// The change log: what each commit changed, for the page caches of every process on this file

/** The tag of a write that did not say what it changed: every cached page is retired. */
export const CHANGED_EVERYTHING = '*'
/** The log keeps about this many rows; a reader further behind sees a gap and retires all. */
const CHANGES_KEPT = 10_000
const PRUNE_EVERY = 1_000

/**
 * Tables written outside writeTransaction whose rows no page declaring tags shows: the mail
 * sender's bookkeeping runs after every mail, and retiring every page for it would empty the
 * cache on a busy site. Pages that declare nothing are still retired by these.
 */
const AUTOCOMMIT_TABLE_TAGS: Record<string, string> = { mail_outbox: pageTags.mail, mail_summaries: pageTags.mail }
const WRITTEN_TABLE = /^\s*(?:insert\s+into|update|delete\s+from|replace\s+into)\s+"?(\w+)"?/i

function autocommitTags(statement: string): string {
  const table = WRITTEN_TABLE.exec(statement)?.[1]
  return (table && AUTOCOMMIT_TABLE_TAGS[table]) || CHANGED_EVERYTHING
}

function changeStatements(state: ConnectionState) {
  state.statements ??= {
    record: state.sqlite.prepare('insert into page_changes (tags) values (?)'),
    prune: state.sqlite.prepare('delete from page_changes where id <= ?'),
    after: state.sqlite.prepare('select id, tags from page_changes where id > ? order by id'),
    latest: state.sqlite.prepare('select coalesce(max(id), 0) from page_changes').pluck(),
  }
  return state.statements
}

const missingChangeLog = (error: unknown) => /no such table: (main\.)?(page_changes|sqlite_sequence)/.test(String(error))

function recordChange(state: ConnectionState, tags: string, { swallowUnavailable = false } = {}) {
  try {
    const statements = changeStatements(state)
    const id = Number(statements.record.run(tags).lastInsertRowid)
    if (id % PRUNE_EVERY === 0) statements.prune.run(id - CHANGES_KEPT)
  } catch (error) {
    // Before migration 0017 there is no log and no page cache reading it. A write already
    // committed on its own cannot be undone by failing here; it is reported as a write failure.
    if (missingChangeLog(error)) {
      state.statements = null
      return
    }
    if (swallowUnavailable && isDatabaseUnavailable(error)) return noteWriteFailure(error)
    throw error
  }
}

/**
 * Notes what the open writeTransaction changes, as page-cache tags (db/page-tags.ts names
 * them): only cached pages that show one of these are retired when it commits. A transaction
 * that writes without noting anything retires every page.
 */
export function noteChanges(trx: Kysely<Database>, tags: readonly string[]): void {
  const open = transactionConnections.get(trx)?.open
  if (!open) throw new Error('noteChanges runs inside writeTransaction, with its handle')
  for (const tag of tags) open.tags.add(tag)
}

/**
 * The log's rows after `id`, oldest first, with the version (see databaseVersion) they bring
 * the reader to: both read in one snapshot, so a commit landing in between is in both or neither.
 */
export function changesAfter(id: number, database: Kysely<Database> = db): { version: string; rows: { id: number; tags: string }[] } {
  const state = stateOf(database)
  const read = () => {
    let rows: { id: number; tags: string }[] = []
    try {
      rows = changeStatements(state).after.all(id) as { id: number; tags: string }[]
    } catch (error) {
      if (!missingChangeLog(error)) throw error
    }
    return { version: databaseVersion(database), rows }
  }
  return state.sqlite.inTransaction ? read() : state.sqlite.transaction(read)()
}

/** The id of the newest row the log ever had (0 for none). */
export function latestChangeId(database: Kysely<Database> = db): number {
  const state = stateOf(database)
  try {
    return Number(changeStatements(state).latest.get() ?? 0)
  } catch (error) {
    if (missingChangeLog(error)) return 0
    throw error
  }
}

/**
 * Runs a synchronous write made with the raw connection (rate limits) together with its row in
 * the change log, so other processes can tell it from a change they know nothing about.
 */
export function writeNotingChange<T>(tags: string, write: () => T, database: Kysely<Database> = db): T {
  const state = stateOf(database)
  return state.sqlite
    .transaction(() => {
      const result = write()
      recordChange(state, tags)
      return result
    })
    .immediate()
}

/**
 * A token that changes whenever the database may have changed: a commit through this process's
 * connection, or a commit by any other connection to the same file (SQLite's data_version).
 * Cheap enough to ask on every request; only when it moves does the page cache read the log.
 */
export function databaseVersion(database: Kysely<Database> = db): string {
  const state = stateOf(database)
  if (!state.sqlite.open) throw new Error('databaseVersion needs an open connection made by openDatabase')
  return `${state.commits}:${state.sqlite.pragma('data_version', { simple: true })}`
}

/** The change log of `database`, for whatever follows it (followChanges in db/change-feed.ts). */
export function changeFeedOf(database: Kysely<Database> = db): ChangeFeed {
  return { version: () => databaseVersion(database), latestId: () => latestChangeId(database), after: (id) => changesAfter(id, database) }
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
  const rows = stateOf(database).sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]
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
  return stateOf(database).sqlite
}

/** The one Kysely instance of this process (better-sqlite3 has one connection per process). */
export const db: Kysely<Database> = openDatabase()

const openTransactions = new WeakSet<Kysely<Database>>()

/**
 * Runs `work` in a transaction that takes the write lock up front (BEGIN IMMEDIATE).
 * Kysely's own transactions begin DEFERRED: two processes that both read then write would
 * deadlock on the upgrade and one gets SQLITE_BUSY without waiting. IMMEDIATE waits instead.
 * What the work changed (noteChanges) is logged in the same transaction for the page caches.
 */
export async function writeTransaction<T>(
  work: (trx: Kysely<Database>) => Promise<T>,
  database: Kysely<Database> = db,
): Promise<T> {
  return runWriteTransaction(work, database, { durable: true, tags: [] })
}

/**
 * A member's own bookkeeping (read markers, notifications seen): a write every page view may
 * make, so it neither waits for the disk (synchronous=NORMAL for this commit: a power cut may
 * lose the last few, a crash of the process loses none, and the next ordinary commit makes them
 * durable) nor retires anything but that member's own cached pages.
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
  { durable, tags }: { durable: boolean; tags: readonly string[] },
): Promise<T> {
  // Called with a transaction's own handle, the work joins that transaction (one seed run can
  // create many threads atomically through the same model functions members use).
  if (openTransactions.has(database)) {
    noteChanges(database, tags)
    return work(database)
  }
  const state = stateOf(database)
  return database.connection().execute(async (conn) => {
    openTransactions.add(conn)
    transactionConnections.set(conn, state)
    // Set outside the transaction (SQLite refuses it inside) while this request holds the
    // connection, so no other Kysely query runs under it; restored before it is let go.
    if (!durable) state.sqlite.pragma('synchronous = NORMAL')
    try {
      await sql`begin immediate`.execute(conn)
      state.open = { tags: new Set(tags), wrote: false }
      try {
        const result = await work(conn)
        if (state.open.wrote) recordChange(state, [...state.open.tags].join(' ') || CHANGED_EVERYTHING)
        await sql`commit`.execute(conn)
        if (state.open.wrote) state.commits++
        return result
      } catch (error) {
        // SQLite ends the transaction itself on some failures (SQLITE_FULL, I/O errors); a second
        // rollback would fail and replace the error that says what really happened.
        if (state.sqlite.inTransaction) await sql`rollback`.execute(conn)
        // A page rendered while the transaction was open may show what the rollback took away.
        if (state.open?.wrote) {
          state.open = null
          recordChange(state, CHANGED_EVERYTHING, { swallowUnavailable: true })
          state.commits++
        }
        throw error
      } finally {
        state.open = null
      }
    } finally {
      if (!durable) state.sqlite.pragma('synchronous = FULL')
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
  const sqlite = connections.get(database)?.sqlite
  if (!sqlite?.open) return
  // A request cut off at the end of the shutdown grace may have left its transaction open; it
  // was never acknowledged, and a checkpoint cannot run inside it.
  if (sqlite.inTransaction) sqlite.exec('rollback')
  const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
  if (result?.busy) console.error('The final WAL checkpoint was blocked by another connection; the -wal file still holds writes.')
  await database.destroy()
}
