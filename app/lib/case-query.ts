export const CASE_SORTS = ['newest', 'relevance', 'seen'] as const
export type CaseSort = (typeof CASE_SORTS)[number]

/** Facets a browse can filter by: the URL key and the taxonomy facet behind it. */
export const CASE_FACETS = {
  /** Failure modes that hurt a case. */
  mode: 'failure-mode',
  /** Failure modes a case avoided or overcame. */
  avoided: 'failure-mode',
  phase: 'phase',
  level: 'level',
  domain: 'domain',
  outcome: 'outcome',
} as const
export type CaseFacetKey = keyof typeof CASE_FACETS

export interface CaseFilters {
  q: string
  mode: string[]
  avoided: string[]
  phase: string[]
  level: string[]
  domain: string[]
  outcome: string[]
  sort: CaseSort
  page: number
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,79}$/

/** The browse filters held in the URL: `/cases?q=&mode=a&mode=b&avoided=&phase=&level=&domain=&outcome=&sort=&page=`. */
export function readCaseFilters(url: URL): CaseFilters {
  const values = (key: CaseFacetKey) => [...new Set(url.searchParams.getAll(key).filter((v) => SLUG.test(v)))].slice(0, 25)
  const q = (url.searchParams.get('q') ?? '').slice(0, 200)
  const sortParam = url.searchParams.get('sort') ?? ''
  const sort: CaseSort = (CASE_SORTS as readonly string[]).includes(sortParam) ? (sortParam as CaseSort) : q.trim() ? 'relevance' : 'newest'
  const page = Number(url.searchParams.get('page'))
  return {
    q,
    mode: values('mode'),
    avoided: values('avoided'),
    phase: values('phase'),
    level: values('level'),
    domain: values('domain'),
    outcome: values('outcome'),
    sort,
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  }
}

export function hasActiveFilters(filters: CaseFilters): boolean {
  return !!filters.q.trim() || (Object.keys(CASE_FACETS) as CaseFacetKey[]).some((key) => filters[key].length > 0)
}
