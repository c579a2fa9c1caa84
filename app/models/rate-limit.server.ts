import { type Kysely, sql } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'

/**
 * Token buckets in the database, so a restart, a second process or another app server keeps
 * counting. Each write is one statement in its own write transaction, with its change-log row
 * (tagged so the page caches know that nothing they show changed).
 */
export interface Budget {
  limiter: string
  capacity: number
  refillPerMs: number
}

// Typed, so both databases do the refill arithmetic in floating point on 64-bit milliseconds.
const real = (value: number) => sql<number>`cast(${value} as double precision)`
const ms = (value: number) => sql<number>`cast(${value} as bigint)`

/** Tokens now: what was left, plus the refill since, never more than capacity. */
function level(budget: Budget, now: number) {
  const refilled = sql<number>`rate_limit_buckets.tokens + (${ms(now)} - rate_limit_buckets.updated_at_ms) * ${real(budget.refillPerMs)}`
  return sql<number>`case when ${refilled} < ${real(budget.capacity)} then ${refilled} else ${real(budget.capacity)} end`
}

// The change-log tag of a bucket's write: no page shows buckets.
const RATE_LIMITS = 'rate-limits'

/** The tokens `key` holds now (capacity for a key never seen). */
export async function tokensLeft(budget: Budget, key: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_buckets')
    .select(level(budget, now).as('tokens'))
    .where('limiter', '=', budget.limiter)
    .where('key', '=', key)
    .executeTakeFirst()
  return row ? Number(row.tokens) : budget.capacity
}

/**
 * Takes one token; false, and nothing taken, when the bucket holds less than one. Given an open
 * write transaction's handle, the take is part of it.
 */
export async function takeToken(budget: Budget, key: string, now: number, database: Kysely<Database> = db): Promise<boolean> {
  return writeTransaction(async (trx) => {
    noteChanges(trx, [RATE_LIMITS])
    // A refused take changes nothing: the conflict clause's WHERE fails and no row is returned.
    const { rows } = await sql`
      insert into rate_limit_buckets (limiter, key, tokens, updated_at_ms)
      values (${budget.limiter}, ${key}, ${real(budget.capacity - 1)}, ${ms(now)})
      on conflict (limiter, key) do update set tokens = ${level(budget, now)} - 1, updated_at_ms = ${ms(now)}
      where ${level(budget, now)} >= 1
      returning tokens`.execute(trx)
    return rows.length > 0
  }, database)
}

/** Gives one token back, never beyond capacity. */
export async function giveTokenBack(budget: Budget, key: string, now: number): Promise<void> {
  await writeTransaction(async (trx) => {
    noteChanges(trx, [RATE_LIMITS])
    const refunded = sql<number>`${level(budget, now)} + 1`
    await trx
      .updateTable('rate_limit_buckets')
      .set({
        tokens: sql<number>`case when ${refunded} < ${real(budget.capacity)} then ${refunded} else ${real(budget.capacity)} end`,
        updated_at_ms: ms(now),
      })
      .where('limiter', '=', budget.limiter)
      .where('key', '=', key)
      .execute()
  })
}

/** Deletes the limiter's buckets untouched for a whole window: they are full, as a missing one is. */
export async function forgetFullBuckets(budget: Budget, now: number): Promise<void> {
  await writeTransaction(async (trx) => {
    noteChanges(trx, [RATE_LIMITS])
    await trx
      .deleteFrom('rate_limit_buckets')
      .where('limiter', '=', budget.limiter)
      .where('updated_at_ms', '<=', ms(Math.floor(now - budget.capacity / budget.refillPerMs)))
      .execute()
  })
}
