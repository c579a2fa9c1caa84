import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { CASE_STATUS_LABELS } from '../lib/case-fields'
import { listMySubmissions } from '../models/case-submission.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Your cases', 'Case library') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ submissions: await listMySubmissions(user.id) })
}


export default function MySubmissions() {
  const { submissions } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/cases">Case library</Link>
      </p>
      <div className="page-heading">
        <h1>Your cases</h1>
        <Link to="/cases/new" className="button">
          Share a case
        </Link>
      </div>
      {submissions.length === 0 ? (
        <p className="empty">You have not shared a case yet.</p>
      ) : (
        <ul className="case-list">
          {submissions.map((item) => (
            <li key={item.id} className="case-card">
              <h2 className="case-card__title">
                {item.status === 'published' ? (
                  <Link to={`/cases/${item.slug}`}>{item.title}</Link>
                ) : (
                  <Link to={`/cases/submissions/${item.id}`}>{item.title}</Link>
                )}
              </h2>
              <p className="case-card__meta">
                <span className={`status-tag status-tag--${item.status}`}>{CASE_STATUS_LABELS[item.status]}</span> · Last changed{' '}
                <time dateTime={item.updatedAt}>{formatDateTime(item.updatedAt)}</time>
              </p>
              {item.status === 'returned' && item.feedback ? (
                <div className="feedback">
                  <h3>Feedback from the moderators</h3>
                  <p>{item.feedback}</p>
                  <Link to={`/cases/submissions/${item.id}`}>Revise and resubmit</Link>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
