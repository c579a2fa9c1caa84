import { Form, Link } from '@remix-run/react'
import { threadPath } from '../lib/discussion-paths'
import type { PostView } from '../models/post.server'
import { useParticipationRefusal } from './participation-notice'
import { RelativeTime } from './time'
import { MemberName } from './member-name'
import { VerifiedMark } from './verified-mark'

interface PostArticleProps {
  post: PostView
  thread: { id: number; slug: string }
  now: string
  page: number
  /** The copy of the accepted answer under the opening post: no actions, links to the original. */
  summary?: boolean
  /** 2 for the opening post (right under the page's h1), 3 for posts under an h2 such as "Replies". */
  headingLevel?: 2 | 3
}

const PLACEHOLDER: Record<Exclude<PostView['visibility'], 'visible'>, string> = {
  deleted: 'This post was deleted by its author.',
  'hidden-by-moderator': 'This post was hidden by a moderator.',
  'hidden-by-flags': 'This post was hidden after members flagged it. A moderator will review it.',
}

export function PostArticle({ post, thread, now, page, summary = false, headingLevel = 3 }: PostArticleProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const anchor = summary ? `accepted-post-${post.number}` : `post-${post.number}`
  const onPage = threadPath(thread, page)
  const permalink = `${onPage}#post-${post.number}`
  const hidden = post.visibility !== 'visible'
  // Marking helpful, quoting, editing and flagging add to what others see; taking a mark back does not.
  const takesPart = !useParticipationRefusal()

  return (
    <article id={anchor} className={hidden ? 'post post--hidden' : 'post'} aria-labelledby={`${anchor}-heading`}>
      <header className="post__header">
        <Heading id={`${anchor}-heading`} className="post__author">
          <MemberName member={post.author} />
          {post.author.verifiedPublicServant ? <VerifiedMark /> : null}
          <span className="visually-hidden">, post {post.number}</span>
        </Heading>
        <p className="post__meta">
          <a href={summary ? `#post-${post.number}` : permalink}>#{post.number}</a> ·{' '}
          <RelativeTime iso={post.createdAt} now={now} />
          {post.editedAt ? (
            <>
              {' · '}
              <Link to={`/discussions/posts/${post.id}/history`}>edited</Link>
            </>
          ) : null}
        </p>
      </header>

      {hidden ? (
        <p className="post__placeholder">
          {PLACEHOLDER[post.visibility as keyof typeof PLACEHOLDER]}
          {post.hiddenReason ? ` Reason: ${post.hiddenReason}` : ''}
        </p>
      ) : null}
      {post.bodyHtml ? (
        <div className={hidden ? 'post-body post-body--moderator-view' : 'post-body'}>
          {hidden ? <p className="muted">Only moderators see the text below.</p> : null}
          <div dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
        </div>
      ) : null}

      {summary || post.visibility === 'deleted' ? null : (
        <footer className="post__actions">
          <span className="helpful-count">
            {post.helpfulCount} helpful
          </span>
          {(post.viewer.canMarkHelpful && takesPart) || post.viewer.markedHelpful ? (
            <Form method="post" action={onPage} preventScrollReset>
              <input type="hidden" name="intent" value="helpful" />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button" aria-pressed={post.viewer.markedHelpful}>
                {post.viewer.markedHelpful ? 'Helpful (undo)' : 'Mark helpful'}
                <span className="visually-hidden"> post {post.number}</span>
              </button>
            </Form>
          ) : null}
          {post.viewer.canAccept ? (
            <Form method="post" action={onPage} preventScrollReset>
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button">
                {post.isAccepted ? 'Unaccept answer' : 'Accept as answer'}
                <span className="visually-hidden"> post {post.number}</span>
              </button>
            </Form>
          ) : null}
          {!hidden && post.viewer.canQuote && takesPart ? (
            <Link to={`${onPage}${onPage.includes('?') ? '&' : '?'}quote=${post.id}#reply`} preventScrollReset>
              Quote<span className="visually-hidden"> post {post.number}</span>
            </Link>
          ) : null}
          {post.viewer.canEdit && takesPart ? (
            <Link to={`/discussions/posts/${post.id}/edit`}>
              Edit<span className="visually-hidden"> post {post.number}</span>
            </Link>
          ) : null}
          {post.viewer.canFlag && takesPart ? (
            <Link to={`/discussions/posts/${post.id}/flag`}>
              Flag<span className="visually-hidden"> post {post.number}</span>
            </Link>
          ) : post.viewer.flagged ? (
            <span className="muted">You flagged this</span>
          ) : null}
          {post.viewer.canDelete ? (
            <details className="confirm">
              <summary>
                Delete<span className="visually-hidden"> post {post.number}</span>
              </summary>
              <Form method="post" action={onPage}>
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="postId" value={post.id} />
                <p>{post.number === 1 ? 'Delete this thread?' : 'Delete this post?'} It cannot be undone.</p>
                <button type="submit" className="button button--danger">
                  Yes, delete it
                </button>
              </Form>
            </details>
          ) : null}
          {post.viewer.canModerate ? (
            hidden ? (
              <Form method="post" action={onPage}>
                <input type="hidden" name="intent" value="unhide" />
                <input type="hidden" name="postId" value={post.id} />
                <button type="submit" className="link-button">
                  Unhide<span className="visually-hidden"> post {post.number}</span>
                </button>
              </Form>
            ) : (
              <details className="confirm">
                <summary>
                  Hide<span className="visually-hidden"> post {post.number}</span>
                </summary>
                <Form method="post" action={onPage}>
                  <input type="hidden" name="intent" value="hide" />
                  <input type="hidden" name="postId" value={post.id} />
                  <div className="field">
                    <label htmlFor={`hide-reason-${post.id}`}>Reason (logged; the author is told)</label>
                    <input id={`hide-reason-${post.id}`} name="reason" type="text" maxLength={500} />
                  </div>
                  <button type="submit" className="button button--danger">
                    Hide post
                  </button>
                </Form>
              </details>
            )
          ) : null}
        </footer>
      )}
    </article>
  )
}
