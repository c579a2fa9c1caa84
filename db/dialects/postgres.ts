import { type Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { ChangeFeed } from '../change-feed'
import type { Database } from '../schema'
import { CHANGED_EVERYTHING, CHANGES_KEPT, type Connection, PRUNE_EVERY, autocommitTags, isWrite, noteWriteFailure, openTransaction, writtenTable } from './connection'

/**
 * PostgreSQL (DATABASE_URL), for a community on several app servers: a pool of connections per
 * process, every process and machine sharing the one database.
 */
export function openPostgres(url: string): Connection & { pool: pg.Pool; postgresQueryPlan: (query: { sql: string; parameters: readonly unknown[] }) => Promise<string[]> } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize(),
    // A request waits this long for a free connection before the database counts as unavailable.
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser: typeParser },
  })
  // An idle connection the server dropped (a restart, a failover) is replaced on next use.
  pool.on('error', (error) => console.error(`A PostgreSQL connection failed while idle: ${error.message}`))
  pool.on('connect', (client) => loggingAutocommitWrites(client))

  const feed: ChangeFeed = {
    version: async () => String(await latestId(pool)),
    latestId: () => latestId(pool),
    after: async (id) => {
      const { rows } = await pool.query<{ id: number; tags: string }>('select id, tags from page_changes where id > $1 order by id', [id])
      // Ids are given out in commit order without gaps (see recordChange), so the last row read
      // is exactly how far the reader has come.
      return { version: String(rows.at(-1)?.id ?? id), rows }
    },
  }

  const connection: Connection & { pool: pg.Pool; postgresQueryPlan: (query: { sql: string; parameters: readonly unknown[] }) => Promise<string[]> } = {
    dialect: 'postgres',
    pool,
    kyselyDialect: new PostgresDialect({ pool }),
    // Writes outside a transaction are logged by the connection that made them (below).
    onQuery: () => {},

    async transaction(database, { durable, tags }, work) {
      return database.connection().execute(async (conn) => {
        await sql`begin`.execute(conn)
        try {
          // One writer at a time, as on SQLite: the models' rules (an event's capacity, a
          // post's number in its thread) read and then write, and hold because no other write
          // runs in between. Readers are never blocked.
          await sql`select pg_advisory_xact_lock(${WRITER_LOCK})`.execute(conn)
          // A member's own bookkeeping need not wait for the disk: a crash may lose the last
          // few such commits, never a later ordinary one.
          if (!durable) await sql`set local synchronous_commit = off`.execute(conn)
          const noted = openTransaction(conn, tags)
          const result = await work(conn)
          const { rows } = await sql<{ wrote: number }>`select pg_current_xact_id_if_assigned() is not null as wrote`.execute(conn)
          if (rows[0]?.wrote) await recordChange(conn, [...noted].join(' ') || CHANGED_EVERYTHING)
          await sql`commit`.execute(conn)
          return result
        } catch (error) {
          // A broken connection has no transaction left to roll back; the error that broke it says more.
          await sql`rollback`.execute(conn).catch(() => {})
          throw error
        }
      })
    },

    changeFeed: () => feed,

    // App servers on other machines may start at the same moment on an empty database: one
    // migrates and seeds while the others wait, then find it done. The lock is the session's,
    // held on one pooled connection while the work runs on the others.
    async exclusively(database, work) {
      return database.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${STARTUP_LOCK})`.execute(conn)
        try {
          return await work()
        } finally {
          await sql`select pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn)
        }
      })
    },

    // With sequential scans, bitmap scans and sorts priced out of reach: on a test's few rows the
    // planner reads a small table whole, or sorts it, whatever indexes it has; so priced, the
    // plan shows whether an index could find the rows, in order, on a large table.
    async postgresQueryPlan(query) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        await client.query('set local enable_seqscan = off; set local enable_bitmapscan = off; set local enable_sort = off')
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, [...query.parameters])
        await client.query('rollback')
        return rows.map((row) => row['QUERY PLAN'])
      } finally {
        client.release()
      }
    },

    isUnavailable(error) {
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
      if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08/.test(code))) return true
      // The pool's own failures carry no code.
      return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(message)
    },

    isUniqueViolation: (error) => (error as { code?: string } | null)?.code === '23505',

    async close(database) {
      await database.destroy()
    },
  }
  return connection
}

