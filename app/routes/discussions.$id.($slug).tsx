import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { ErrorAlert, ErrorSummary } from '../components/forms'
import { MarkdownEditor } from '../components/markdown-editor'
import { Pager } from '../components/pager'
import { PostArticle } from '../components/post-article'
import { TagList } from '../components/thread-list'
import { RelativeTime } from '../components/time'
import { getOptionalUser, participationRefusal, requireUser } from '../lib/auth.server'
import { moderationReasonSchema, replySchema } from '../lib/discussion-validation'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, recordId } from '../lib/forms'
import { listCategories } from '../models/category.server'
import { moderateThread, moveThread, setPostHidden } from '../models/moderation.server'
import { previewBody } from '../lib/preview.server'
import { postPath, threadPath } from '../lib/discussion-paths'
import {
  deletePost,
  getPostForEditing,
  getThreadPage,
  quoteForReply,
  replyToThread,
  toggleAcceptedAnswer,
  toggleHelpful,
} from '../models/post.server'
import { getThreadSummary, getReadMarker, markThreadRead } from '../models/thread.server'
import { markSubjectSeen } from '../models/notification.server'
import { getThreadLevel } from '../models/follow.server'
import { ThreadLevelForm } from '../components/follow-controls'
import { redirectToCanonical } from '../lib/canonical'
import { MemberName } from '../components/member-name'
import { ParticipantsOnly } from '../components/participation-notice'
import { pageShows, pageTags } from '../../db/page-tags'
import { narrowedList, pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(narrowedList(data.thread.title, [], data.page), 'Discussions') : pageTitle('Thread not found') },
]

function threadIdFrom(params: LoaderFunctionArgs['params']): number {
  const id = Number(params.id)
  if (!Number.isSafeInteger(id) || id < 1) throw new Response('No thread has that address.', { status: 404 })
  return id
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const threadId = threadIdFrom(params)
  pageShows(context, [pageTags.thread(threadId)])
  const url = new URL(request.url)
  const user = await getOptionalUser(request)

  if (url.searchParams.has('unread') && user) {
    const summary = await getThreadSummary(threadId)
    if (summary) {
      const next = Math.min((await getReadMarker(user.id, threadId)) + 1, summary.lastPostNumber)
      throw redirect(postPath(summary, next))
    }
  }

  const data = await getThreadPage(threadId, Number(url.searchParams.get('page') ?? 1), user)
  if (!data) throw new Response('This thread does not exist or was deleted.', { status: 404 })
  const { thread } = data
  if (params.slug !== thread.slug) redirectToCanonical(context, `/discussions/${thread.id}/${thread.slug}${url.search}`)

  // Reading a page moves the reader's marker: the one deliberate write a GET makes. It only
  // affects the reader's own unread counts, so a forged request gains an attacker nothing.
  const lastShown = data.posts.at(-1)?.number
  if (user && lastShown) {
    await markThreadRead(user.id, thread.id, lastShown)
    await markSubjectSeen(user.id, { threadId: thread.id, upToNumber: lastShown })
  }

  const quoteId = Number(url.searchParams.get('quote'))
  const quote = user && Number.isSafeInteger(quoteId) && quoteId > 0 ? await quoteForReply(quoteId, thread.id) : null
  const categories = data.viewer.isModerator ? (await listCategories()).map(({ slug, name }) => ({ slug, name })) : []
  const threadLevel = user ? await getThreadLevel(user.id, thread.id) : null

  return json({ ...data, quote, categories, threadLevel, signedIn: !!user, now: new Date().toISOString() })
}

const postIdSchema = z.object({ postId: recordId() })

