// The conformance report published at /accessibility: generated from the e2e tests' results, it
// must carry every criterion a test checks, and never claim more than the criteria list holds.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import report from '../../content/accessibility/conformance.json'
import { conformanceRows, loadConformance } from '../../app/lib/conformance'
import { WCAG_21_CRITERIA } from '../../app/lib/wcag-criteria'

const E2E = join(__dirname, '../e2e')
const source = (file: string) => readFileSync(join(E2E, file), 'utf8')

/** Every criterion the e2e specs say they check: literal checksWcag arguments and the axe list. */
function criteriaTheTestsCheck(): Set<string> {
  const found = new Set<string>()
  const axe = /AXE_CRITERIA = \[([^\]]*)\]/.exec(source('wcag.ts'))![1]
  const axeCriteria = [...axe.matchAll(/'([\d.]+)'/g)].map((m) => m[1])
  for (const file of readdirSync(E2E).filter((f) => f.endsWith('.spec.ts'))) {
    const text = source(file)
    for (const call of text.matchAll(/checksWcag\(([^)]*)\)/g)) {
      for (const id of call[1].matchAll(/'([\d.]+)'/g)) found.add(id[1])
      if (call[1].includes('AXE_CRITERIA')) for (const id of axeCriteria) found.add(id)
    }
  }
  return found
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The titles a spec file gives its tests, each as a pattern (a template's `${...}` matches anything). */
function testTitles(file: string): RegExp[] {
  const calls = source(file).matchAll(/\btest\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g)
  return [...calls].map((m) => {
    const literal = (m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1')
    // The report prefixes a test's title with its describe blocks' titles, joined by " › ".
    return new RegExp(`(^| › )${literal.split(/\$\{[^}]*\}/).map(escapeRegExp).join('.+')}$`)
  })
}

describe('the committed conformance report', () => {
  it('is not stale: it has every test of the accessibility specs, and no test they no longer have (regenerate with npm run a11y:report)', () => {
    const tests = Object.values(report.criteria as Record<string, { title: string; file: string }[]>).flat()
    for (const file of ['accessibility.spec.ts', 'a11y-beyond.spec.ts']) {
      const reported = [...new Set(tests.filter((t) => t.file === `tests/e2e/${file}`).map((t) => t.title))]
      const titles = testTitles(file)
      expect(titles.length, file).toBeGreaterThan(3)
      const missing = titles.filter((title) => !reported.some((t) => title.test(t))).map(String)
      expect(missing, `${file}: tests missing from content/accessibility/conformance.json`).toEqual([])
      const gone = reported.filter((t) => !titles.some((title) => title.test(t)))
      expect(gone, `${file}: tests in content/accessibility/conformance.json that the spec no longer has`).toEqual([])
    }
  })


  it('has a row for every criterion a test checks (regenerate with npm run a11y:report)', () => {
    const checked = criteriaTheTestsCheck()
    expect(checked.size).toBeGreaterThan(10)
    const missing = [...checked].filter((id) => !(report.criteria as Record<string, unknown[]>)[id]?.length)
    expect(missing, 'criteria checked by tests but missing from content/accessibility/conformance.json').toEqual([])
  })

  it('names only WCAG 2.1 A and AA criteria, each with the tests behind it and their outcome', () => {
    const known = new Set(WCAG_21_CRITERIA.map((c) => c.id))
    for (const [id, tests] of Object.entries(report.criteria as Record<string, { title: string; file: string; outcome: string }[]>)) {
      expect(known.has(id), id).toBe(true)
      for (const test of tests) {
        expect(test.title).toBeTruthy()
        expect(test.file).toMatch(/^tests\/e2e\/.+\.spec\.ts$/)
        expect(['passed', 'failed']).toContain(test.outcome)
      }
    }
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false)
  })
})

describe('the VPAT table', () => {
  it('lists all 50 WCAG 2.1 A and AA criteria once, tested ones from their tests, the rest saying no test covers them', () => {
    const { rows } = loadConformance()
    expect(rows).toHaveLength(50)
    expect(new Set(rows.map((r) => r.id)).size).toBe(50)
    for (const row of rows) {
      expect(['Supports', 'Partially supports', 'Does not support', 'Not applicable']).toContain(row.conformance)
      if (!row.tests.length && row.conformance !== 'Not applicable') expect(row.remarks).toMatch(/^Not checked by an automated test\./)
    }
  })

  it('says "Partially supports" when a test behind a criterion failed, and never "Supports" from a failure', () => {
    const rows = conformanceRows({
      '1.4.11': [
        { title: 'a', file: 'tests/e2e/x.spec.ts', outcome: 'passed' },
        { title: 'b', file: 'tests/e2e/x.spec.ts', outcome: 'failed' },
      ],
      '2.4.7': [{ title: 'c', file: 'tests/e2e/x.spec.ts', outcome: 'passed' }],
    })
    expect(rows.find((r) => r.id === '1.4.11')).toMatchObject({ conformance: 'Partially supports', remarks: '1 of 2 tests checking this failed in the last report run.' })
    expect(rows.find((r) => r.id === '2.4.7')).toMatchObject({ conformance: 'Supports' })
  })
})
