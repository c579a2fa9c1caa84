import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { choiceId, ErrorAlert, ErrorSummary, SelectField, TextField } from '../components/forms'
import { MarkdownEditor } from '../components/markdown-editor'
import { PostArticle } from '../components/post-article'
import { getOptionalUser, participationRefusal, requireParticipant, requireUser } from '../lib/auth.server'
import { APPLICATION_RESULTS, appliedLessonSchema, seenTooSchema } from '../lib/case-evidence'
import { BUDGET_BANDS, CORRECTIVE_RESULTS, type CaseSource } from '../lib/case-fields'
import { formatLongDate } from '../lib/dates'
import { replySchema } from '../lib/discussion-validation'
import { threadPath } from '../lib/discussion-paths'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { commentOnCase } from '../models/case-discussion.server'
import { recordAppliedLesson, recordSeenToo, toggleCaseReaction } from '../models/case-reactions.server'
import { listFacetTerms } from '../models/taxonomy.server'
import { useParticipationRefusal } from '../components/participation-notice'
import { getCase, relatedCases } from '../models/case-reading.server'
import { markSubjectSeen } from '../models/notification.server'
import { previewBody } from '../lib/preview.server'
import { getThreadPage } from '../models/post.server'
import { MemberName } from '../components/member-name'
import { pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: pageTitle(data.case.title, 'Case library') }, { name: 'description', content: data.case.summary }]
    : [{ title: pageTitle('Case not found') }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(request)
  const detail = await getCase(params.slug ?? '', viewer)
  if (!detail) throw new Response('No published case has that address.', { status: 404 })
  // The case and, under it, the first page of its discussion thread.
  pageShows(context, detail.threadId ? [pageTags.cases, pageTags.thread(detail.threadId)] : [pageTags.cases])
  if (viewer) await markSubjectSeen(viewer.id, { caseId: detail.id })
  const [related, discussion, terms] = await Promise.all([
    relatedCases(detail.id),
    detail.threadId ? getThreadPage(detail.threadId, 1, viewer) : Promise.resolve(null),
    listFacetTerms(),
  ])
  const levels = terms.level.map((t) => ({ value: t.slug, label: t.name }))
  return json({
    case: detail,
    related,
    discussion,
    levels,
    signedIn: !!viewer,
    now: new Date().toISOString(),
  })
}

type ActionData = {
  error?: string
  errors?: FieldErrors
  body?: string
  previewHtml?: string
  /** Which evidence form a refusal belongs to, and what was typed in it. */
  evidence?: { form: 'seen-too' | 'applied'; values: Record<string, string> }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireUser(request)
  const detail = await getCase(params.slug ?? '', viewer)
  if (!detail) throw new Response('No published case has that address.', { status: 404 })
  const formData = await readForm(request)
  const intent = formData.get('intent')
  const back = `/cases/${detail.slug}`

  if (intent === 'helpful' || intent === 'seen') {
    const outcome = await toggleCaseReaction(viewer, detail.id, intent)
    return outcome.ok ? redirect(`${back}#reactions`) : json<ActionData>({ error: outcome.message }, { status: outcome.status })
  }
  if (intent === 'seen-too' || intent === 'applied') {
    const participant = await requireParticipant(request)
    const refused = (errors: FieldErrors, status: number) =>
      json<ActionData>({ errors, evidence: { form: intent, values: typedValues(formData) } }, { status })
    if (intent === 'seen-too') {
      const parsed = parseForm(formData, seenTooSchema)
      if (!parsed.ok) return refused(parsed.errors, 400)
      const outcome = await recordSeenToo(participant, detail.id, parsed.data)
      return outcome.ok ? redirect(`${back}#reactions`) : refused({ [outcome.field ?? 'form']: outcome.message }, outcome.status)
    }
    const parsed = parseForm(formData, appliedLessonSchema)
    if (!parsed.ok) return refused(parsed.errors, 400)
    const outcome = await recordAppliedLesson(participant, detail.id, parsed.data)
    return outcome.ok ? redirect(`${back}#applied`) : refused({ [outcome.field ?? 'form']: outcome.message }, outcome.status)
  }
  if (intent === 'comment' || intent === 'preview') {
    const body = String(formData.get('body') ?? '').slice(0, 20_000)
    if (intent === 'preview') {
      const preview = await previewBody(viewer, formData, 'reply')
      if (!preview.ok) return json<ActionData>({ errors: preview.errors, body }, { status: preview.status, headers: preview.headers })
      return json<ActionData>({ body, previewHtml: preview.html })
    }
    const refusal = participationRefusal(viewer)
    if (refusal) return json<ActionData>({ errors: { form: refusal }, body }, { status: 403 })
    const parsed = parseForm(formData, replySchema)
    if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, body }, { status: 400 })
    const outcome = await commentOnCase(viewer, detail.id, parsed.data.body)
    if (!outcome.ok) return json<ActionData>({ errors: { [outcome.field ?? 'form']: outcome.message }, body }, { status: outcome.status })
    return redirect(`${back}#post-${outcome.value.number}`)
  }
  return json<ActionData>({ error: 'That action is not available.' }, { status: 400 })
}

