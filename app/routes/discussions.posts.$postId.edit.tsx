import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary } from '../components/forms'
import { MarkdownEditor } from '../components/markdown-editor'
import { assertParticipant, requireUser } from '../lib/auth.server'
import { placeOfPost, replySchema } from '../lib/discussion-validation'
import { type FieldErrors, parseForm, readForm } from '../lib/forms'
import { previewBody } from '../lib/preview.server'
import { postPath } from '../lib/discussion-paths'
import { editPost, getPostForEditing } from '../models/post.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Edit post #${data.post.number} in ${data.post.threadTitle}`, 'Discussions') : pageTitle('Edit post', 'Discussions') },
]

async function loadOwnPost(request: Request, postIdParam: string | undefined) {
  const user = await requireUser(request)
  const post = await getPostForEditing(Number(postIdParam))
  if (!post || post.isDeleted) throw new Response('This post does not exist or was deleted.', { status: 404 })
  if (post.authorId !== user.id) throw new Response('You can only edit your own posts.', { status: 403 })
  return { user, post }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post } = await loadOwnPost(request, params.postId)
  return json({
    post: {
      number: post.number,
      body: post.bodyMd,
      threadTitle: post.threadTitle,
      url: postPath({ id: post.threadId, slug: post.threadSlug }, post.number),
    },
  })
}

type ActionData = { errors?: FieldErrors; body: string; previewHtml?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post } = await loadOwnPost(request, params.postId)
  const formData = await readForm(request)
  const body = String(formData.get('body') ?? '').slice(0, 20_000)
  if (formData.get('intent') === 'preview') {
    const preview = await previewBody(user, formData, placeOfPost(post.number))
    if (!preview.ok) return json<ActionData>({ errors: preview.errors, body }, { status: preview.status, headers: preview.headers })
    return json<ActionData>({ body, previewHtml: preview.html })
  }
  assertParticipant(user)
  const parsed = parseForm(formData, replySchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, body }, { status: 400 })
  const edited = await editPost(user, post.id, parsed.data.body)
  if (!edited.ok) return json<ActionData>({ errors: { form: edited.message }, body }, { status: edited.status })
  return redirect(postPath({ id: post.threadId, slug: post.threadSlug }, post.number))
}

export default function EditPost() {
  const { post } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to={post.url}>{post.threadTitle}</Link>
      </p>
      <h1>Edit post #{post.number}</h1>
      <p>Everyone can see the earlier versions of an edited post.</p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" noValidate>
        <MarkdownEditor
          name="body"
          label="Your post"
          defaultValue={actionData?.body ?? post.body}
          error={actionData?.errors?.body}
          previewHtml={actionData?.previewHtml}
          rows={12}
          previewAs={placeOfPost(post.number)}
        />
        <button type="submit" className="button">
          Save changes
        </button>{' '}
        <Link to={post.url}>Cancel</Link>
      </Form>
    </div>
  )
}
