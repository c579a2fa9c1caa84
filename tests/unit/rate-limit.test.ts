import { describe, it, expect } from 'vitest'
import {
  TokenBucketLimiter,
  failedLoginsByAccount,
  failedLoginsByIp,
  joinsByIp,
} from '../../app/lib/rate-limit.server'
import { openDatabase } from '../../db/client'

const FIFTEEN_MINUTES = 15 * 60 * 1000

let limiters = 0

/** A limiter of its own (its buckets shared with no other test) on a clock the test moves by hand. */
function limiterWithClock(capacity = 10, windowMs = FIFTEEN_MINUTES, name = `test-limiter-${++limiters}`) {
  let now = 1_700_000_000_000
  const clock = () => now
  const limiter = new TokenBucketLimiter(capacity, windowMs, clock, name)
  return {
    limiter,
    /** The same limiter as another process (or this one after a restart) builds it. */
    again: () => new TokenBucketLimiter(capacity, windowMs, clock, name),
    advance(ms: number) {
      now += ms
    },
  }
}

async function consumeAll(limiter: TokenBucketLimiter, key: string, times: number): Promise<boolean[]> {
  const taken: boolean[] = []
  for (let i = 0; i < times; i++) taken.push(await limiter.consume(key))
  return taken
}

describe('TokenBucketLimiter', () => {
  it('lets 10 attempts through and refuses the 11th', async () => {
    const { limiter } = limiterWithClock()
    expect(await consumeAll(limiter, 'ip:1', 10)).toEqual(Array(10).fill(true))
    expect(await limiter.consume('ip:1')).toBe(false)
    expect(await limiter.hasCapacity('ip:1')).toBe(false)
  })

  it('hasCapacity only looks: checking many times takes no tokens', async () => {
    const { limiter } = limiterWithClock()
    for (let i = 0; i < 100; i++) expect(await limiter.hasCapacity('account:a')).toBe(true)
    expect(await consumeAll(limiter, 'account:a', 10)).toEqual(Array(10).fill(true))
    expect(await limiter.hasCapacity('account:a')).toBe(false)
    expect(await limiter.consume('account:a')).toBe(false)
  })

  it('refills continuously: one more token exactly windowMs/capacity after running dry, not before', async () => {
    const { limiter, advance } = limiterWithClock()
    await consumeAll(limiter, 'k', 10)
    const perToken = FIFTEEN_MINUTES / 10 // 90 s

    advance(perToken - 1)
    expect(await limiter.hasCapacity('k')).toBe(false)
    expect(await limiter.consume('k')).toBe(false)

    advance(1)
    expect(await limiter.hasCapacity('k')).toBe(true)
    expect(await limiter.consume('k')).toBe(true)
    expect(await limiter.consume('k')).toBe(false)

    // Half a window later, half of the bucket is back.
    advance(FIFTEEN_MINUTES / 2)
    expect(await consumeAll(limiter, 'k', 6)).toEqual([true, true, true, true, true, false])
  })

  it('a refused attempt takes nothing and does not restart the refill', async () => {
    const { limiter, advance } = limiterWithClock()
    await consumeAll(limiter, 'k', 10)
    advance(45_000)
    expect(await limiter.consume('k')).toBe(false)
    advance(45_000)
    // 90 s since running dry, despite the refused attempt in between.
    expect(await limiter.consume('k')).toBe(true)
  })

  it('never holds more than capacity, however long the key was idle', async () => {
    const { limiter, advance } = limiterWithClock()
    await consumeAll(limiter, 'k', 10)
    advance(FIFTEEN_MINUTES * 1000)
    expect(await consumeAll(limiter, 'k', 11)).toEqual([...Array(10).fill(true), false])

    // A key that was never used also starts at exactly capacity.
    advance(FIFTEEN_MINUTES * 1000)
    expect(await consumeAll(limiter, 'fresh', 11)).toEqual([...Array(10).fill(true), false])
  })

  it('keeps keys independent: one exhausted account does not block another', async () => {
    const { limiter } = limiterWithClock()
    await consumeAll(limiter, 'account:victim@agency.gov', 10)
    expect(await limiter.consume('account:victim@agency.gov')).toBe(false)
    expect(await limiter.hasCapacity('account:other@agency.gov')).toBe(true)
    expect(await consumeAll(limiter, 'account:other@agency.gov', 10)).toEqual(Array(10).fill(true))
    expect(await limiter.consume('account:other@agency.gov')).toBe(false)
  })

  it('retryAfterSeconds: 0 while tokens remain, the time to the next token once empty', async () => {
    const { limiter, advance } = limiterWithClock()
    expect(await limiter.retryAfterSeconds('k')).toBe(0)
    await consumeAll(limiter, 'k', 9)
    expect(await limiter.retryAfterSeconds('k')).toBe(0)
    await limiter.consume('k')
    expect(await limiter.retryAfterSeconds('k')).toBe(90)

    advance(30_000)
    expect(await limiter.retryAfterSeconds('k')).toBe(60)
    advance(59_500)
    // Half a second left rounds up, never down to "0, try now".
    expect(await limiter.retryAfterSeconds('k')).toBe(1)
    expect(await limiter.consume('k')).toBe(false)
    advance(500)
    expect(await limiter.retryAfterSeconds('k')).toBe(0)
    expect(await limiter.consume('k')).toBe(true)
  })

  it('retryAfterSeconds follows the configured rate (20 per hour: 180 s per token)', async () => {
    const { limiter } = limiterWithClock(20, 60 * 60 * 1000)
    await consumeAll(limiter, 'k', 20)
    expect(await limiter.consume('k')).toBe(false)
    expect(await limiter.retryAfterSeconds('k')).toBe(180)
  })

  it('the app limiters use the documented budgets', async () => {
    expect([failedLoginsByAccount.capacity, failedLoginsByAccount.windowMs]).toEqual([10, FIFTEEN_MINUTES])
    expect([failedLoginsByIp.capacity, failedLoginsByIp.windowMs]).toEqual([10, FIFTEEN_MINUTES])
    expect([joinsByIp.capacity, joinsByIp.windowMs]).toEqual([20, 60 * 60 * 1000])
  })
})

