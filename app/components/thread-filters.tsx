import { Form, Link, useLocation } from '@remix-run/react'
import type { ThreadSort } from '../models/thread.server'

const SORT_LABELS: Record<ThreadSort, string> = {
  latest: 'Latest activity',
  newest: 'Newest',
  helpful: 'Most helpful',
}

interface Option {
  slug: string
  name: string
}

/** A plain GET form, so filtering works without JavaScript and every view has a link. */
export function ThreadFilters({
  categories,
  tags,
  selected,
}: {
  categories?: Option[]
  tags: Option[]
  selected: { category?: string; tag?: string; sort: ThreadSort }
}) {
  const { search } = useLocation()
  return (
    <Form method="get" className="filters" aria-label="Filter threads" key={search}>
      {categories ? (
        <div className="field">
          <label htmlFor="filter-category">Category</label>
          <select id="filter-category" name="category" defaultValue={selected.category ?? ''}>
            <option value="">All categories</option>
            {categories.map((category) => (
              <option key={category.slug} value={category.slug}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="filter-tag">Failure mode</label>
        <select id="filter-tag" name="tag" defaultValue={selected.tag ?? ''}>
          <option value="">Any failure mode</option>
          {tags.map((tag) => (
            <option key={tag.slug} value={tag.slug}>
              {tag.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort by</label>
        <select id="filter-sort" name="sort" defaultValue={selected.sort}>
          {(Object.keys(SORT_LABELS) as ThreadSort[]).map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__actions">
        <button type="submit" className="button button--secondary">
          Apply
        </button>
      </div>
    </Form>
  )
}

export function NextPageLink({ nextCursor, searchParams }: { nextCursor: string | null; searchParams: URLSearchParams }) {
  const isFirstPage = !searchParams.get('after')
  if (!nextCursor && isFirstPage) return null
  const next = new URLSearchParams(searchParams)
  if (nextCursor) next.set('after', nextCursor)
  const first = new URLSearchParams(searchParams)
  first.delete('after')
  return (
    <nav className="pagination" aria-label="Pages of threads">
      <ul>
        {isFirstPage ? null : (
          <li>
            <Link to={`?${first}`}>First page</Link>
          </li>
        )}
        {nextCursor ? (
          <li>
            <Link to={`?${next}`} rel="next">
              Next page
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  )
}
