import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { NextPageLink, SORT_LABELS, ThreadFilters } from '../components/thread-filters'
import { ThreadList } from '../components/thread-list'
import { getOptionalUser } from '../lib/auth.server'
import { readThreadQuery } from '../lib/thread-query'
import { listCategories } from '../models/category.server'
import { listTerms } from '../models/taxonomy.server'
import { listThreads } from '../models/thread.server'
import { feedLink } from '../lib/atom'
import { pageShows, pageTags } from '../../db/page-tags'
import { narrowedList, pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? pageTitle('Discussions') },
  feedLink('/discussions/feed.atom', 'New discussions (Atom feed)'),
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.threads])
  const url = new URL(request.url)
  const query = readThreadQuery(url)
  const user = await getOptionalUser(request)
  const [categories, tags] = await Promise.all([listCategories(), listTerms('failure-mode')])
  const categoryId = query.category ? categories.find((c) => c.slug === query.category)?.id ?? -1 : undefined
  const { threads, nextCursor } = await listThreads({
    sort: query.sort,
    tagSlug: query.tag,
    categoryId,
    after: query.after,
    viewerId: user?.id,
  })
  const title = pageTitle(
    narrowedList('Discussions', [
      categories.find((c) => c.slug === query.category)?.name,
      tags.find((t) => t.slug === query.tag)?.name,
      query.sort === 'latest' ? null : `sorted by ${SORT_LABELS[query.sort].toLowerCase()}`,
      query.after ? 'older threads' : null,
    ]),
  )
  return json({
    title,
    threads,
    nextCursor,
    categories: categories.map(({ slug, name }) => ({ slug, name })),
    tags: tags.map(({ slug, name }) => ({ slug, name })),
    selected: query,
    signedIn: !!user,
    now: new Date().toISOString(),
  })
}

export default function Discussions() {
  const { threads, nextCursor, categories, tags, selected, signedIn, now } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <>
      <div className="page-heading">
        <h1>Discussions</h1>
        <Link to={signedIn ? '/discussions/new' : '/login?redirectTo=%2Fdiscussions%2Fnew'} className="button">
          Start a thread
        </Link>
      </div>
      <p className="lead">
        Honest conversations about scope, risk, governance, vendors, adoption, IT-program alignment and AI in government.
      </p>
      <nav aria-label="Categories" className="category-nav">
        <h2 className="visually-hidden">Categories</h2>
        <ul>
          {categories.map((category) => (
            <li key={category.slug}>
              <Link to={`/discussions/c/${category.slug}`}>{category.name}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <ThreadFilters categories={categories} tags={tags} selected={selected} />
      <h2 className="visually-hidden">Threads</h2>
      <ThreadList threads={threads} now={now} />
      <NextPageLink nextCursor={nextCursor} searchParams={searchParams} />
    </>
  )
}
