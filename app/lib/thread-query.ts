import { THREAD_SORTS, type ThreadSort } from '../models/thread.server'

/** Reads the list's query string; anything unexpected falls back to the default view. */
export function readThreadQuery(url: URL) {
  const sortParam = url.searchParams.get('sort')
  const sort: ThreadSort = (THREAD_SORTS as readonly string[]).includes(sortParam ?? '') ? (sortParam as ThreadSort) : 'latest'
  const clean = (value: string | null) => (value && /^[a-z0-9_-]{1,80}$/.test(value) ? value : undefined)
  return {
    sort,
    tag: clean(url.searchParams.get('tag')),
    category: clean(url.searchParams.get('category')),
    after: url.searchParams.get('after')?.slice(0, 100) ?? null,
  }
}
