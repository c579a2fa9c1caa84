import { Form, Link, useLocation } from '@remix-run/react'
import type { ThreadSort } from '../models/thread.server'
import { SelectField } from './forms'

export const SORT_LABELS: Record<ThreadSort, string> = {
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
        <SelectField
          name="category"
          label="Category"
          placeholder="All categories"
          defaultValue={selected.category ?? ''}
          options={categories.map((c) => ({ value: c.slug, label: c.name }))}
        />
      ) : null}
      <SelectField
        name="tag"
        label="Failure mode"
        placeholder="Any failure mode"
        defaultValue={selected.tag ?? ''}
        options={tags.map((t) => ({ value: t.slug, label: t.name }))}
      />
      <SelectField
        name="sort"
        label="Sort by"
        defaultValue={selected.sort}
        options={(Object.keys(SORT_LABELS) as ThreadSort[]).map((sort) => ({ value: sort, label: SORT_LABELS[sort] }))}
      />
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
