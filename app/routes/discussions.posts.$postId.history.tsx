import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getOptionalUser } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { postPath } from '../lib/discussion-paths'
import { getPostHistory } from '../models/post.server'
import { pageTitle } from '../lib/page-title'
import { recordIdParam } from '../lib/forms'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`History of post #${data.post.number} in ${data.post.threadTitle}`, 'Discussions') : pageTitle('History of post', 'Discussions') },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(request)
  const history = await getPostHistory(recordIdParam(params.postId), viewer)
  if (!history) throw new Response('This post does not exist or was deleted.', { status: 404 })
  const { post, revisions, hidden } = history
  return json({
    post: {
      number: post.number,
      threadTitle: post.threadTitle,
      url: postPath({ id: post.threadId, slug: post.threadSlug }, post.number),
    },
    revisions: revisions.map(({ version, bodyHtml, createdAt }) => ({ version, bodyHtml, createdAt })).reverse(),
    hidden,
  })
}

export default function PostHistory() {
  const { post, revisions, hidden } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to={post.url}>{post.threadTitle}</Link>
      </p>
      <h1>History of post #{post.number}</h1>
      {hidden ? (
        <p>This post was hidden by a moderator, so its versions are not shown.</p>
      ) : (
        <>
          <p>
            {revisions.length} {revisions.length === 1 ? 'version' : 'versions'}, newest first.{' '}
            <Link to={post.url}>Back to the post</Link>
          </p>
          <ol className="revision-list" reversed>
            {revisions.map((revision) => (
              <li key={revision.version} className="revision">
                <h2>
                  Version {revision.version}
                  {revision.version === revisions.length ? ' (current)' : revision.version === 1 ? ' (original)' : ''}
                </h2>
                <p className="muted">
                  <time dateTime={revision.createdAt}>{formatDateTime(revision.createdAt)}</time>
                </p>
                <div className="post-body" dangerouslySetInnerHTML={{ __html: revision.bodyHtml }} />
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  )
}
