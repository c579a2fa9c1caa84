// A Playwright reporter that writes content/accessibility/conformance.json: for each WCAG 2.1
// criterion the end-to-end tests record (checksWcag), the tests behind it and their outcome.
// /accessibility renders it as the VPAT 2.5 WCAG table. Run it with `npm run a11y:report`.
import { writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export interface ConformanceTest {
  title: string
  file: string
  outcome: 'passed' | 'failed'
}
export interface ConformanceReport {
  generatedAt: string
  command: string
  criteria: Record<string, ConformanceTest[]>
}

export const REPORT_PATH = 'content/accessibility/conformance.json'

export default class WcagReporter implements Reporter {
  private readonly tests = new Map<string, ConformanceTest & { criteria: string[] }>()

  onTestEnd(test: TestCase, result: TestResult) {
    const criteria = [...test.annotations, ...result.annotations].filter((a) => a.type === 'wcag').map((a) => a.description ?? '')
    if (!criteria.length) return
    const outcome = result.status === 'passed' ? 'passed' : 'failed'
    // A retried test counts by its last attempt.
    this.tests.set(test.id, { title: test.titlePath().filter(Boolean).slice(2).join(' › '), file: relative(process.cwd(), test.location.file), outcome, criteria })
  }

  onEnd(_result: FullResult) {
    const criteria: Record<string, ConformanceTest[]> = {}
    for (const { criteria: ids, ...test } of this.tests.values()) {
      for (const id of new Set(ids)) (criteria[id] ??= []).push(test)
    }
    const sorted = Object.fromEntries(
      Object.keys(criteria)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((id) => [id, criteria[id].sort((x, y) => x.title.localeCompare(y.title))]),
    )
    const report: ConformanceReport = { generatedAt: new Date().toISOString(), command: 'npm run a11y:report', criteria: sorted }
    writeFileSync(REPORT_PATH, `${JSON.stringify(report, null, 2)}\n`)
  }
}
