// What the search page and the search model share; the model itself is server-only.
export const SEARCH_TYPES = ['discussions', 'cases', 'events'] as const
export type SearchType = (typeof SEARCH_TYPES)[number]
export const RESULTS_PER_PAGE = 20
/** Counts stop here ("1,000+"): beyond it a reader refines the words, and counting costs. */
export const COUNT_CAP = 1000
