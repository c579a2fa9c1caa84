import Database from 'better-sqlite3'
import { describe, it, expect } from 'vitest'
import {
  TokenBucketLimiter,
  failedLoginsByAccount,
  failedLoginsByIp,
  joinsByIp,
} from '../../app/lib/rate-limit.server'

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

function consumeAll(limiter: TokenBucketLimiter, key: string, times: number): boolean[] {
  return Array.from({ length: times }, () => limiter.consume(key))
}

describe('TokenBucketLimiter', () => {
  it('lets 10 attempts through and refuses the 11th', () => {
    const { limiter } = limiterWithClock()
    expect(consumeAll(limiter, 'ip:1', 10)).toEqual(Array(10).fill(true))
    expect(limiter.consume('ip:1')).toBe(false)
    expect(limiter.hasCapacity('ip:1')).toBe(false)
  })

  it('hasCapacity only looks: checking many times takes no tokens', () => {
    const { limiter } = limiterWithClock()
    for (let i = 0; i < 100; i++) expect(limiter.hasCapacity('account:a')).toBe(true)
    expect(consumeAll(limiter, 'account:a', 10)).toEqual(Array(10).fill(true))
    expect(limiter.hasCapacity('account:a')).toBe(false)
    expect(limiter.consume('account:a')).toBe(false)
  })

  it('refills continuously: one more token exactly windowMs/capacity after running dry, not before', () => {
    const { limiter, advance } = limiterWithClock()
    consumeAll(limiter, 'k', 10)
    const perToken = FIFTEEN_MINUTES / 10 // 90 s

    advance(perToken - 1)
    expect(limiter.hasCapacity('k')).toBe(false)
    expect(limiter.consume('k')).toBe(false)

    advance(1)
    expect(limiter.hasCapacity('k')).toBe(true)
    expect(limiter.consume('k')).toBe(true)
    expect(limiter.consume('k')).toBe(false)

    // Half a window later, half of the bucket is back.
    advance(FIFTEEN_MINUTES / 2)
    expect(consumeAll(limiter, 'k', 6)).toEqual([true, true, true, true, true, false])
  })

  it('a refused attempt takes nothing and does not restart the refill', () => {
    const { limiter, advance } = limiterWithClock()
    consumeAll(limiter, 'k', 10)
    advance(45_000)
    expect(limiter.consume('k')).toBe(false)
    advance(45_000)
    // 90 s since running dry, despite the refused attempt in between.
    expect(limiter.consume('k')).toBe(true)
  })

  it('never holds more than capacity, however long the key was idle', () => {
    const { limiter, advance } = limiterWithClock()
    consumeAll(limiter, 'k', 10)
    advance(FIFTEEN_MINUTES * 1000)
    expect(consumeAll(limiter, 'k', 11)).toEqual([...Array(10).fill(true), false])

    // A key that was never used also starts at exactly capacity.
    advance(FIFTEEN_MINUTES * 1000)
    expect(consumeAll(limiter, 'fresh', 11)).toEqual([...Array(10).fill(true), false])
  })

  it('keeps keys independent: one exhausted account does not block another', () => {
    const { limiter } = limiterWithClock()
    consumeAll(limiter, 'account:victim@agency.gov', 10)
    expect(limiter.consume('account:victim@agency.gov')).toBe(false)
    expect(limiter.hasCapacity('account:other@agency.gov')).toBe(true)
    expect(consumeAll(limiter, 'account:other@agency.gov', 10)).toEqual(Array(10).fill(true))
    expect(limiter.consume('account:other@agency.gov')).toBe(false)
  })

  it('retryAfterSeconds: 0 while tokens remain, the time to the next token once empty', () => {
    const { limiter, advance } = limiterWithClock()
    expect(limiter.retryAfterSeconds('k')).toBe(0)
    consumeAll(limiter, 'k', 9)
    expect(limiter.retryAfterSeconds('k')).toBe(0)
    limiter.consume('k')
    expect(limiter.retryAfterSeconds('k')).toBe(90)

    advance(30_000)
    expect(limiter.retryAfterSeconds('k')).toBe(60)
    advance(59_500)
    // Half a second left rounds up, never down to "0, try now".
    expect(limiter.retryAfterSeconds('k')).toBe(1)
    expect(limiter.consume('k')).toBe(false)
    advance(500)
    expect(limiter.retryAfterSeconds('k')).toBe(0)
    expect(limiter.consume('k')).toBe(true)
  })

  it('retryAfterSeconds follows the configured rate (20 per hour: 180 s per token)', () => {
    const { limiter } = limiterWithClock(20, 60 * 60 * 1000)
    consumeAll(limiter, 'k', 20)
    expect(limiter.consume('k')).toBe(false)
    expect(limiter.retryAfterSeconds('k')).toBe(180)
  })

  it('the app limiters use the documented budgets', () => {
    expect([failedLoginsByAccount.capacity, failedLoginsByAccount.windowMs]).toEqual([10, FIFTEEN_MINUTES])
    expect([failedLoginsByIp.capacity, failedLoginsByIp.windowMs]).toEqual([10, FIFTEEN_MINUTES])
    expect([joinsByIp.capacity, joinsByIp.windowMs]).toEqual([20, 60 * 60 * 1000])
  })
})

