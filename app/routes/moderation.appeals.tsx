import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DecisionSummary } from '../components/decision-summary'
import { ErrorSummary } from '../components/forms'
import { requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { appealDecisionSchema } from '../lib/member-moderation-validation'
import { decideAppeal, listOpenAppeals } from '../models/appeal.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Appeals', 'Moderation') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  return json({ appeals: await listOpenAppeals(), moderatorId: moderator.id })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const formData = await readForm(request)
  const values = typedValues(formData)
  const parsed = parseForm(formData, appealDecisionSchema)
  // Field ids carry the appeal's id, so each refusal points at the form it came from.
  const fail = (errors: FieldErrors, status: number) =>
    json<ActionData>({ errors: Object.fromEntries(Object.entries(errors).map(([field, message]) => [field === 'form' ? field : `${field}-${values.appealId}`, message])), values }, { status })
  if (!parsed.ok) return fail(parsed.errors, 400)
  const { appealId, outcome, reason } = parsed.data
  const decided = await decideAppeal(moderator, appealId, outcome, reason)
  if (!decided.ok) return fail({ form: decided.message }, decided.status)
  return redirectWithFlash(
    '/moderation/appeals',
    outcome === 'overturn' ? 'Appeal accepted: the decision is reversed and the member is told.' : 'Appeal decided: the decision stands and the member is told.',
  )
}

export default function ModerationAppeals() {
  const { appeals, moderatorId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  return (
    <>
      <h1>Appeals</h1>
      <p>
        <Link to="/moderation">Flagged posts</Link> · <Link to="/moderation/cases">Cases waiting for review</Link> ·{' '}
        <Link to="/moderation/log">Moderation log</Link>
      </p>
      <p>
        Members’ appeals of decisions that affected them, oldest first. A decision’s appeal is decided by a moderator other
        than the one who made it. Overturning reverses it: the post is shown again, the case goes back to review, the silence
        or suspension ends. The member is told the outcome and your reason.
      </p>
      <ErrorSummary errors={errors} />
      {appeals.length === 0 ? (
        <p className="empty">No open appeals.</p>
      ) : (
        <ol className="flag-queue">
          {appeals.map((appeal) => (
            <li key={appeal.id} className="card">
              <DecisionSummary decision={{ ...appeal.decision, appeal: null }} />
              <h3>
                Appeal from <Link to={`/members/${appeal.member.handle}`}>{appeal.member.displayName}</Link>,{' '}
                <time dateTime={appeal.createdAt}>{formatDateTime(appeal.createdAt)}</time>
              </h3>
              <blockquote className="appeal-statement">{appeal.statement}</blockquote>
              {appeal.decidedById === moderatorId ? (
                <p className="notice">You made this decision, so another moderator must decide its appeal.</p>
              ) : (
                <Form method="post" className="resolve-form" noValidate>
                  <input type="hidden" name="appealId" value={appeal.id} />
                  <div className={errors?.[`reason-${appeal.id}`] ? 'field field--error' : 'field'}>
                    <label htmlFor={`reason-${appeal.id}`}>Reason (the member is told)</label>
                    {errors?.[`reason-${appeal.id}`] ? (
                      <span className="field-error" id={`reason-${appeal.id}-error`}>
                        <span className="visually-hidden">Error: </span>
                        {errors[`reason-${appeal.id}`]}
                      </span>
                    ) : null}
                    <input
                      id={`reason-${appeal.id}`}
                      name="reason"
                      type="text"
                      maxLength={500}
                      required
                      aria-invalid={errors?.[`reason-${appeal.id}`] ? true : undefined}
                      aria-describedby={errors?.[`reason-${appeal.id}`] ? `reason-${appeal.id}-error` : undefined}
                    />
                  </div>
                  <button type="submit" name="outcome" value="overturn" className="button">
                    Overturn and reverse
                  </button>{' '}
                  <button type="submit" name="outcome" value="uphold" className="button button--secondary">
                    Uphold
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
