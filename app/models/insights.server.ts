import { type RawBuilder, sql } from 'kysely'
import { db } from '../../db/client'

/** Insights narrow the published library by these facets (one value each, or any). */
export interface InsightFilters {
  level: string | null
  domain: string | null
  outcome: string | null
}

export interface Term {
  id: number
  slug: string
  name: string
}

export interface Insights {
  /** Published cases under the filters. */
  caseCount: number
  modes: Term[]
  phases: Term[]
  /** `cells[modeSlug][phaseSlug]`: cases showing that failure mode in that phase. */
  cells: Record<string, Record<string, number>>
  /** Cases each failure mode hurt, whatever the phase. Avoidances are not failures: they are apart. */
  modeTotals: Record<string, number>
  /** Cases that avoided or overcame each failure mode. */
  avoidedTotals: Record<string, number>
  phaseTotals: Record<string, number>
  /** For each outcome, its case count and its failure modes, most shared first. */
  byOutcome: { outcome: Term; caseCount: number; modes: { slug: string; name: string; cases: number }[] }[]
  /** How often members said "we've seen this too" on cases showing each failure mode. */
  seen: { slug: string; name: string; seen: number; cases: number }[]
  /** "Seen this too" by the level of government where members saw it; level null: not said. */
  seenByLevel: { level: string | null; seen: number }[]
}

function caseFilter(filters: InsightFilters): RawBuilder<unknown> {
  const conditions = [sql`c.status = 'published'`]
  if (filters.level) conditions.push(sql`c.level = ${filters.level}`)
  if (filters.domain) conditions.push(sql`c.domain = ${filters.domain}`)
  if (filters.outcome) conditions.push(sql`c.outcome = ${filters.outcome}`)
  return sql.join(conditions, sql` and `)
}

/**
 * The library's patterns in a few grouped queries, whatever its size: the failure mode x
 * phase heatmap (with totals), failure modes per outcome, and "seen this too" per mode.
 * A cell counts a case once however the case spreads its modes and phases, and it counts
 * exactly the cases `/cases?mode=…&phase=…` lists, so every number links to its list.
 */
export async function getInsights(filters: InsightFilters): Promise<Insights> {
  const where = caseFilter(filters)
  const [terms, cellRows, modeRows, phaseRows, outcomeRows, seenRows, totalRow, avoidedRows, seenLevelRows] = await Promise.all([
    db
      .selectFrom('taxonomy_terms')
      .select(['id', 'facet', 'slug', 'name'])
      .where('facet', 'in', ['failure-mode', 'phase', 'outcome'])
      .orderBy('facet')
      .orderBy('position')
      .execute(),
    sql<{ mode_id: number; phase_id: number; n: number }>`
      select m.term_id as mode_id, p.term_id as phase_id, count(*) as n
      from cases c
        join case_failure_modes m on m.case_id = c.id and m.avoided = 0
        join case_phases p on p.case_id = c.id
      where ${where}
      group by m.term_id, p.term_id`.execute(db),
    sql<{ term_id: number; n: number }>`
      select m.term_id, count(*) as n from cases c join case_failure_modes m on m.case_id = c.id and m.avoided = 0
      where ${where} group by m.term_id`.execute(db),
    sql<{ term_id: number; n: number }>`
      select p.term_id, count(*) as n from cases c join case_phases p on p.case_id = c.id
      where ${where} group by p.term_id`.execute(db),
    sql<{ outcome: string; term_id: number; n: number }>`
      select c.outcome, m.term_id, count(*) as n from cases c join case_failure_modes m on m.case_id = c.id and m.avoided = 0
      where ${where} group by c.outcome, m.term_id`.execute(db),
    sql<{ term_id: number; seen: number; n: number }>`
      select m.term_id, sum(c.seen_count) as seen, count(*) as n from cases c join case_failure_modes m on m.case_id = c.id and m.avoided = 0
      where ${where} group by m.term_id`.execute(db),
    sql<{ outcome: string; n: number }>`select c.outcome, count(*) as n from cases c where ${where} group by c.outcome`.execute(db),
    sql<{ term_id: number; n: number }>`
      select m.term_id, count(*) as n from cases c join case_failure_modes m on m.case_id = c.id and m.avoided = 1
      where ${where} group by m.term_id`.execute(db),
    sql<{ level: string | null; n: number }>`
      select r.seen_level as level, count(*) as n from cases c join case_reactions r on r.case_id = c.id and r.kind = 'seen'
      where ${where} group by r.seen_level`.execute(db),
  ])

  const ofFacet = (facet: string) => terms.filter((t) => t.facet === facet).map(({ id, slug, name }) => ({ id, slug, name }))
  const modes = ofFacet('failure-mode')
  const phases = ofFacet('phase')
  const outcomes = ofFacet('outcome')
  const modeById = new Map(modes.map((m) => [m.id, m]))
  const phaseById = new Map(phases.map((p) => [p.id, p]))

  const cells: Insights['cells'] = Object.fromEntries(modes.map((m) => [m.slug, Object.fromEntries(phases.map((p) => [p.slug, 0]))]))
  for (const row of cellRows.rows) {
    const mode = modeById.get(row.mode_id)
    const phase = phaseById.get(row.phase_id)
    if (mode && phase) cells[mode.slug][phase.slug] = Number(row.n)
  }
  const totals = (rows: { term_id: number; n: number }[], byId: Map<number, Term>, all: Term[]) => {
    const result: Record<string, number> = Object.fromEntries(all.map((t) => [t.slug, 0]))
    for (const row of rows) {
      const term = byId.get(row.term_id)
      if (term) result[term.slug] = Number(row.n)
    }
    return result
  }
  const outcomeCounts = new Map(totalRow.rows.map((row) => [row.outcome, Number(row.n)]))

  return {
    caseCount: [...outcomeCounts.values()].reduce((sum, n) => sum + n, 0),
    modes,
    phases,
    cells,
    modeTotals: totals(modeRows.rows, modeById, modes),
    avoidedTotals: totals(avoidedRows.rows, modeById, modes),
    phaseTotals: totals(phaseRows.rows, phaseById, phases),
    byOutcome: outcomes
      .map((outcome) => ({
        outcome,
        caseCount: outcomeCounts.get(outcome.slug) ?? 0,
        modes: outcomeRows.rows
          .filter((row) => row.outcome === outcome.slug && modeById.has(row.term_id))
          .map((row) => ({ slug: modeById.get(row.term_id)!.slug, name: modeById.get(row.term_id)!.name, cases: Number(row.n) }))
          .sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name)),
      }))
      .filter((entry) => entry.caseCount > 0),
    seen: seenRows.rows
      .filter((row) => modeById.has(row.term_id))
      .map((row) => ({
        slug: modeById.get(row.term_id)!.slug,
        name: modeById.get(row.term_id)!.name,
        seen: Number(row.seen),
        cases: Number(row.n),
      }))
      .sort((a, b) => b.seen - a.seen || a.name.localeCompare(b.name)),
    seenByLevel: seenLevelRows.rows.map((row) => ({ level: row.level, seen: Number(row.n) })).sort((a, b) => b.seen - a.seen),
  }
}
