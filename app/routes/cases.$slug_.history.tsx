import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getOptionalUser } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { getCaseHistory } from '../models/case-history.server'
import { getCase } from '../models/case-reading.server'
import { pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`History of ${data.title}`, 'Case library') : pageTitle('Case not found') },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.cases])
  const viewer = await getOptionalUser(request)
  const detail = await getCase(params.slug ?? '', viewer)
  if (!detail) throw new Response('No published case has that address.', { status: 404 })
  return json({ slug: detail.slug, title: detail.title, versions: await getCaseHistory(detail.id) })
}

export default function CaseHistory() {
  const { slug, title, versions } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/cases/${slug}`}>{title}</Link>
      </p>
      <h1>History of this case</h1>
      <p>
        {versions.length} {versions.length === 1 ? 'version' : 'versions'}, newest first. Each shows what it changed from the
        one before.
      </p>
      <ol className="revision-list">
        {versions.map((version) => (
          <li key={version.label} className="revision">
            <h2>{version.label}</h2>
            <p className="muted">
              <time dateTime={version.createdAt}>{formatDateTime(version.createdAt)}</time>
              {version.note ? ` · ${version.note}` : ''}
            </p>
            {version.changes.length ? (
              <dl className="changes">
                {version.changes.map((change) => (
                  <div key={change.field} className="change">
                    <dt>{change.field}</dt>
                    <dd>
                      <p className="change__before">
                        <span className="change__label">Before:</span> <del>{change.before || '(empty)'}</del>
                      </p>
                      <p className="change__after">
                        <span className="change__label">After:</span> <ins>{change.after || '(empty)'}</ins>
                      </p>
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p>The first published version.</p>
            )}
          </li>
        ))}
      </ol>
    </>
  )
}
