import type { Dialect, Kysely } from 'kysely'
import type { ChangeFeed } from '../change-feed'
import { pageTags } from '../page-tags'
import type { DialectName } from '../path'
import type { Database } from '../schema'

/**
 * What differs between the embedded SQLite file and a PostgreSQL server, below the models: how
 * a write transaction takes its lock and logs what it changed for the page caches, how another
 * process's commit is noticed, and which errors are the machine's rather than the request's.
 * db/client.ts builds the one Kysely instance and the write-transaction API on top of this.
 */
export interface Connection {
  dialect: DialectName
  kyselyDialect: Dialect
  /** Sees every statement after it ran (Kysely's log), to notice writes made outside writeTransaction. */
  onQuery: (statement: string) => void
  /** Runs `work` in a write transaction on one connection, logging what it changed before commit. */
  transaction: <T>(database: Kysely<Database>, options: { durable: boolean; tags: readonly string[] }, work: (conn: Kysely<Database>) => Promise<T>) => Promise<T>
  changeFeed: () => ChangeFeed
  /** Runs `work` while no other process runs work under this lock (preparing a database at start). */
  exclusively: <T>(database: Kysely<Database>, work: () => Promise<T>) => Promise<T>
  /** True when `error` is the database failing for a reason the member cannot fix by changing the request. */
  isUnavailable: (error: unknown) => boolean
  isUniqueViolation: (error: unknown) => boolean
  close: (database: Kysely<Database>) => Promise<void>
}

// ---------------------------------------------------------------------------------------------
// The change log: what each commit changed, for the page caches of every process

/** The tag of a write that did not say what it changed: every cached page is retired. */
export const CHANGED_EVERYTHING = '*'
/** The log keeps about this many rows; a reader further behind sees a gap and retires all. */
export const CHANGES_KEPT = 10_000
export const PRUNE_EVERY = 1_000

const CHANGING_STATEMENT = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i
export const isWrite = (statement: string) => CHANGING_STATEMENT.test(statement)

/**
 * Tables written outside writeTransaction whose rows no page declaring tags shows: the mail
 * sender's bookkeeping runs after every mail, and retiring every page for it would empty the
 * cache on a busy site. Pages that declare nothing are still retired by these.
 */
const AUTOCOMMIT_TABLE_TAGS: Record<string, string> = { mail_outbox: pageTags.mail, mail_summaries: pageTags.mail }
const WRITTEN_TABLE = /^\s*(?:insert\s+into|update|delete\s+from|replace\s+into)\s+"?(\w+)"?/i

/** The table a write statement writes to. */
export const writtenTable = (statement: string) => WRITTEN_TABLE.exec(statement)?.[1]

/** The tags of a write made outside writeTransaction. */
export function autocommitTags(statement: string): string {
  const table = writtenTable(statement)
  return (table && AUTOCOMMIT_TABLE_TAGS[table]) || CHANGED_EVERYTHING
}

// ---------------------------------------------------------------------------------------------
// Open write transactions, by the handle their work runs on

const openTransactions = new WeakMap<Kysely<Database>, Set<string>>()

/** Registers `conn` as an open write transaction noting `tags`; returns the set noteChanges adds to. */
export function openTransaction(conn: Kysely<Database>, tags: readonly string[]): Set<string> {
  const noted = new Set(tags)
  openTransactions.set(conn, noted)
  return noted
}

/** The tags noted so far by the write transaction `database` is the handle of, if it is one. */
export const notedTags = (database: Kysely<Database>) => openTransactions.get(database)

// ---------------------------------------------------------------------------------------------
// Failures for the machine's reasons, for the health page

let lastWriteFailure: { at: number; code: string; message: string } | null = null

export function noteWriteFailure(error: unknown) {
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
