import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect, sql } from 'kysely'
import type { ChangeFeed } from '../change-feed'
import { CHANGED_EVERYTHING, CHANGES_KEPT, type Connection, PRUNE_EVERY, autocommitTags, isWrite, noteWriteFailure, openTransaction } from './connection'

/**
 * The embedded default: one better-sqlite3 connection per process on one file, every write
 * serialized by SQLite's write lock (BEGIN IMMEDIATE).
 */
export function openSqlite(path: string): Connection & { sqlite: BetterSqlite3.Database; sqliteQueryPlan: (query: { sql: string; parameters: readonly unknown[] }) => string[] } {
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

  /** Commits this connection made: SQLite's data_version counts only other connections'. */
  let commits = 0
  /** Whether the open write transaction has written (the one connection has one at a time). */
  let open: { wrote: boolean } | null = null
  let statements: { record: BetterSqlite3.Statement; prune: BetterSqlite3.Statement; after: BetterSqlite3.Statement; latest: BetterSqlite3.Statement } | null = null

  const changeStatements = () => {
    statements ??= {
      record: sqlite.prepare('insert into page_changes (tags) values (?)'),
      prune: sqlite.prepare('delete from page_changes where id <= ?'),
      after: sqlite.prepare('select id, tags from page_changes where id > ? order by id'),
      latest: sqlite.prepare('select coalesce(max(id), 0) from page_changes').pluck(),
    }
    return statements
  }

  const missingChangeLog = (error: unknown) => /no such table: (main\.)?(page_changes|sqlite_sequence)/.test(String(error))

  function recordChange(tags: string, { swallowUnavailable = false } = {}) {
    try {
      const { record, prune } = changeStatements()
      const id = Number(record.run(tags).lastInsertRowid)
      if (id % PRUNE_EVERY === 0) prune.run(id - CHANGES_KEPT)
    } catch (error) {
      // Before migration 0017 there is no log and no page cache reading it. A write already
      // committed on its own cannot be undone by failing here; it is reported as a write failure.
      if (missingChangeLog(error)) {
        statements = null
        return
      }
      if (swallowUnavailable && connection.isUnavailable(error)) return noteWriteFailure(error)
      throw error
    }
  }

  /**
   * A token that changes whenever the database may have changed: a commit through this
   * connection, or a commit by any other connection to the same file (SQLite's data_version).
   */
  const version = () => {
    if (!sqlite.open) throw new Error('The database connection is closed')
    return `${commits}:${sqlite.pragma('data_version', { simple: true })}`
  }

  const feed: ChangeFeed = {
    version: async () => version(),
    latestId: async () => {
      try {
        return Number(changeStatements().latest.get() ?? 0)
      } catch (error) {
        if (missingChangeLog(error)) return 0
        throw error
      }
    },
    // Both read in one snapshot, so a commit landing in between is in both or neither.
    after: async (id) => {
      const read = () => {
        let rows: { id: number; tags: string }[] = []
        try {
          rows = changeStatements().after.all(id) as { id: number; tags: string }[]
        } catch (error) {
          if (!missingChangeLog(error)) throw error
        }
        return { version: version(), rows }
      }
      return sqlite.inTransaction ? read() : sqlite.transaction(read)()
    },
  }

  const connection: Connection & { sqlite: BetterSqlite3.Database; sqliteQueryPlan: (query: { sql: string; parameters: readonly unknown[] }) => string[] } = {
    dialect: 'sqlite',
    sqlite,
    kyselyDialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    onQuery(statement) {
      if (!isWrite(statement)) return
      if (open) open.wrote = true
      else {
        // A write outside writeTransaction commits on its own and notes nothing: unless its
        // table is one no tagged page shows, it retires every cached page, in every process.
        recordChange(autocommitTags(statement), { swallowUnavailable: true })
        commits++
      }
    },

    /**
     * Takes the write lock up front (BEGIN IMMEDIATE). Kysely's own transactions begin
     * DEFERRED: two processes that both read then write would deadlock on the upgrade and one
     * gets SQLITE_BUSY without waiting. IMMEDIATE waits instead.
     */
    async transaction(database, { durable, tags }, work) {
      return database.connection().execute(async (conn) => {
        // Set outside the transaction (SQLite refuses it inside) while this request holds the
        // connection, so no other Kysely query runs under it; restored before it is let go.
        if (!durable) sqlite.pragma('synchronous = NORMAL')
        try {
          await sql`begin immediate`.execute(conn)
          const noted = openTransaction(conn, tags)
          open = { wrote: false }
          try {
            const result = await work(conn)
            if (open.wrote) recordChange([...noted].join(' ') || CHANGED_EVERYTHING)
            await sql`commit`.execute(conn)
            if (open.wrote) commits++
            return result
          } catch (error) {
            // SQLite ends the transaction itself on some failures (SQLITE_FULL, I/O errors); a
            // second rollback would fail and replace the error that says what really happened.
            if (sqlite.inTransaction) await sql`rollback`.execute(conn)
            // A page rendered while the transaction was open may show what the rollback took away.
            if (open?.wrote) {
              open = null
              recordChange(CHANGED_EVERYTHING, { swallowUnavailable: true })
              commits++
            }
            throw error
          } finally {
            open = null
          }
        } finally {
          if (!durable) sqlite.pragma('synchronous = FULL')
        }
      })
    },

    changeFeed: () => feed,

    // The primary prepares the file before it forks any worker (server-cluster.ts).
    exclusively: (_database, work) => work(),

    sqliteQueryPlan(query) {
      const rows = sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]
      return rows.map((row) => row.detail)
    },

    // Codes SQLite gives when the fault is the machine's, not the request's: a full disk (or
    // DATABASE_MAX_BYTES reached), an I/O error, a read-only file, a lock held past busy_timeout.
    isUnavailable(error) {
      const code = (error as { code?: unknown } | null)?.code
      return typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)(_|$)/.test(code)
    },

    isUniqueViolation: (error) => (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE',

    /**
     * Moves every committed write from the -wal file into the database file, then closes: after
     * this the `.db` file alone holds everything, so copying just it loses nothing.
     */
    async close(database) {
      if (!sqlite.open) return
      // A request cut off at the end of the shutdown grace may have left its transaction open;
      // it was never acknowledged, and a checkpoint cannot run inside it.
      if (sqlite.inTransaction) sqlite.exec('rollback')
      const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
      if (result?.busy) console.error('The final WAL checkpoint was blocked by another connection; the -wal file still holds writes.')
      await database.destroy()
    },
  }
  return connection
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
