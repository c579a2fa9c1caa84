import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Highlighted } from '../components/highlighted'
import { Pager } from '../components/pager'
import { COUNT_CAP, RESULTS_PER_PAGE, SEARCH_TYPES, type SearchType } from '../lib/search-types'
import { search } from '../models/search.server'
import { narrowedList, pageTitle, quoted } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

const QUERY_MAX = 200
const MAX_PAGE = COUNT_CAP / RESULTS_PER_PAGE

const TYPE_LABELS: Record<SearchType, string> = { discussions: 'Discussions', cases: 'Cases', events: 'Events' }
const HIT_LABELS: Record<SearchType, string> = { discussions: 'Discussion', cases: 'Case', events: 'Event' }

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? pageTitle(narrowedList(`Search results for ${quoted(data.q)}`, [data.type ? TYPE_LABELS[data.type].toLowerCase() : null], data.page)) : pageTitle('Search') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.threads, pageTags.cases, pageTags.events])
  const url = new URL(request.url)
  // Whatever arrives is cut to a sane length and searched as plain words: never an error.
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, QUERY_MAX)
  const typeParam = url.searchParams.get('type') ?? ''
  const type = (SEARCH_TYPES as readonly string[]).includes(typeParam) ? (typeParam as SearchType) : null
  const pageParam = Number(url.searchParams.get('page') ?? 1)
  const page = Number.isSafeInteger(pageParam) && pageParam > 0 ? Math.min(pageParam, MAX_PAGE) : 1
  const results = await search({ q, type, page })
  return json({ q, type, page, ...results })
}

const formatCount = (n: number) => (n >= COUNT_CAP ? `${COUNT_CAP.toLocaleString('en-US')}+` : String(n))

export default function Search() {
  const { q, type, page, counts, hits, pageCount } = useLoaderData<typeof loader>()
  const href = (next: { type?: SearchType | null; page?: number }) => {
    const params = new URLSearchParams({ q })
    const nextType = next.type === undefined ? type : next.type
    if (nextType) params.set('type', nextType)
    if (next.page && next.page > 1) params.set('page', String(next.page))
    return `/search?${params}`
  }
  const total = SEARCH_TYPES.reduce((sum, t) => sum + counts[t], 0)
  const shown = type ? counts[type] : total
  const tab = (value: SearchType | null, label: string, count: number) =>
    value === type ? (
      <span aria-current="page">
        {label} ({formatCount(count)})
      </span>
    ) : (
      <Link to={href({ type: value, page: 1 })}>
        {label} ({formatCount(count)})
      </Link>
    )

  return (
    <>
      <h1>Search</h1>
      <Form method="get" role="search" className="search-form" aria-label="Search SectorPulse">
        <div className="field">
          <label htmlFor="q">Search discussions, cases and events</label>
          <span className="hint" id="q-hint">
            Every word must appear, in any of its forms: “migrate” finds “migration”. Words of four letters or more also find longer words that begin the same way.
          </span>
          <div className="search-form__row">
            <input id="q" name="q" type="search" defaultValue={q} maxLength={QUERY_MAX} aria-describedby="q-hint" />
            {type ? <input type="hidden" name="type" value={type} /> : null}
            <button type="submit" className="button">
              Search
            </button>
          </div>
        </div>
      </Form>

      {q ? (
        <>
          <nav aria-label="Result types" className="tabs">
            <ul>
              <li>{tab(null, 'All', total)}</li>
              {SEARCH_TYPES.map((t) => (
                <li key={t}>{tab(t, TYPE_LABELS[t], counts[t])}</li>
              ))}
            </ul>
          </nav>
          <p role="status">
            {shown === 0
              ? `Nothing matches “${q}”${type ? ` in ${TYPE_LABELS[type].toLowerCase()}` : ''}. Try fewer or different words.`
              : `${formatCount(shown)} ${shown === 1 ? 'result' : 'results'} for “${q}”, most relevant first.`}
          </p>
          {hits.length ? (
            <ol className="search-results" start={(page - 1) * RESULTS_PER_PAGE + 1}>
              {hits.map((hit) => (
                <li key={hit.key} className="search-result">
                  <p className="search-result__type">
                    {HIT_LABELS[hit.type]}
                    {hit.context ? <span className="muted"> · {hit.context}</span> : null}
                  </p>
                  <h2 className="search-result__title">
                    <Link to={hit.url}>
                      <Highlighted text={hit.title} />
                    </Link>
                  </h2>
                  {hit.snippet ? (
                    <p className="search-result__snippet">
                      <Highlighted text={hit.snippet} />
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : null}
          <Pager page={page} pageCount={pageCount} href={(n) => href({ page: n })} label="Search results pages" />
        </>
      ) : (
        <p>
          Search finds words in discussion titles and posts, in every field of published cases, and in event listings. To browse cases by
          failure mode, phase or outcome, use the <Link to="/cases">case library</Link>.
        </p>
      )}
    </>
  )
}
