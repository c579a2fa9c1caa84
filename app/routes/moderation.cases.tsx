import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm, recordId } from '../lib/forms'
import { listCasesForReview, publishCase, returnCase } from '../models/case-submission.server'
import { ErrorAlert } from '../components/forms'
import { MemberName } from '../components/member-name'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Cases to review', 'Moderation') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator')
  return json({ queue: await listCasesForReview() })
}

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('publish'), caseId: recordId(), feedback: z.string().max(2000).optional() }),
  z.object({
    decision: z.literal('return'),
    caseId: recordId(),
    feedback: z.string().trim().min(1, 'Write what the author should change').max(2000, 'Keep feedback to 2,000 characters or fewer'),
  }),
])

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const parsed = parseForm(await readForm(request), decisionSchema)
  if (!parsed.ok) return json({ error: Object.values(parsed.errors)[0] }, { status: 400 })
  const { decision, caseId, feedback } = parsed.data
  if (decision === 'publish') {
    const published = await publishCase(moderator, caseId, feedback?.trim() || null)
    if (!published.ok) return json({ error: published.message }, { status: published.status })
    return redirectWithFlash('/moderation/cases', 'The case is published.')
  }
  const returned = await returnCase(moderator, caseId, feedback!)
  if (!returned.ok) return json({ error: returned.message }, { status: returned.status })
  return redirectWithFlash('/moderation/cases', 'The case is returned to its author with your feedback.')
}

export default function CaseReviewQueue() {
  const { queue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/moderation">Moderation</Link>
      </p>
      <h1>Cases to review</h1>
      <p>Submitted cases, oldest first. Publish one, or return it with feedback the author will see.</p>
      <ErrorAlert message={actionData?.error} />
      {queue.length === 0 ? (
        <p className="empty">No case is waiting for review.</p>
      ) : (
        <ol className="flag-queue">
          {queue.map((item) => (
            <li key={item.id} className="card">
              <h2>
                <Link to={`/cases/${item.slug}`}>{item.title}</Link>
              </h2>
              <p className="muted">
                By <MemberName member={item.author} />
                {item.isAnonymous ? ' (to be published anonymously)' : ''}
                {item.submittedAt ? (
                  <>
                    , submitted <time dateTime={item.submittedAt}>{formatDateTime(item.submittedAt)}</time>
                  </>
                ) : null}
              </p>
              <p>{item.summary}</p>
              <Form method="post" className="resolve-form">
                <input type="hidden" name="caseId" value={item.id} />
                <div className="field">
                  <label htmlFor={`feedback-${item.id}`}>Feedback for the author (required to return it)</label>
                  <textarea id={`feedback-${item.id}`} name="feedback" rows={3} maxLength={2000} />
                </div>
                <button type="submit" name="decision" value="publish" className="button">
                  Publish
                </button>{' '}
                <button type="submit" name="decision" value="return" className="button button--secondary">
                  Return with feedback
                </button>
              </Form>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
