import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { OUTBOX_STATUSES, type OutboxStatus } from '../../db/schema'
import { wakeJobs } from '../jobs/scheduler.server'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm } from '../lib/forms'
import { countOutboxByStatus, listOutbox, OUTBOX_CURSOR, retryMail } from '../models/mail-outbox.server'
import { TableRegion } from '../components/table-region'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Outgoing mail') }]

const querySchema = z.object({
  status: z.enum(OUTBOX_STATUSES).optional(),
  before: z.string().regex(OUTBOX_CURSOR).optional(),
})

const retrySchema = z.object({
  id: z.coerce.number({ invalid_type_error: 'Choose a message to retry.' }).int().positive('Choose a message to retry.'),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const url = new URL(request.url)
  const query = querySchema.safeParse({
    status: url.searchParams.get('status') || undefined,
    before: url.searchParams.get('before') || undefined,
  })
  if (!query.success) throw new Response('That filter is not one this page knows.', { status: 400 })
  const [counts, page] = await Promise.all([countOutboxByStatus(), listOutbox(query.data)])
  return json({ counts, status: query.data.status ?? null, ...page })
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, 'admin')
  const parsed = parseForm(await readForm(request), retrySchema)
  if (!parsed.ok) return json({ error: parsed.errors.id ?? 'Choose a message to retry.' }, { status: 400 })
  if (!(await retryMail(parsed.data.id))) {
    return json({ error: 'That message has not failed (or no longer exists), so there is nothing to retry.' }, { status: 409 })
  }
  wakeJobs('mail')
  const back = new URL(request.url)
  return redirectWithFlash(`${back.pathname}${back.search}`, 'Message queued to be sent again.')
}

const STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Skipped',
}

function filterHref(status: OutboxStatus | null, before?: string) {
  const params = new URLSearchParams()
  if (status) params.set('status', status)
  if (before) params.set('before', before)
  const query = params.toString()
  return query ? `/admin/mail?${query}` : '/admin/mail'
}

export default function AdminMail() {
  const { counts, status, messages, nextBefore } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
  return (
    <>
      <h1>Outgoing mail</h1>
      <p>
        Every email the site sends waits here until a mail server accepts it. Temporary failures are retried on their own;
        failed messages can be sent again once their cause is fixed.
      </p>
      {failure?.error ? (
        <p className="error-summary" role="alert">
          {failure.error}
        </p>
      ) : null}
      <nav aria-label="Messages by status" className="tabs outbox-filters">
        <ul>
          <li>
            <Link to={filterHref(null)} aria-current={status === null ? 'page' : undefined}>
              {`All (${total})`}
            </Link>
          </li>
          {OUTBOX_STATUSES.map((s) => (
            <li key={s}>
              <Link to={filterHref(s)} aria-current={status === s ? 'page' : undefined}>
                {`${STATUS_LABELS[s]} (${counts[s]})`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {messages.length === 0 ? (
        <p className="empty">{status ? `No ${STATUS_LABELS[status].toLowerCase()} messages.` : 'No email has been sent yet.'}</p>
      ) : (
        <TableRegion captionId="outbox-caption">
          <table>
            <caption id="outbox-caption">
              {`${status ? `${STATUS_LABELS[status]} messages` : 'All messages'}, newest first`}
            </caption>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Kind</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Due or sent</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>{message.toAddress}</td>
                  <td>{message.kind}</td>
                  <td>{message.subject || <span className="muted">Written when sent</span>}</td>
                  <td>
                    {STATUS_LABELS[message.status]}
                    {message.status === 'failed' ? (
                      <Form method="post" className="outbox-retry">
                        <input type="hidden" name="id" value={message.id} />
                        <button type="submit" className="button button--small">
                          Retry<span className="visually-hidden"> the message to {message.toAddress}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                  <td>{message.attempts}</td>
                  <td>
                    {message.sentAt ? (
                      <>
                        Sent <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
                      </>
                    ) : (
                      <>
                        Due <time dateTime={message.dueAt}>{formatDateTime(message.dueAt)}</time>
                      </>
                    )}
                  </td>
                  <td>{message.lastError ?? <span className="muted">None</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {nextBefore ? (
        <nav className="pagination" aria-label="Older messages">
          <ul>
            <li>
              <Link to={filterHref(status, nextBefore)}>Older messages</Link>
            </li>
          </ul>
        </nav>
      ) : null}
    </>
  )
}
