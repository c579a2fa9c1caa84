/**
 * In-memory token buckets. A bucket holds up to `capacity` tokens and refills continuously at
 * `capacity` per `windowMs`. One process keeps its own buckets; behind several processes each
 * process limits separately, which is looser but never blocks a legitimate member.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>()
  private readonly refillPerMs: number

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = capacity / windowMs
  }

  private level(key: string): { tokens: number; updatedAt: number } {
    const now = this.now()
    const bucket = this.buckets.get(key)
    if (!bucket) return { tokens: this.capacity, updatedAt: now }
    const tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs)
    return { tokens, updatedAt: now }
  }

  /** True while the key has at least one token left. Takes nothing. */
  hasCapacity(key: string): boolean {
    return this.level(key).tokens >= 1
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  consume(key: string): boolean {
    const bucket = this.level(key)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    this.buckets.set(key, bucket)
    if (this.buckets.size > 50_000) this.forgetFullBuckets()
    return true
  }

  /** Gives back a token taken by `consume` for an attempt that turned out not to count. */
  refund(key: string): void {
    const bucket = this.level(key)
    this.buckets.set(key, { ...bucket, tokens: Math.min(this.capacity, bucket.tokens + 1) })
  }

  /** Seconds until one token is available again. */
  retryAfterSeconds(key: string): number {
    const missing = 1 - this.level(key).tokens
    return missing <= 0 ? 0 : Math.ceil(missing / this.refillPerMs / 1000)
  }

  private forgetFullBuckets() {
    for (const key of this.buckets.keys()) {
      if (this.level(key).tokens >= this.capacity) this.buckets.delete(key)
    }
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
export const failedLoginsByAccount = new TokenBucketLimiter(10, FIFTEEN_MINUTES)
export const failedLoginsByIp = new TokenBucketLimiter(10, FIFTEEN_MINUTES)

/** New accounts: 20 per hour per IP address (an office behind one NAT may join together). */
export const joinsByIp = new TokenBucketLimiter(20, 60 * 60 * 1000)
