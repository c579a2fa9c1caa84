import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { FLAG_REASON_LABELS, moderationReasonSchema } from '../lib/discussion-validation'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm, recordId } from '../lib/forms'
import { listOpenFlags, resolveFlags } from '../models/moderation.server'
import { countOpenAppeals } from '../models/appeal.server'
import { postPath } from '../lib/discussion-paths'
import { ErrorAlert } from '../components/forms'
import { MemberName } from '../components/member-name'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Moderation queue') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator')
  const [flagged, openAppeals] = await Promise.all([listOpenFlags(), countOpenAppeals()])
  return json({ flagged, openAppeals })
}

const resolveSchema = z.object({
  postId: recordId(),
  decision: z.enum(['agree', 'disagree']),
  reason: moderationReasonSchema,
})

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const parsed = parseForm(await readForm(request), resolveSchema)
  if (!parsed.ok) return json({ error: 'Choose a post and a decision.' }, { status: 400 })
  const { postId, decision, reason } = parsed.data
  const outcome = await resolveFlags(moderator, postId, decision, reason)
  if (!outcome.ok) return json({ error: outcome.message }, { status: outcome.status })
  return redirectWithFlash(
    '/moderation',
    decision === 'agree' ? 'Flags agreed: the post is hidden.' : 'Flags cleared: the post is visible.',
  )
}

export default function ModerationQueue() {
  const { flagged, openAppeals } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <h1>Moderation queue</h1>
      <p>
        <Link to="/moderation/appeals">Appeals ({openAppeals} open)</Link> · <Link to="/moderation/cases">Cases waiting for review</Link> ·{' '}
        <Link to="/moderation/log">Moderation log</Link> · <Link to="/admin/members">Members</Link>
      </p>
      <p>
        Posts members have flagged, most flagged first. Agreeing hides the post; disagreeing clears the flags and shows
        it again. Every decision is recorded in the <Link to="/moderation/log">moderation log</Link>.
      </p>
      <ErrorAlert message={actionData?.error} />
      {flagged.length === 0 ? (
        <p className="empty">No open flags. Nothing needs review.</p>
      ) : (
        <ol className="flag-queue">
          {flagged.map((item) => {
            const url = postPath({ id: item.threadId, slug: item.threadSlug }, item.postNumber)
            return (
              <li key={item.postId} className="card">
                <h2>
                  <Link to={url}>
                    Post #{item.postNumber} in “{item.threadTitle}”
                  </Link>
                </h2>
                <p className="muted">
                  By <MemberName member={item.author} />,{' '}
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                  {item.isHidden ? ' · hidden until reviewed' : ''}
                </p>
                <div className="post-body post-body--moderator-view" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
                <h3>
                  {item.flags.length} {item.flags.length === 1 ? 'flag' : 'flags'}
                </h3>
                <ul>
                  {item.flags.map((flag) => (
                    <li key={`${flag.by}-${flag.createdAt}`}>
                      <strong>{FLAG_REASON_LABELS[flag.reason].split(':')[0]}</strong> from @{flag.by}
                      {flag.note ? `: “${flag.note}”` : ''}
                      {flag.counts ? '' : ' (new or unconfirmed account: does not count toward hiding the post)'}
                    </li>
                  ))}
                </ul>
                <Form method="post" className="resolve-form">
                  <input type="hidden" name="postId" value={item.postId} />
                  <div className="field">
                    <label htmlFor={`reason-${item.postId}`}>Reason (logged)</label>
                    <input id={`reason-${item.postId}`} name="reason" type="text" maxLength={500} />
                  </div>
                  <button type="submit" name="decision" value="agree" className="button button--danger">
                    Agree and hide
                  </button>{' '}
                  <button type="submit" name="decision" value="disagree" className="button button--secondary">
                    Disagree and clear
                  </button>
                </Form>
              </li>
            )
          })}
        </ol>
      )}
    </>
  )
}
