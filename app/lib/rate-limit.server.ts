import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { type Budget, forgetFullBuckets, giveTokenBack, takeToken, tokensLeft } from '../models/rate-limit.server'

/**
 * Token buckets kept in the database (see models/rate-limit.server.ts), so a restart or a
 * second process or app server keeps counting. A bucket holds up to `capacity` tokens and
 * refills continuously at `capacity` per `windowMs`. Limiters with the same `name` share their
 * buckets; the default name is the budget, so name any limiter whose keys could meet another's.
 */
export class TokenBucketLimiter {
  private readonly budget: Budget
  private takes = 0

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    readonly name: string = `${capacity} per ${windowMs} ms`,
  ) {
    this.budget = { limiter: name, capacity, refillPerMs: capacity / windowMs }
  }

  /** True while the key has at least one token left. Takes nothing. */
  async hasCapacity(key: string): Promise<boolean> {
    return (await tokensLeft(this.budget, key, this.now())) >= 1
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. `within`: an open write transaction to take it in. */
  async consume(key: string, within?: Kysely<Database>): Promise<boolean> {
    const now = this.now()
    if (++this.takes % 1000 === 0 && !within) await forgetFullBuckets(this.budget, now)
    return takeToken(this.budget, key, now, within)
  }

  /** Gives back a token taken by `consume` for an attempt that turned out not to count. */
  async refund(key: string): Promise<void> {
    await giveTokenBack(this.budget, key, this.now())
  }

  /** Seconds until one token is available again. */
  async retryAfterSeconds(key: string): Promise<number> {
    const missing = 1 - (await tokensLeft(this.budget, key, this.now()))
    return missing <= 0 ? 0 : Math.ceil(missing / this.budget.refillPerMs / 1000)
  }
}

/**
 * A route's `headers` export that keeps an action's Retry-After on the page it renders
 * (Remix passes only cookies through unless the route says otherwise).
 */
export function retryAfterHeaders({ actionHeaders }: { actionHeaders: Headers }): HeadersInit {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : {}
}

const FIFTEEN_MINUTES = 15 * 60 * 1000

/** Failed sign-ins: 10 per 15 minutes per account and per IP address. */
export const failedLoginsByAccount = new TokenBucketLimiter(10, FIFTEEN_MINUTES, Date.now, 'failed-logins-by-account')
export const failedLoginsByIp = new TokenBucketLimiter(10, FIFTEEN_MINUTES, Date.now, 'failed-logins-by-ip')

/** New accounts: 20 per hour per IP address (an office behind one NAT may join together). */
export const joinsByIp = new TokenBucketLimiter(20, 60 * 60 * 1000, Date.now, 'joins-by-ip')

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

/** "Someone tried to join with your address" mails: 3 a day per address, so the join form cannot spam a member. */
export const joinAttemptNoticesByAddress = new TokenBucketLimiter(3, DAY, Date.now, 'join-attempt-notices-by-address')

/** Password-reset requests: 5 an hour per address and 20 an hour per network address. */
export const resetRequestsByAddress = new TokenBucketLimiter(5, HOUR, Date.now, 'reset-requests-by-address')
export const resetRequestsByIp = new TokenBucketLimiter(20, HOUR, Date.now, 'reset-requests-by-ip')

/** Confirmation and change-of-address mails a signed-in member asks for: 5 an hour per member. */
export const accountMailsByMember = new TokenBucketLimiter(5, HOUR, Date.now, 'account-mails-by-member')