export default function CasePage() {
  const { case: item, related, discussion, levels, signedIn, now } = useLoaderData<typeof loader>()
  const participationRefusal = useParticipationRefusal()
  const actionData = useActionData<typeof action>()
  const evidenceErrors = (form: 'seen-too' | 'applied') => (actionData?.evidence?.form === form ? actionData.errors : undefined)
  const typed = (form: 'seen-too' | 'applied', field: string) => (actionData?.evidence?.form === form ? actionData.evidence.values[field] : undefined)
  const mayAddEvidence = signedIn && !participationRefusal && !item.viewer.isAuthor && item.status === 'published'

  return (
    <article className="case">
      <p className="breadcrumbs">
        <Link to="/cases">Case library</Link>
        {item.primaryMode ? (
          <>
            {' › '}
            <Link to={`/cases/themes/${item.primaryMode.slug}`}>{item.primaryMode.name}</Link>
          </>
        ) : null}
      </p>
      <h1>{item.title}</h1>
      {item.status !== 'published' ? (
        <p className="notice" role="note">
          This case is not published. Only its author and moderators can see it. Status: {item.status}.
        </p>
      ) : null}
      <p className="lead">{item.summary}</p>
      <p className="case__byline">
        {item.author.anonymous ? (
          <>
            Shared by {item.author.label}
            {item.author.revealedTo ? (
              <span className="muted">
                {' '}
                (visible to moderators only: <MemberName member={item.author.revealedTo} />)
              </span>
            ) : null}
          </>
        ) : (
          <>
            Shared by <MemberName member={item.author} />
          </>
        )}
        {item.publishedAt ? (
          <>
            {' · '}Published <time dateTime={item.publishedAt}>{formatLongDate(item.publishedAt)}</time>
          </>
        ) : null}
        {item.viewer.canEdit ? (
          <>
            {' · '}
            <Link to={`/cases/submissions/${item.id}`}>Edit this case</Link>
          </>
        ) : null}
        {item.revisionCount > 0 ? (
          <>
            {' · '}
            <Link to={`/cases/${item.slug}/history`}>
              Edited {item.revisionCount} {item.revisionCount === 1 ? 'time' : 'times'}: see what changed
            </Link>
          </>
        ) : null}
      </p>

      <ErrorAlert message={actionData?.error} />

      <section aria-labelledby="context-heading">
        <h2 id="context-heading">Context</h2>
        <dl className="summary-list">
          <dt>Level of government</dt>
          <dd>
            <Link to={`/cases?level=${item.level.slug}`}>{item.level.name}</Link>
          </dd>
          <dt>Domain</dt>
          <dd>
            <Link to={`/cases?domain=${item.domain.slug}`}>{item.domain.name}</Link>
          </dd>
          <dt>Jurisdiction</dt>
          <dd>{item.jurisdiction}</dd>
          <dt>Budget</dt>
          <dd>{BUDGET_BANDS[item.budgetBand as keyof typeof BUDGET_BANDS] ?? item.budgetBand}</dd>
          <dt>Contract model</dt>
          <dd>{item.contractModel}</dd>
          <dt>Years</dt>
          <dd>{item.years}</dd>
          <dt>Phases where it bit</dt>
          <dd>
            {item.phases.map((phase, index) => (
              <span key={phase.slug}>
                {index ? ', ' : ''}
                <Link to={`/cases?phase=${phase.slug}`}>{phase.name}</Link>
              </span>
            ))}
          </dd>
          <dt>Outcome</dt>
          <dd>
            <Link to={`/cases?outcome=${item.outcome.slug}`}>{item.outcome.name}</Link>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="happened-heading">
        <h2 id="happened-heading">What happened</h2>
        <div className="post-body case__narrative" dangerouslySetInnerHTML={{ __html: item.whatHappenedHtml }} />
      </section>

      {item.primaryMode ? (
        <section aria-labelledby="modes-heading">
          <h2 id="modes-heading">Failure modes that hurt it</h2>
          <ul className="mode-list">
            <li>
              <strong>
                Primary: <Link to={`/cases/themes/${item.primaryMode.slug}`}>{item.primaryMode.name}</Link>
              </strong>
              <p>{item.primaryMode.how}</p>
            </li>
            {item.contributingModes.map((mode) => (
              <li key={mode.slug}>
                Contributing: <Link to={`/cases/themes/${mode.slug}`}>{mode.name}</Link>
                <p>{mode.how}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {item.avoidedModes.length ? (
        <section aria-labelledby="avoided-heading">
          <h2 id="avoided-heading">Failure modes it avoided or overcame</h2>
          <ul className="mode-list">
            {item.avoidedModes.map((mode) => (
              <li key={mode.slug}>
                Avoided: <Link to={`/cases/themes/${mode.slug}`}>{mode.name}</Link>
                <p>{mode.how}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <CaseList id="causes" title="Root causes" items={item.rootCauses} />
      <CaseList id="lessons" title="Lessons learned" items={item.lessons} />
      <section aria-labelledby="recommendations-heading" id="applied">
        <h2 id="recommendations-heading">Recommendations</h2>
        <ul>
          {item.recommendations.map((text, index) => {
            const tally = item.applied[index]
            const total = tally.worked + tally.partly + tally.didNot
            return (
              <li key={text}>
                {text}
                {total ? (
                  <p className="muted">
                    Applied by {total} {total === 1 ? 'member' : 'members'}: {tally.worked} worked, {tally.partly} partly, {tally.didNot} did not
                  </p>
                ) : null}
              </li>
            )
          })}
        </ul>
        {mayAddEvidence ? (
          <Form method="post" action={`/cases/${item.slug}#applied`} noValidate preventScrollReset className="evidence-form">
            <h3>We applied this lesson</h3>
            <ErrorSummary errors={evidenceErrors('applied')} />
            <SelectField
              name="recommendation"
              label="The recommendation you applied"
              required
              options={item.recommendations.map((text, index) => ({ value: String(index), label: text.length > 90 ? `${text.slice(0, 89)}…` : text }))}
              defaultValue={typed('applied', 'recommendation') ?? ''}
              error={evidenceErrors('applied')?.recommendation}
            />
            <fieldset
              className={evidenceErrors('applied')?.result ? 'field field--error' : 'field'}
              aria-describedby={evidenceErrors('applied')?.result ? 'result-error' : undefined}
            >
              <legend>How did it go?</legend>
              {evidenceErrors('applied')?.result ? (
                <span className="field-error" id="result-error">
                  <span className="visually-hidden">Error: </span>
                  {evidenceErrors('applied')?.result}
                </span>
              ) : null}
              {Object.entries(APPLICATION_RESULTS).map(([value, label], index) => (
                <div className="checkbox-field" key={value}>
                  <input type="radio" id={choiceId('result', value, index)} name="result" value={value} defaultChecked={typed('applied', 'result') === value} />
                  <label htmlFor={choiceId('result', value, index)}>{label}</label>
                </div>
              ))}
            </fieldset>
            <TextField
              name="appliedNote"
              label="What happened (optional, shown to no one but counted)"
              maxLength={280}
              defaultValue={typed('applied', 'appliedNote') ?? ''}
              error={evidenceErrors('applied')?.appliedNote}
            />
            <button type="submit" name="intent" value="applied" className="button button--secondary">
              Record that we applied it
            </button>
          </Form>
        ) : null}
      </section>

      {item.correctiveActions.length ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Corrective actions and whether they worked</h2>
          <ul className="corrective-list">
            {item.correctiveActions.map((action) => (
              <li key={action.action}>
                <span className={`result result--${action.worked}`}>
                  {CORRECTIVE_RESULTS[action.worked as keyof typeof CORRECTIVE_RESULTS] ?? action.worked}
                </span>{' '}
                {action.action}
                {action.note ? <p className="muted">{action.note}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="outcome-heading">
        <h2 id="outcome-heading">Outcome</h2>
        <p>
          <strong>{item.outcome.name}.</strong> {item.outcomeDetail}
        </p>
      </section>

      <section aria-labelledby="sources-heading" id="sources">
        <h2 id="sources-heading">Where this account comes from</h2>
        {item.firstHand ? (
          <p>
            <strong>A first-hand account</strong> by a member who was there
            {item.firstHandStatement ? `: “${item.firstHandStatement}”` : '.'}
          </p>
        ) : (
          <p>
            <strong>Drawn from the public record</strong>: the sources below.
          </p>
        )}
        {item.sources.length ? <CitationList sources={item.sources} /> : null}
      </section>

      <section aria-labelledby="reactions-heading" id="reactions" className="reactions">
        <h2 id="reactions-heading">Was this useful?</h2>
        <p>
          {item.helpfulCount} {item.helpfulCount === 1 ? 'member found' : 'members found'} this helpful ·{' '}
          {item.seenCount} {item.seenCount === 1 ? 'member has' : 'members have'} seen this too
        </p>
        {item.seenNotes.length ? (
          <ul className="seen-notes" aria-label="What members who have seen this too say">
            {item.seenNotes.map((seen, index) => (
              <li key={index}>
                “{seen.note}”
                {seen.level || seen.year ? <span className="muted"> ({[seen.level, seen.year].filter(Boolean).join(', ')})</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {signedIn && !item.viewer.isAuthor && item.status === 'published' ? (
          <>
            <div className="reactions__buttons">
              <Form method="post" preventScrollReset>
                <input type="hidden" name="intent" value="helpful" />
                <button type="submit" className="button button--secondary" aria-pressed={item.viewer.markedHelpful}>
                  {item.viewer.markedHelpful ? 'Helpful (undo)' : 'Helpful'}
                </button>
              </Form>
              {item.viewer.markedSeen ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="seen" />
                  <button type="submit" className="button button--secondary" aria-pressed="true">
                    We’ve seen this too (undo)
                  </button>
                </Form>
              ) : null}
            </div>
            {participationRefusal ? (
              <p>{participationRefusal} Then you can say you have seen this too, or that you applied a lesson.</p>
            ) : null}
            {item.viewer.markedSeen || !mayAddEvidence ? null : (
              <Form method="post" action={`/cases/${item.slug}#reactions`} noValidate preventScrollReset className="evidence-form">
                <h3>We’ve seen this too</h3>
                <p className="hint">Where and when help other leaders judge how common this is. Every field is optional.</p>
                <ErrorSummary errors={evidenceErrors('seen-too')} />
                <SelectField
                  name="seenLevel"
                  label="Level of government where you saw it"
                  placeholder="Not saying"
                  options={levels}
                  defaultValue={typed('seen-too', 'seenLevel') ?? ''}
                  error={evidenceErrors('seen-too')?.seenLevel}
                />
                <TextField
                  name="seenYear"
                  label="Year"
                  inputMode="numeric"
                  maxLength={4}
                  defaultValue={typed('seen-too', 'seenYear') ?? ''}
                  error={evidenceErrors('seen-too')?.seenYear}
                />
                <TextField
                  name="seenNote"
                  label="A short note (optional)"
                  maxLength={280}
                  defaultValue={typed('seen-too', 'seenNote') ?? ''}
                  error={evidenceErrors('seen-too')?.seenNote}
                />
                <div className="checkbox-field">
                  <input type="checkbox" id="notePublic" name="notePublic" defaultChecked={typed('seen-too', 'notePublic') === 'on'} />
                  <label htmlFor="notePublic">Show my note on this case (without my name); otherwise it is only counted</label>
                </div>
                <button type="submit" name="intent" value="seen-too" className="button button--secondary">
                  We’ve seen this too
                </button>
              </Form>
            )}
          </>
        ) : !signedIn && item.status === 'published' ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/cases/${item.slug}`)}`}>Sign in</Link> to say it was helpful
            or that you have seen this too.
          </p>
        ) : null}
      </section>

      {related.length ? (
        <section aria-labelledby="related-heading">
          <h2 id="related-heading">Related cases</h2>
          <ul className="card-grid">
            {related.map((other) => (
              <li key={other.slug} className="card">
                <h3>
                  <Link to={`/cases/${other.slug}`}>{other.title}</Link>
                </h3>
                <p>{other.summary}</p>
                <p className="muted">
                  {other.sharedModes} shared failure {other.sharedModes === 1 ? 'mode' : 'modes'}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {item.status === 'published' ? (
        <section aria-labelledby="discussion-heading" className="case-discussion" id="discussion">
          <h2 id="discussion-heading">Discussion</h2>
          {discussion ? (
            <>
              {discussion.posts.map((post) => (
                <PostArticle key={post.id} post={post} thread={discussion.thread} now={now} page={1} />
              ))}
              {discussion.pageCount > 1 ? (
                <p>
                  <Link to={threadPath(discussion.thread, 2)}>Read the rest of the discussion</Link>
                </p>
              ) : null}
            </>
          ) : (
            <p>No one has discussed this case yet.</p>
          )}
          {signedIn ? (
            <>
              <ErrorSummary errors={actionData?.evidence ? undefined : actionData?.errors} />
              <Form method="post" action={`/cases/${item.slug}#discussion`} noValidate preventScrollReset key={discussion?.thread.lastPostNumber ?? 0}>
                <MarkdownEditor
                  name="body"
                  label="Add to the discussion"
                  defaultValue={actionData?.body ?? ''}
                  error={actionData?.errors?.body}
                  previewHtml={actionData?.previewHtml}
                  rows={6}
                />
                <button type="submit" name="intent" value="comment" className="button">
                  Post comment
                </button>
              </Form>
            </>
          ) : (
            <p>
              <Link to={`/login?redirectTo=${encodeURIComponent(`/cases/${item.slug}`)}`}>Sign in</Link> to join the discussion.
            </p>
          )}
        </section>
      ) : null}
    </article>
  )
}

/** Sources as a reader would cite them: publisher, date, title, report number, and a link when known. */
function CitationList({ sources }: { sources: CaseSource[] }) {
  return (
    <ol className="citation-list">
      {sources.map((source) => (
        <li key={`${source.title}|${source.publisher}`}>
          {source.publisher}
          {source.date ? ` (${source.date})` : ''}.{' '}
          {source.url ? (
            <a href={source.url} rel="noopener noreferrer">
              <cite>{source.title}</cite>
            </a>
          ) : (
            <cite>{source.title}</cite>
          )}
          {source.reportNumber ? `. ${source.reportNumber}` : ''}.
        </li>
      ))}
    </ol>
  )
}

function CaseList({ id, title, items }: { id: string; title: string; items: string[] }) {
  if (!items.length) return null
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ul>
        {items.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </section>
  )
}
