import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextAreaField } from '../components/forms'
import { AnswerFirst } from '../components/team-results'
import { requireUser } from '../lib/auth.server'
import { ParticipantsOnly } from '../components/participation-notice'
import { formatLongDate } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import type { SessionUser } from '../lib/auth.server'
import { COMMENT_MAX, commentSchema } from '../lib/team-assessment-form'
import { requireTeamAssessment } from '../lib/team-route.server'
import { discussionPath } from '../lib/team-paths'
import { addTeamComment, listTeamComments, type TeamComment } from '../models/team-discussion.server'
import { findTeamQuestion, mayReadRound } from '../models/team-results.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Discuss ${data.question.area}: ${data.projectName}`) : pageTitle('Not found') },
  { name: 'robots', content: 'noindex' },
]

/** The assessment and the question under discussion (a standard one, or the team's own in any round). */
async function teamAndQuestion(user: SessionUser, params: { id?: string; question?: string }) {
  const team = await requireTeamAssessment(user, params.id)
  const question = await findTeamQuestion(team.id, params.question ?? '')
  if (!question) throw new Response('This assessment has no such question.', { status: 404 })
  return { team, question }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { team, question } = await teamAndQuestion(user, params)
  const base = { id: team.id, projectName: team.projectName, round: team.currentRound.number, question: { key: question.key, area: question.area, question: question.question } }
  // No anchoring: comments can tell how the other sides answered the current round.
  if (!(await mayReadRound(user, team.currentRound, team.currentRound.id))) return json({ ...base, comments: null })
  return json({ ...base, comments: (await listTeamComments(team.id, question.key)).map((c) => ({ ...c, postedOn: formatLongDate(c.createdAt) })) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  // A member who may only read is refused by addTeamComment; the page keeps what they wrote.
  const user = await requireUser(request)
  const { team, question } = await teamAndQuestion(user, params)
  const formData = await readForm(request)
  const parsed = parseForm(formData, commentSchema)
  if (!parsed.ok) {
    return json<{ errors: FieldErrors; values: Record<string, string> }>({ errors: parsed.errors, values: typedValues(formData) }, { status: 400 })
  }
  const added = await addTeamComment(user, team.id, question, parsed.data.body)
  if (!added.ok) {
    return json<{ errors: FieldErrors; values: Record<string, string> }>(
      { errors: { [added.field ?? 'form']: added.message }, values: typedValues(formData) },
      { status: added.status },
    )
  }
  return redirectWithFlash(`${discussionPath(team.id, question.key)}#comment-${added.value.id}`, 'Your comment is posted. The other participants hear about it by email.')
}

export default function TeamDiscussion() {
  const { id, projectName, round, question, comments } = useLoaderData<typeof loader>()
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to={`/readiness/teams/${id}/results`}>{projectName}: results</Link>
      </p>
      <h1>Discuss {question.area}</h1>
      <p className="lead">{question.question}</p>
      {comments ? <Discussion comments={comments} /> : <AnswerFirst teamId={id} round={round} what="read and join the team’s discussion" />}
    </div>
  )
}

function Discussion({ comments }: { comments: (TeamComment & { postedOn: string })[] }) {
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>Only the people taking part in this assessment see this discussion.</p>
      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">
          {comments.length} {comments.length === 1 ? 'comment' : 'comments'}
        </h2>
        {comments.length ? (
          <ol className="team-comments">
            {comments.map((c) => (
              <li key={c.id} id={`comment-${c.id}`}>
                <article aria-label={`Comment by ${c.authorName ?? 'a former member'}`}>
                  <p className="muted">
                    {c.authorHandle ? <Link to={`/members/${c.authorHandle}`}>{c.authorName}</Link> : 'A former member'}, {c.postedOn}
                  </p>
                  <div className="prose post-body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                </article>
              </li>
            ))}
          </ol>
        ) : (
          <p>No comments yet. Where the sides disagree, say what you see from yours.</p>
        )}
      </section>
      <section aria-labelledby="comment-heading">
        <h2 id="comment-heading">Add a comment</h2>
        <ErrorSummary errors={actionData?.errors} />
        <ParticipantsOnly submitted={!!actionData}>
          <Form method="post" noValidate>
            <TextAreaField
              name="body"
              label="Your comment"
              hint="Markdown works: **bold**, lists, links."
              rows={5}
              maxLength={COMMENT_MAX}
              defaultValue={actionData?.values.body}
              error={actionData?.errors.body}
            />
            <button type="submit" className="button">
              Post the comment
            </button>
          </Form>
        </ParticipantsOnly>
      </section>
    </>
  )
}
