import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FLAG_REASONS } from '../../db/schema'
import { choiceId, ErrorSummary, TextAreaField } from '../components/forms'
import { assertParticipant, requireUser } from '../lib/auth.server'
import { FLAG_REASON_LABELS, flagSchema } from '../lib/discussion-validation'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { flagPost } from '../models/moderation.server'
import { postPath } from '../lib/discussion-paths'
import { getPostForEditing } from '../models/post.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Flag post #${data.post.number} in ${data.post.threadTitle}`, 'Discussions') : pageTitle('Flag post', 'Discussions') },
]

async function loadPost(request: Request, postIdParam: string | undefined) {
  const user = await requireUser(request)
  const post = await getPostForEditing(Number(postIdParam))
  if (!post || post.isDeleted) throw new Response('This post does not exist or was deleted.', { status: 404 })
  const url = postPath({ id: post.threadId, slug: post.threadSlug }, post.number)
  return { user, post, url }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post, url } = await loadPost(request, params.postId)
  return json({ post: { number: post.number, threadTitle: post.threadTitle, url } })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post, url } = await loadPost(request, params.postId)
  assertParticipant(user)
  const formData = await readForm(request)
  const values = typedValues(formData)
  const parsed = parseForm(formData, flagSchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values }, { status: 400 })
  const flagged = await flagPost(user, post.id, parsed.data.reason, parsed.data.note || null)
  if (!flagged.ok) return json<ActionData>({ errors: { form: flagged.message }, values }, { status: flagged.status })
  return redirectWithFlash(
    url,
    flagged.value.hidden
      ? 'Thank you. Enough members flagged this post that it is hidden until a moderator reviews it.'
      : 'Thank you. A moderator will review the post.',
  )
}

export default function FlagPost() {
  const { post } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  return (
    <div className="form">
      <p className="breadcrumbs">
        <Link to={post.url}>{post.threadTitle}</Link>
      </p>
      <h1>Flag post #{post.number}</h1>
      <p>
        Flag a post that breaks the <Link to="/guidelines">community guidelines</Link>, not one you disagree with. Flags go
        to the moderators. When three established members flag a post, it is hidden until a moderator reviews it; flags
        from accounts less than a day old or without a confirmed email address are reviewed but cannot hide a post alone.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <fieldset className={errors?.reason ? 'field field--error' : 'field'} aria-describedby={errors?.reason ? 'reason-error' : undefined}>
          <legend>Why are you flagging it?</legend>
          {errors?.reason ? (
            <span className="field-error" id="reason-error">
              <span className="visually-hidden">Error: </span>
              {errors.reason}
            </span>
          ) : null}
          <ul className="radio-list">
            {FLAG_REASONS.map((reason, index) => (
              <li key={reason}>
                <input
                  type="radio"
                  id={choiceId('reason', reason, index)}
                  name="reason"
                  value={reason}
                  defaultChecked={actionData?.values.reason === reason}
                />
                <label htmlFor={choiceId('reason', reason, index)}>{FLAG_REASON_LABELS[reason]}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <TextAreaField
          name="note"
          label="Tell the moderators more (required for “Something else”)"
          rows={4}
          maxLength={500}
          defaultValue={actionData?.values.note}
          error={errors?.note}
        />
        <button type="submit" className="button">
          Send flag
        </button>{' '}
        <Link to={post.url}>Cancel</Link>
      </Form>
    </div>
  )
}
