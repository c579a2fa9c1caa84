import type BetterSqlite3 from 'better-sqlite3'
import { sqliteConnection, writeNotingChange } from '../../db/client'

/**
 * Token buckets in the database, so a restart or a second process keeps counting. Each
 * function is one statement (with its change-log row, so the page caches of other processes
 * know nothing they show changed) and synchronous, so the limiter's API stays a plain boolean. On the app's one connection, a
 * statement issued while another request's transaction is open joins it; a bucket that such
 * a rollback undoes errs towards letting a member through.
 */
export interface Budget {
  limiter: string
  capacity: number
  refillPerMs: number
}

// Tokens now: what was left, plus the refill since, never more than capacity.
const LEVEL = 'min(:capacity, tokens + (:now - updated_at_ms) * :refillPerMs)'

const statements = new WeakMap<BetterSqlite3.Database, ReturnType<typeof prepare>>()

function prepare(sqlite: BetterSqlite3.Database) {
  return {
    level: sqlite.prepare(`select ${LEVEL} as tokens from rate_limit_buckets where limiter = :limiter and key = :key`).pluck(),
    // A refused take changes nothing: the conflict clause's WHERE fails and no row is returned.
    take: sqlite
      .prepare(
        `insert into rate_limit_buckets (limiter, key, tokens, updated_at_ms) values (:limiter, :key, :capacity - 1, :now)
         on conflict (limiter, key) do update set tokens = ${LEVEL} - 1, updated_at_ms = :now where ${LEVEL} >= 1
         returning tokens`,
      )
      .pluck(),
    give: sqlite.prepare(
      `update rate_limit_buckets set tokens = min(:capacity, ${LEVEL} + 1), updated_at_ms = :now where limiter = :limiter and key = :key`,
    ),
    forgetFull: sqlite.prepare(`delete from rate_limit_buckets where limiter = :limiter and updated_at_ms <= :now - :capacity / :refillPerMs`),
  }
}

function statementsFor() {
  const sqlite = sqliteConnection()
  let prepared = statements.get(sqlite)
  if (!prepared) statements.set(sqlite, (prepared = prepare(sqlite)))
  return prepared
}

// The change-log tag of a bucket's write: no page shows buckets (see db/client.ts).
const RATE_LIMITS = 'rate-limits'

const parameters = (budget: Budget, key: string, now: number) => ({ ...budget, key, now })

/** The tokens `key` holds now (capacity for a key never seen). */
export function tokensLeft(budget: Budget, key: string, now: number): number {
  const tokens = statementsFor().level.get(parameters(budget, key, now)) as number | undefined
  return tokens ?? budget.capacity
}

/** Takes one token; false, and nothing taken, when the bucket holds less than one. */
export function takeToken(budget: Budget, key: string, now: number): boolean {
  return writeNotingChange(RATE_LIMITS, () => statementsFor().take.get(parameters(budget, key, now))) !== undefined
}

/** Gives one token back, never beyond capacity. */
export function giveTokenBack(budget: Budget, key: string, now: number): void {
  writeNotingChange(RATE_LIMITS, () => statementsFor().give.run(parameters(budget, key, now)))
}

/** Deletes the limiter's buckets untouched for a whole window: they are full, as a missing one is. */
export function forgetFullBuckets(budget: Budget, now: number): void {
  writeNotingChange(RATE_LIMITS, () =>
    statementsFor().forgetFull.run({ limiter: budget.limiter, capacity: budget.capacity, refillPerMs: budget.refillPerMs, now }),
  )
}
