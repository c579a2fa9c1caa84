import { Link } from '@remix-run/react'
import { threadPath } from '../lib/discussion-paths'
import type { ThreadListItem } from '../models/thread.server'
import { RelativeTime } from './time'
import { MemberName } from './member-name'

export function TagList({ tags }: { tags: { slug: string; name: string }[] }) {
  if (!tags.length) return null
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag.slug}>
          <Link className="tag" to={`/discussions?tag=${tag.slug}`}>
            {tag.name}
          </Link>
        </li>
      ))}
    </ul>
  )
}

export function ThreadList({ threads, now, showCategory = true }: { threads: ThreadListItem[]; now: string; showCategory?: boolean }) {
  if (!threads.length) return <p className="empty">No threads match. Try another filter, or start one.</p>
  return (
    <ol className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id} className="thread-row">
          <h2 className="thread-row__title">
            {thread.isPinned ? <span className="status-tag status-tag--pinned">Pinned</span> : null}
            {thread.isLocked ? <span className="status-tag">Locked</span> : null}
            <Link to={threadPath(thread)}>{thread.title}</Link>
            {thread.readState?.isNew ? <span className="badge badge--new">New</span> : null}
            {thread.readState && thread.readState.unread > 0 ? (
              <Link className="badge badge--unread" to={`/discussions/${thread.id}/${thread.slug}?unread=1`}>
                {thread.readState.unread} unread
              </Link>
            ) : null}
          </h2>
          <p className="thread-row__meta">
            {showCategory ? (
              <>
                <Link to={`/discussions/c/${thread.category.slug}`}>{thread.category.name}</Link>
                {' · '}
              </>
            ) : null}
            Started by <MemberName member={thread.author} />
          </p>
          <TagList tags={thread.tags} />
          <dl className="thread-row__stats">
            <div>
              <dt>Replies</dt>
              <dd>{thread.replyCount}</dd>
            </div>
            <div>
              <dt>Helpful</dt>
              <dd>{thread.helpfulCount}</dd>
            </div>
            <div>
              <dt>Last activity</dt>
              <dd>
                <RelativeTime iso={thread.lastPostedAt} now={now} />
              </dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  )
}