type ActionData = { error?: string; errors?: FieldErrors; body?: string; previewHtml?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = threadIdFrom(params)
  const user = await requireUser(request)
  const formData = await readForm(request)
  const intent = String(formData.get('intent') ?? '')
  const thread = await getThreadSummary(threadId)
  if (!thread) throw new Response('This thread does not exist or was deleted.', { status: 404 })
  const refused = (status: number, error: string) => json<ActionData>({ error }, { status })
  const backTo = (number?: number) => (number ? postPath(thread, number) : threadPath(thread))

  if (intent === 'reply' || intent === 'preview') {
    const body = String(formData.get('body') ?? '').slice(0, 20_000)
    if (intent === 'preview') {
      const preview = await previewBody(user, formData, 'reply')
      if (!preview.ok) return json<ActionData>({ errors: preview.errors, body }, { status: preview.status, headers: preview.headers })
      return json<ActionData>({ body, previewHtml: preview.html })
    }
    const refusal = participationRefusal(user)
    if (refusal) return json<ActionData>({ errors: { form: refusal }, body }, { status: 403 })
    const parsed = parseForm(formData, replySchema)
    if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, body }, { status: 400 })
    const replied = await replyToThread(user, threadId, parsed.data.body)
    if (!replied.ok) {
      return json<ActionData>({ errors: { [replied.field ?? 'form']: replied.message }, body }, { status: replied.status })
    }
    return redirect(backTo(replied.value.number))
  }

  if (['pin', 'unpin', 'lock', 'unlock', 'move'].includes(intent)) {
    const reason = moderationReasonSchema.safeParse(formData.get('reason') ?? undefined)
    if (!reason.success) return refused(400, reason.error.issues[0].message)
    const outcome =
      intent === 'move'
        ? await moveThread(user, threadId, String(formData.get('category') ?? ''), reason.data)
        : await moderateThread(user, threadId, intent as 'pin' | 'unpin' | 'lock' | 'unlock', reason.data)
    if (!outcome.ok) return refused(outcome.status, outcome.message)
    const done = { pin: 'Thread pinned.', unpin: 'Thread unpinned.', lock: 'Thread locked.', unlock: 'Thread unlocked.', move: 'Thread moved.' }
    return redirectWithFlash(backTo(), done[intent as keyof typeof done])
  }

  const target = parseForm(formData, postIdSchema)
  if (!target.ok) return refused(400, 'Choose a post.')
  const { postId } = target.data
  const post = await getPostForEditing(postId)
  if (post?.threadId !== threadId) return refused(404, 'That post is not in this thread.')
  const { number } = post

  switch (intent) {
    case 'helpful': {
      const outcome = await toggleHelpful(user, postId)
      return outcome.ok ? redirect(backTo(number)) : refused(outcome.status, outcome.message)
    }
    case 'accept': {
      const outcome = await toggleAcceptedAnswer(user, postId)
      return outcome.ok ? redirect(backTo(number)) : refused(outcome.status, outcome.message)
    }
    case 'delete': {
      const outcome = await deletePost(user, postId)
      if (!outcome.ok) return refused(outcome.status, outcome.message)
      return outcome.value.threadDeleted
        ? redirectWithFlash('/discussions', 'Your thread was deleted.')
        : redirectWithFlash(backTo(number), 'Your post was deleted.')
    }
    case 'hide':
    case 'unhide': {
      const reason = moderationReasonSchema.safeParse(formData.get('reason') ?? undefined)
      if (!reason.success) return refused(400, reason.error.issues[0].message)
      const outcome = await setPostHidden(user, postId, intent === 'hide', reason.data)
      if (!outcome.ok) return refused(outcome.status, outcome.message)
      return redirectWithFlash(backTo(number), intent === 'hide' ? 'Post hidden.' : 'Post shown again.')
    }
    default:
      return refused(400, 'That action is not available.')
  }
}

