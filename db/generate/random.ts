/**
 * A small seeded PRNG (mulberry32), so a given --seed always generates the same database.
 * Math.random would make two benchmark databases of one scale differ run to run.
 */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0 || 1
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** One of the items, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, weight] of items) total += weight
    let u = this.next() * total
    for (const [item, weight] of items) {
      u -= weight
      if (u < 0) return item
    }
    return items[items.length - 1][0]
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** `count` distinct items, in random order (count <= items.length). */
  sample<T>(items: readonly T[], count: number): T[] {
    const n = Math.min(count, items.length)
    if (n * 3 < items.length) {
      const chosen = new Set<number>()
      while (chosen.size < n) chosen.add(Math.floor(this.next() * items.length))
      return [...chosen].map((i) => items[i])
    }
    const copy = [...items]
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i))
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy.slice(0, n)
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }
}

/** How many of the ascending `sorted` values are below `value`. */
export function countBelow(sorted: Float64Array, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
