import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { listModerationLog } from '../models/moderation.server'
import { postPath, threadPath } from '../lib/discussion-paths'
import { MemberName } from '../components/member-name'
import { TableRegion } from '../components/table-region'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Moderation log') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator')
  const before = Number(new URL(request.url).searchParams.get('before'))
  return json(await listModerationLog(Number.isSafeInteger(before) && before > 0 ? before : null))
}

export default function ModerationLog() {
  const { entries, nextBefore } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/moderation">Moderation queue</Link>
      </p>
      <h1>Moderation log</h1>
      <p>Every moderator action: who, what, when and why. Newest first.</p>
      {entries.length === 0 ? (
        <p className="empty">No moderator actions yet.</p>
      ) : (
        <TableRegion captionId="moderation-log-caption">
          <table>
            <caption id="moderation-log-caption" className="visually-hidden">Moderator actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">About</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  </td>
                  <td>
                    {entry.actor ? <MemberName member={entry.actor} /> : 'Automatic'}
                  </td>
                  <td>
                    {entry.label}
                    {entry.details ? <span className="muted"> ({entry.details})</span> : null}
                  </td>
                  <td>
                    {entry.thread ? (
                      <Link to={entry.postNumber ? postPath(entry.thread, entry.postNumber) : threadPath(entry.thread)}>
                        {entry.thread.title}
                        {entry.postNumber ? `, post #${entry.postNumber}` : ''}
                      </Link>
                    ) : entry.case ? (
                      <Link to={`/cases/${entry.case.slug}`}>{entry.case.title}</Link>
                    ) : entry.member ? (
                      <MemberName member={entry.member} />
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{entry.reason ?? <span className="muted">No reason given</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {nextBefore ? (
        <nav className="pagination" aria-label="Older entries">
          <ul>
            <li>
              <Link to={`?before=${nextBefore}`}>Older entries</Link>
            </li>
          </ul>
        </nav>
      ) : null}
    </>
  )
}