describe('TokenBucketLimiter in the database', () => {
  it('keeps counting across a restart: a new limiter of the same name finds the bucket empty', async () => {
    const { limiter, again } = limiterWithClock()
    await consumeAll(limiter, 'ip:203.0.113.9', 10)
    const restarted = again()
    expect(await restarted.hasCapacity('ip:203.0.113.9')).toBe(false)
    expect(await restarted.consume('ip:203.0.113.9')).toBe(false)
    expect(await restarted.retryAfterSeconds('ip:203.0.113.9')).toBe(90)
  })

  it('shares buckets with another process on the same file, which sees each take at once', async () => {
    const { limiter } = limiterWithClock(10, FIFTEEN_MINUTES, 'shared-with-another-process')
    await consumeAll(limiter, 'account:a@agency.gov', 9)
    const otherProcess = openDatabase()
    try {
      const row = await otherProcess
        .selectFrom('rate_limit_buckets')
        .select('tokens')
        .where('limiter', '=', 'shared-with-another-process')
        .where('key', '=', 'account:a@agency.gov')
        .executeTakeFirst()
      expect(row).toEqual({ tokens: 1 })
      await otherProcess.updateTable('rate_limit_buckets').set({ tokens: 0 }).where('limiter', '=', 'shared-with-another-process').execute()
    } finally {
      await otherProcess.destroy()
    }
    expect(await limiter.consume('account:a@agency.gov')).toBe(false)
  })

  it('keeps limiters of different names apart, even for the same key and budget', async () => {
    const first = limiterWithClock(10, FIFTEEN_MINUTES, 'apart-1')
    const second = limiterWithClock(10, FIFTEEN_MINUTES, 'apart-2')
    await consumeAll(first.limiter, 'ip:1', 10)
    expect(await second.limiter.hasCapacity('ip:1')).toBe(true)
  })

  it('forgets buckets that have refilled completely, and only those', async () => {
    const { limiter, advance } = limiterWithClock(10, FIFTEEN_MINUTES, 'forgetting')
    const rows = async () => {
      const other = openDatabase()
      try {
        return (await other.selectFrom('rate_limit_buckets').select('key').where('limiter', '=', 'forgetting').orderBy('key').execute()).map((r) => r.key)
      } finally {
        await other.destroy()
      }
    }
    await limiter.consume('old')
    advance(FIFTEEN_MINUTES)
    await consumeAll(limiter, 'recent', 998)
    expect(await rows()).toEqual(['old', 'recent'])
    // Every thousandth take sweeps the limiter's full buckets.
    await limiter.consume('recent')
    expect(await rows()).toEqual(['recent'])
    expect(await limiter.hasCapacity('old')).toBe(true)
  })
})