export default function ThreadPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const { thread, posts, accepted, page, pageCount, viewer, now } = data
  const opening = page === 1 ? posts.find((post) => post.number === 1) : undefined
  const rest = posts.filter((post) => post !== opening)
  const replying = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'reply'

  return (
    <>
      <p className="breadcrumbs">
        <Link to="/discussions">Discussions</Link> ›{' '}
        <Link to={`/discussions/c/${thread.category.slug}`}>{thread.category.name}</Link>
      </p>
      <h1 className="thread-title">{thread.title}</h1>
      <p className="thread-meta">
        {thread.isPinned ? <span className="status-tag status-tag--pinned">Pinned</span> : null}
        {thread.isLocked ? <span className="status-tag">Locked</span> : null} Started by{' '}
        <MemberName member={thread.author} />{' '}
        <RelativeTime iso={thread.createdAt} now={now} /> · {thread.replyCount} {thread.replyCount === 1 ? 'reply' : 'replies'} ·{' '}
        {thread.helpfulCount} helpful
      </p>
      <TagList tags={thread.tags} />
      <ErrorAlert message={actionData?.error} />
      {thread.isLocked ? (
        <p className="notice" role="note">
          This thread is locked. You can read it, but no new replies can be added.
        </p>
      ) : null}

      {opening ? <PostArticle post={opening} thread={thread} now={now} page={page} headingLevel={2} /> : null}
      {page === 1 && accepted ? (
        <section className="accepted-answer" aria-labelledby="accepted-heading">
          <h2 id="accepted-heading">Accepted answer</h2>
          <PostArticle post={accepted} thread={thread} now={now} page={page} summary />
        </section>
      ) : null}
      {rest.length ? (
        <section aria-labelledby="replies-heading">
          <h2 id="replies-heading" className="visually-hidden">
            Replies
          </h2>
          {rest.map((post) => (
            <PostArticle key={post.id} post={post} thread={thread} now={now} page={page} />
          ))}
        </section>
      ) : null}

      <Pager page={page} pageCount={pageCount} href={(n) => threadPath(thread, n)} label="Pages of this thread" />

      <section aria-labelledby="reply-heading" className="reply-box" id="reply">
        <h2 id="reply-heading">Reply</h2>
        {viewer.canReply ? (
          <ParticipantsOnly submitted={actionData?.body !== undefined}>
            <ErrorSummary errors={actionData?.errors} />
            <Form
              method="post"
              action={`${threadPath(thread, page)}#reply`}
              noValidate
              preventScrollReset
              // A new key after each posted reply empties the box; a quote fills it.
              key={`${data.quote ?? 'reply'}-${thread.lastPostNumber}`}
            >
              <MarkdownEditor
                name="body"
                label="Your reply"
                defaultValue={actionData?.body ?? data.quote ?? ''}
                error={actionData?.errors?.body}
                previewHtml={actionData?.previewHtml}
                rows={8}
              />
              {/* The intent rides on the button, so the editor's Preview button can say otherwise. */}
              <button type="submit" name="intent" value="reply" className="button" disabled={replying}>
                Post reply
              </button>
            </Form>
          </ParticipantsOnly>
        ) : thread.isLocked ? (
          <p>Replies are closed because the thread is locked.</p>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(threadPath(thread, page))}`}>Sign in</Link> or{' '}
            <Link to="/join">join</Link> to reply.
          </p>
        )}
      </section>

      {data.threadLevel ? <ThreadLevelForm threadId={thread.id} level={data.threadLevel} /> : null}

      {viewer.isModerator ? <ModeratorTools /> : null}
    </>
  )
}

function ModeratorTools() {
  const { thread, categories } = useLoaderData<typeof loader>()
  return (
    <section aria-labelledby="mod-heading" className="mod-tools">
      <h2 id="mod-heading">Moderator tools</h2>
      <div className="mod-tools__row">
        <Form method="post">
          <input type="hidden" name="intent" value={thread.isPinned ? 'unpin' : 'pin'} />
          <button type="submit" className="button button--secondary">
            {thread.isPinned ? 'Unpin thread' : 'Pin thread'}
          </button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value={thread.isLocked ? 'unlock' : 'lock'} />
          <button type="submit" className="button button--secondary">
            {thread.isLocked ? 'Unlock thread' : 'Lock thread'}
          </button>
        </Form>
      </div>
      <Form method="post" className="mod-tools__move">
        <input type="hidden" name="intent" value="move" />
        <div className="field">
          <label htmlFor="move-category">Move to category</label>
          <select id="move-category" name="category" defaultValue={thread.category.slug}>
            {categories.map((category) => (
              <option key={category.slug} value={category.slug}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="move-reason">Reason (recorded in the moderation log)</label>
          <input id="move-reason" name="reason" type="text" maxLength={500} />
        </div>
        <button type="submit" className="button button--secondary">
          Move thread
        </button>
      </Form>
    </section>
  )
}
