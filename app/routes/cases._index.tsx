import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { Highlighted } from '../components/highlighted'
import { Pager } from '../components/pager'
import { type CaseFacetKey, hasActiveFilters, readCaseFilters } from '../lib/case-query'
import { browseCases } from '../models/case-browse.server'
import { listFacetTerms } from '../models/taxonomy.server'
import { feedLink } from '../lib/atom'
import { narrowedList, pageTitle, quoted } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? pageTitle('Case library') },
  {
    name: 'description',
    content: 'Lessons learned from public-sector technology projects, browsed by how they failed, the phase, the level of government, the domain and the outcome.',
  },
  feedLink('/cases/feed.atom', 'New cases (Atom feed)'),
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.cases])
  const filters = readCaseFilters(new URL(request.url))
  const [terms, result] = await Promise.all([listFacetTerms(), browseCases(filters)])
  const named = (facet: keyof typeof terms, slugs: string[], prefix = '') =>
    slugs.map((slug) => terms[facet].find((term) => term.slug === slug)?.name).filter(Boolean).map((name) => `${prefix}${name}`)
  const title = pageTitle(
    narrowedList(
      'Case library',
      [
        filters.q.trim() ? quoted(filters.q.trim()) : null,
        ...named('failure-mode', filters.mode),
        ...named('failure-mode', filters.avoided, 'avoided '),
        ...named('phase', filters.phase),
        ...named('level', filters.level),
        ...named('domain', filters.domain),
        ...named('outcome', filters.outcome),
      ],
      result.page,
    ),
  )
  return json({
    title,
    filters,
    filtered: hasActiveFilters(filters),
    result,
    facets: [
      { key: 'mode', label: 'Hurt by (failure mode)', terms: terms['failure-mode'] },
      { key: 'avoided', label: 'Avoided or overcame (failure mode)', terms: terms['failure-mode'] },
      { key: 'phase', label: 'Project phase', terms: terms.phase },
      { key: 'level', label: 'Level of government', terms: terms.level },
      { key: 'domain', label: 'Domain', terms: terms.domain },
      { key: 'outcome', label: 'Outcome', terms: terms.outcome },
    ] satisfies { key: CaseFacetKey; label: string; terms: { slug: string; name: string }[] }[],
    names: Object.fromEntries(
      [...terms.level, ...terms.domain, ...terms.outcome].map((term) => [term.slug, term.name]),
    ) as Record<string, string>,
  })
}

export default function CaseLibrary() {
  const { filters, filtered, result, facets, names } = useLoaderData<typeof loader>()
  // The form starts afresh on every navigation (back, "Clear all"), so it always shows the URL's view.
  const { search } = useLocation()
  const pageLink = (page: number) => {
    const params = new URLSearchParams()
    if (filters.q) params.set('q', filters.q)
    for (const facet of facets) for (const value of filters[facet.key]) params.append(facet.key, value)
    params.set('sort', filters.sort)
    if (page > 1) params.set('page', String(page))
    return `/cases?${params}`
  }

  return (
    <>
      <div className="page-heading">
        <h1>Case library</h1>
        <Link to="/cases/new" className="button">
          Share a case
        </Link>
      </div>
      <p className="lead">
        Lessons learned from real public-sector technology projects, organized by how they went wrong (or right).{' '}
        <Link to="/cases/themes">Browse by theme</Link>.
      </p>

      <Form method="get" className="case-browse" aria-label="Search and filter cases" key={search}>
        <div className="case-browse__search">
          <div className="field">
            <label htmlFor="case-q">Search the cases</label>
            <input id="case-q" name="q" type="search" defaultValue={filters.q} maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="case-sort">Sort by</label>
            <select id="case-sort" name="sort" defaultValue={filters.sort}>
              <option value="relevance">Relevance (when searching)</option>
              <option value="newest">Newest</option>
              <option value="seen">Most “seen this too”</option>
            </select>
          </div>
          <button type="submit" className="button">
            Show cases
          </button>
        </div>
        <div className="case-browse__body">
          <section className="case-results" aria-labelledby="results-heading">
            <h2 id="results-heading" aria-live="polite">
              {result.total} {result.total === 1 ? 'case' : 'cases'}
              {filters.q ? ` for “${filters.q}”` : ''}
            </h2>
            {result.cases.length === 0 ? (
              <p className="empty">No published case matches. Remove a filter or try other words.</p>
            ) : (
              <ol className="case-list">
                {result.cases.map((item) => (
                  <li key={item.slug} className="case-card">
                    <h3>
                      <Link to={`/cases/${item.slug}`}>{item.title}</Link>
                    </h3>
                    <p className="case-card__meta">
                      {names[item.level] ?? item.level} · {names[item.domain] ?? item.domain} · {item.years} ·{' '}
                      <span className={`outcome outcome--${item.outcome}`}>{names[item.outcome] ?? item.outcome}</span>
                    </p>
                    <p>{item.snippet ? <Highlighted text={item.snippet} /> : item.summary}</p>
                    <p className="case-card__meta">
                      {item.primaryMode ? (
                        <>
                          Hurt most by: <Link to={`/cases/themes/${item.primaryMode.slug}`}>{item.primaryMode.name}</Link> ·{' '}
                        </>
                      ) : null}
                      {item.avoidedCount ? (
                        <>
                          Avoided {item.avoidedCount} failure {item.avoidedCount === 1 ? 'mode' : 'modes'} ·{' '}
                        </>
                      ) : null}
                      {item.seenCount} seen this too · {item.helpfulCount} helpful
                    </p>
                  </li>
                ))}
              </ol>
            )}
            <Pager page={result.page} pageCount={result.pageCount} href={pageLink} label="Pages of cases" />
          </section>

          {/* Results come first (on a phone, before a long list of filters); the filters fold away. */}
          <details className="facets" open>
            <summary>
              <h2 className="facets__title">Filter</h2>
            </summary>
            {facets.map((facet) => {
              const selected = new Set<string>(filters[facet.key])
              return (
                <details key={facet.key} className="facet" open={selected.size > 0 || facet.key === 'mode'}>
                  <summary>
                    {facet.label}
                    {selected.size ? <span className="facet__count"> ({selected.size} chosen)</span> : null}
                  </summary>
                  <fieldset>
                    <legend className="visually-hidden">{facet.label}</legend>
                    <ul>
                      {facet.terms.map((term) => {
                        const count = result.counts[facet.key][term.slug] ?? 0
                        const id = `${facet.key}-${term.slug}`
                        return (
                          <li key={term.slug}>
                            <input
                              type="checkbox"
                              id={id}
                              name={facet.key}
                              value={term.slug}
                              defaultChecked={selected.has(term.slug)}
                            />
                            <label htmlFor={id}>
                              {term.name} <span className="muted">({count})</span>
                            </label>
                          </li>
                        )
                      })}
                    </ul>
                  </fieldset>
                </details>
              )
            })}
            <button type="submit" className="button button--secondary">
              Apply filters
            </button>{' '}
            {filtered ? <Link to="/cases">Clear all</Link> : null}
          </details>
        </div>
      </Form>
    </>
  )
}
