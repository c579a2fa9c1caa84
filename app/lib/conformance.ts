// The accessibility conformance report (the VPAT 2.5 WCAG 2.1 table): every A and AA criterion,
// with the level the end-to-end tests support (content/accessibility/conformance.json, written
// by `npm run a11y:report`) and, where no test checks a criterion, what review found, said so.
import report from '../../content/accessibility/conformance.json'
import { type ConformanceLevel, WCAG_21_CRITERIA } from './wcag-criteria'

export interface ConformanceTest {
  title: string
  file: string
  outcome: 'passed' | 'failed' | string
}

export interface ConformanceRow {
  id: string
  name: string
  level: 'A' | 'AA'
  conformance: ConformanceLevel
  remarks: string
  tests: ConformanceTest[]
}

export interface Conformance {
  generatedAt: string
  command: string
  rows: ConformanceRow[]
}

export function conformanceRows(criteria: Record<string, ConformanceTest[]>): ConformanceRow[] {
  return WCAG_21_CRITERIA.map((criterion) => {
    const tests = criteria[criterion.id] ?? []
    const base = { id: criterion.id, name: criterion.name, level: criterion.level, tests }
    if (!tests.length) return { ...base, ...criterion.untested }
    const failed = tests.filter((t) => t.outcome !== 'passed').length
    return failed
      ? { ...base, conformance: 'Partially supports', remarks: `${failed} of ${tests.length} tests checking this failed in the last report run.` }
      : { ...base, conformance: 'Supports', remarks: `Checked by ${tests.length} end-to-end ${tests.length === 1 ? 'test' : 'tests'}, all passing.` }
  })
}

export function loadConformance(): Conformance {
  return { generatedAt: report.generatedAt, command: report.command, rows: conformanceRows(report.criteria as Record<string, ConformanceTest[]>) }
}