describe('TokenBucketLimiter in the database', () => {
  it('keeps counting across a restart: a new limiter of the same name finds the bucket empty', () => {
    const { limiter, again } = limiterWithClock()
    consumeAll(limiter, 'ip:203.0.113.9', 10)
    const restarted = again()
    expect(restarted.hasCapacity('ip:203.0.113.9')).toBe(false)
    expect(restarted.consume('ip:203.0.113.9')).toBe(false)
    expect(restarted.retryAfterSeconds('ip:203.0.113.9')).toBe(90)
  })

  it('shares buckets with another process on the same file, which sees each take at once', () => {
    const { limiter } = limiterWithClock(10, FIFTEEN_MINUTES, 'shared-with-another-process')
    consumeAll(limiter, 'account:a@agency.gov', 9)
    const otherProcess = new Database(process.env.DATABASE_PATH!)
    try {
      const row = otherProcess
        .prepare(`select tokens from rate_limit_buckets where limiter = 'shared-with-another-process' and key = 'account:a@agency.gov'`)
        .get()
      expect(row).toEqual({ tokens: 1 })
      otherProcess.prepare(`update rate_limit_buckets set tokens = 0 where limiter = 'shared-with-another-process'`).run()
    } finally {
      otherProcess.close()
    }
    expect(limiter.consume('account:a@agency.gov')).toBe(false)
  })

  it('keeps limiters of different names apart, even for the same key and budget', () => {
    const first = limiterWithClock(10, FIFTEEN_MINUTES, 'apart-1')
    const second = limiterWithClock(10, FIFTEEN_MINUTES, 'apart-2')
    consumeAll(first.limiter, 'ip:1', 10)
    expect(second.limiter.hasCapacity('ip:1')).toBe(true)
  })

  it('forgets buckets that have refilled completely, and only those', () => {
    const { limiter, advance } = limiterWithClock(10, FIFTEEN_MINUTES, 'forgetting')
    const rows = () => {
      const file = new Database(process.env.DATABASE_PATH!)
      try {
        return (file.prepare(`select key from rate_limit_buckets where limiter = 'forgetting' order by key`).all() as { key: string }[]).map((r) => r.key)
      } finally {
        file.close()
      }
    }
    limiter.consume('old')
    advance(FIFTEEN_MINUTES)
    consumeAll(limiter, 'recent', 998)
    expect(rows()).toEqual(['old', 'recent'])
    // Every thousandth take sweeps the limiter's full buckets.
    limiter.consume('recent')
    expect(rows()).toEqual(['recent'])
    expect(limiter.hasCapacity('old')).toBe(true)
  })
})
