import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { NextPageLink, SORT_LABELS, ThreadFilters } from '../components/thread-filters'
import { ThreadList } from '../components/thread-list'
import { getOptionalUser } from '../lib/auth.server'
import { FollowButton } from '../components/follow-controls'
import { isFollowing } from '../models/follow.server'
import { readThreadQuery } from '../lib/thread-query'
import { getCategory } from '../models/category.server'
import { listTerms } from '../models/taxonomy.server'
import { listThreads } from '../models/thread.server'
import { feedLink } from '../lib/atom'
import { pageShows, pageTags } from '../../db/page-tags'
import { narrowedList, pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? pageTitle('Category not found') },
  ...(data ? [feedLink(`/discussions/c/${data.category.slug}/feed.atom`, `New discussions in ${data.category.name} (Atom feed)`)] : []),
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.threads])
  const category = await getCategory(params.slug ?? '')
  if (!category) throw new Response('No category has that name.', { status: 404 })
  const query = readThreadQuery(new URL(request.url))
  const user = await getOptionalUser(request)
  const [tags, list, following] = await Promise.all([
    listTerms('failure-mode'),
    listThreads({
      categoryId: category.id,
      pinnedFirst: true,
      sort: query.sort,
      tagSlug: query.tag,
      after: query.after,
      viewerId: user?.id,
    }),
    user ? isFollowing(user.id, 'category', category.id) : null,
  ])
  const title = pageTitle(
    narrowedList(category.name, [
      tags.find((t) => t.slug === query.tag)?.name,
      query.sort === 'latest' ? null : `sorted by ${SORT_LABELS[query.sort].toLowerCase()}`,
      query.after ? 'older threads' : null,
    ]),
    'Discussions',
  )
  return json({
    title,
    category,
    following,
    ...list,
    tags: tags.map(({ slug, name }) => ({ slug, name })),
    selected: query,
    signedIn: !!user,
    now: new Date().toISOString(),
  })
}

export default function CategoryThreads() {
  const { category, threads, nextCursor, tags, selected, signedIn, following, now } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const newThread = `/discussions/new?category=${category.slug}`
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/discussions">Discussions</Link>
      </p>
      <div className="page-heading">
        <h1>{category.name}</h1>
        {following !== null ? <FollowButton targetType="category" targetId={category.id} following={following} name={category.name} /> : null}
        <Link to={signedIn ? newThread : `/login?redirectTo=${encodeURIComponent(newThread)}`} className="button">
          Start a thread
        </Link>
      </div>
      <div className="lead" dangerouslySetInnerHTML={{ __html: category.descriptionHtml }} />
      <ThreadFilters tags={tags} selected={selected} />
      <h2 className="visually-hidden">Threads</h2>
      <ThreadList threads={threads} now={now} showCategory={false} />
      <NextPageLink nextCursor={nextCursor} searchParams={searchParams} />
    </>
  )
}