/** Connections each process keeps open at most (DATABASE_POOL_SIZE, default 10). */
function poolSize(): number {
  const setting = process.env.DATABASE_POOL_SIZE
  if (!setting) return 10
  const size = Number(setting)
  if (!Number.isSafeInteger(size) || size < 1) throw new Error('DATABASE_POOL_SIZE must be a whole number of connections, 1 or more.')
  return size
}

// The keys of the advisory locks every write transaction holds until it ends, and a process
// preparing the database at start.
const WRITER_LOCK = 5_770_101
const STARTUP_LOCK = 5_770_102

// Machine faults: the server shutting down or refusing connections, a full disk, no memory,
// a read-only replica; and the socket errors of a server that went away.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53100', '53200', '53300', '25006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])

/**
 * Results read the way the SQLite driver gives them, so models need not care which database
 * answered: 64-bit integers (count(*), sums) and numerics as numbers, booleans as 1 and 0.
 */
function typeParser(oid: number, format?: string) {
  if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return Number
  if (oid === pg.types.builtins.BOOL) return (value: string) => (value === 't' ? 1 : 0)
  return pg.types.getTypeParser(oid, format as 'text')
}

async function latestId(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ last_id: number }>('select last_id from page_change_counter')
  return rows[0]?.last_id ?? 0
}

/**
 * Logs a commit's tags. The counter's row stays locked until the transaction ends, so ids are
 * given out in the order transactions commit and a rolled-back one leaves no gap: a reader that
 * has seen id N has seen every commit up to N.
 */
const RECORD_CHANGE_HEAD = 'with next as (update page_change_counter set last_id = last_id + 1 returning last_id) insert into page_changes (id, tags) select last_id,'
const RECORD_CHANGE = `${RECORD_CHANGE_HEAD} $1 from next returning id`

async function recordChange(conn: Kysely<Database>, tags: string): Promise<void> {
  const { rows } = await sql<{ id: number }>`${sql.raw(RECORD_CHANGE_HEAD)} ${tags} from next returning id`.execute(conn)
  const id = Number(rows[0]?.id)
  if (id % PRUNE_EVERY === 0) await sql`delete from page_changes where id <= ${id - CHANGES_KEPT}`.execute(conn)
}

/**
 * PostgreSQL's text cannot hold U+0000, which SQLite stores, and refuses a query that carries it:
 * a value typed with one (never by a person at a keyboard) is stored, and looked up, with U+FFFD
 * in its place, as Markdown renders it.
 */
const withoutNul = (value: unknown) => (typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value)

/**
 * A write outside writeTransaction commits on its own and notes nothing: the connection that
 * made it logs it right after (unless its table is one no tagged page shows: see autocommitTags),
 * before the caller goes on. Whether a connection is inside a transaction is read from the
 * statements it is given, since each pooled connection serves one caller at a time.
 */
function loggingAutocommitWrites(client: pg.PoolClient) {
  const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>
  const passThrough = client.query.bind(client) as (...args: unknown[]) => unknown
  let inTransaction = false
  const logged = async (text: string, values?: unknown[]) => {
    const result = await query(text, values?.map(withoutNul))
    if (/^\s*(begin|start\s+transaction)\b/i.test(text)) inTransaction = true
    else if (/^\s*(commit|rollback|end)\b/i.test(text)) inTransaction = false
    else if (!inTransaction && isWrite(text) && writtenTable(text) !== 'page_changes') {
      try {
        const row = await query(RECORD_CHANGE, [autocommitTags(text)])
        const id = Number(row.rows[0]?.id)
        if (id % PRUNE_EVERY === 0) await query('delete from page_changes where id <= $1', [id - CHANGES_KEPT])
      } catch (error) {
        // Before the log's migration there is nothing to log to; a write already committed is
        // not undone by failing here.
        if ((error as { code?: string }).code !== '42P01') noteWriteFailure(error)
      }
    }
    return result
  }
  client.query = ((...args: unknown[]) => {
    const [text, values, callback] = args
    // pg's own calls (the pool's query(), with a callback) and query objects pass through.
    if (typeof text !== 'string' || typeof values === 'function' || typeof callback === 'function') return passThrough(...args)
    return logged(text, values as unknown[] | undefined)
  }) as typeof client.query
}
