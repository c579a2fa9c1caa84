/** Pure figures the benchmark computes itself (autocannon's own histogram covers its loads). */

export const round = (n: number) => Math.round(n * 100) / 100
export const roundOrNull = (n: number | null) => (n === null ? null : round(n))

/** The p-th percentile (0-100) by nearest rank, or null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (!samples.length) return null
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP'

/** PASS or FAIL for a measured figure, SKIP when it was not measured in this run. */
export function verdict(actual: number | null | undefined, limit: { atMost?: number; atLeast?: number }): Verdict {
  if (actual === null || actual === undefined || Number.isNaN(actual)) return 'SKIP'
  if (limit.atMost !== undefined && actual > limit.atMost) return 'FAIL'
  if (limit.atLeast !== undefined && actual < limit.atLeast) return 'FAIL'
  return 'PASS'
}

/**
 * The scale budgets are judged on: large when it was measured (the issues' budgets are set for
 * it), otherwise the one measured, so a quick run on small still says where it stands.
 */
export function budgetScale(scalesMeasured: readonly string[]): string | null {
  if (scalesMeasured.includes('large')) return 'large'
  return scalesMeasured[0] ?? null
}
