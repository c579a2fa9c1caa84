import { followChanges } from '../../db/change-feed'
import { changeFeedOf, db } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import { CASE_FACETS, type CaseFacetKey } from '../lib/case-query'

/** The facets the library filters by. */
const FACETS = Object.keys(CASE_FACETS) as CaseFacetKey[]

/**
 * One facet's values for every case, as small numbers: case i's values are
 * `codes[start[i]] ... codes[start[i + 1] - 1]`, each the position of its slug in `slugs`.
 */
interface FacetColumn {
  slugs: string[]
  start: Uint32Array
  codes: Uint16Array
}

/** Every published case, newest first (published_at, then id, descending), by position. */
export interface CaseIndex {
  ids: Int32Array
  /** Positions, newest first (0, 1, 2...), and most "seen this too" first, then newest. */
  newest: Uint32Array
  mostSeen: Uint32Array
  facets: Record<CaseFacetKey, FacetColumn>
}

/**
 * Facet counts over thousands of cases cost SQLite a `count(distinct) ... group by` per facet,
 * each re-filtering every case by the other facets: most of a library page's time. The cases'
 * facet values are small and change only through a write that notes `cases` (or changes
 * anything), so each process keeps them in memory and reads them again after such a commit,
 * from this or any other process (the change log, db/change-feed.ts). Reading them takes 60 to
 * 200 ms on 10,000 cases; the first library page after such a commit pays it, once.
 */
const changesSinceLastLook = followChanges(changeFeedOf(db))
let generation = 0
let current: { generation: number; index: CaseIndex } | null = null
let reading: { generation: number; index: Promise<CaseIndex> } | null = null

export async function caseIndex(): Promise<CaseIndex> {
  try {
    if ((await changesSinceLastLook()).some((tags) => !tags || tags.includes(pageTags.cases))) generation++
  } catch (error) {
    // What changed while the log could not be read is unknown.
    generation++
    throw error
  }
  if (current?.generation === generation) return current.index
  // Requests arriving while the index is read share that read: it began after their look.
  if (reading?.generation !== generation) {
    const at = generation
    const index = readCaseIndex().then(
      (index) => {
        if (at === generation) current = { generation: at, index }
        return index
      },
      (error: unknown) => {
        if (reading?.index === index) reading = null
        throw error
      },
    )
    reading = { generation: at, index }
  }
  return reading.index
}

async function readCaseIndex(): Promise<CaseIndex> {
  // One read transaction: the cases and their terms from the same moment.
  const [cases, modes, phases] = await db.transaction().execute((trx) =>
    Promise.all([
      trx
        .selectFrom('cases')
        .select(['id', 'level', 'domain', 'outcome', 'seen_count'])
        .where('status', '=', 'published')
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
      trx
        .selectFrom('case_failure_modes as m')
        .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
        .select(['m.case_id', 'm.avoided', 't.slug'])
        .where('t.facet', '=', 'failure-mode')
        .execute(),
      trx
        .selectFrom('case_phases as p')
        .innerJoin('taxonomy_terms as t', 't.id', 'p.term_id')
        .select(['p.case_id', 't.slug'])
        .where('t.facet', '=', 'phase')
        .execute(),
    ]),
  )
  const position = new Map(cases.map((row, i) => [row.id, i]))
  const valuesOf = Object.fromEntries(FACETS.map((facet) => [facet, cases.map((): string[] => [])])) as Record<CaseFacetKey, string[][]>
  cases.forEach((row, i) => {
    valuesOf.level[i].push(row.level)
    valuesOf.domain[i].push(row.domain)
    valuesOf.outcome[i].push(row.outcome)
  })
  for (const link of modes) {
    const i = position.get(link.case_id)
    if (i !== undefined) valuesOf[link.avoided ? 'avoided' : 'mode'][i].push(link.slug)
  }
  for (const link of phases) {
    const i = position.get(link.case_id)
    if (i !== undefined) valuesOf.phase[i].push(link.slug)
  }
  const newest = Uint32Array.from(cases.keys())
  return {
    ids: Int32Array.from(cases, (row) => row.id),
    newest,
    mostSeen: newest.slice().sort((a, b) => cases[b].seen_count - cases[a].seen_count || a - b),
    facets: Object.fromEntries(FACETS.map((facet) => [facet, column(valuesOf[facet])])) as Record<CaseFacetKey, FacetColumn>,
  }
}

function column(values: string[][]): FacetColumn {
  const slugs: string[] = []
  const codeOf = new Map<string, number>()
  const start = new Uint32Array(values.length + 1)
  const codes = new Uint16Array(values.reduce((n, v) => n + v.length, 0))
  let next = 0
  values.forEach((slugsOfCase, i) => {
    start[i] = next
    for (const slug of slugsOfCase) {
      let code = codeOf.get(slug)
      if (code === undefined) codeOf.set(slug, (code = slugs.push(slug) - 1))
      codes[next++] = code
    }
  })
  start[values.length] = next
  return { slugs, start, codes }
}

/**
 * The positions of the cases, in `order`, that have a selected value in every facet with a
 * selection (and are among `only`, when given), and for each facet how many cases each value
 * would give with the other facets' selections as they are: one pass over the index.
 */
export function matchCases(
  index: CaseIndex,
  order: ArrayLike<number>,
  selected: Record<CaseFacetKey, readonly string[]>,
  only: { has: (id: number) => boolean } | null,
): { matching: number[]; counts: Record<CaseFacetKey, Record<string, number>> } {
  const columns = FACETS.map((facet) => index.facets[facet])
  const tallies = columns.map((c) => new Uint32Array(c.slugs.length))
  // For each facet with a selection, which of its codes are selected.
  const active = FACETS.flatMap((facet, f) => {
    if (!selected[facet].length) return []
    const wanted = new Set(selected[facet])
    return [{ f, chosen: Uint8Array.from(columns[f].slugs, (slug) => (wanted.has(slug) ? 1 : 0)) }]
  })
  const tally = (f: number, i: number) => {
    const { start, codes } = columns[f]
    // A case names a term once per facet, so each value counts the case once.
    for (let j = start[i]; j < start[i + 1]; j++) tallies[f][codes[j]]++
  }
  const matching: number[] = []
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    if (only && !only.has(index.ids[i])) continue
    let missed = -1
    let misses = 0
    for (const { f, chosen } of active) {
      const { start, codes } = columns[f]
      let passes = false
      for (let j = start[i]; j < start[i + 1] && !passes; j++) passes = chosen[codes[j]] === 1
      if (!passes && ++misses === 1) missed = f
      if (misses > 1) break
    }
    if (misses > 1) continue
    // Missing one facet's selection: the case would match if that selection changed.
    if (missed >= 0) tally(missed, i)
    else {
      matching.push(i)
      for (let f = 0; f < FACETS.length; f++) tally(f, i)
    }
  }
  const counts = Object.fromEntries(
    FACETS.map((facet, f) => [facet, Object.fromEntries(columns[f].slugs.flatMap((slug, code) => (tallies[f][code] ? [[slug, tallies[f][code]]] : [])))]),
  ) as Record<CaseFacetKey, Record<string, number>>
  return { matching, counts }
}
