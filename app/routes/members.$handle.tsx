import { json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatLongDate } from '../lib/dates'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { postPath, threadPath } from '../lib/discussion-paths'
import { listMemberActivity } from '../models/post.server'
import { findMemberByHandle } from '../models/member-profile.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.display_name} (@${data.profile.handle}) · SectorPulse` : 'Member not found · SectorPulse' },
]

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await findMemberByHandle(params.handle ?? '')
  if (!found) throw new Response('No member has that handle.', { status: 404 })
  // An old handle: links and mentions made with it lead to the member's current address.
  if ('movedTo' in found) throw redirect(`/members/${found.movedTo}`, 301)
  const { id, ...profile } = found.profile
  return json({ profile, activity: await listMemberActivity(id) })
}

const ROLE_LABELS = { admin: 'Administrator', moderator: 'Moderator', member: null } as const

export default function MemberProfile() {
  const { profile, activity } = useLoaderData<typeof loader>()
  const roleLabel = ROLE_LABELS[profile.role]
  return (
    <article className="prose">
      <h1>{profile.display_name}</h1>
      <p className="lead">
        @{profile.handle}
        {roleLabel ? (
          <>
            {' '}
            <span className="status-tag">{roleLabel}</span>
          </>
        ) : null}
      </p>
      {profile.bio_html ? <div className="prose" dangerouslySetInnerHTML={{ __html: profile.bio_html }} /> : null}
      <dl className="summary-list">
        {profile.job_title ? (
          <>
            <dt>Job title</dt>
            <dd>{profile.job_title}</dd>
          </>
        ) : null}
        <dt>Member type</dt>
        <dd>{MEMBER_TYPE_LABELS[profile.member_type]}</dd>
        <dt>Organization</dt>
        <dd>{profile.organization ?? <span className="muted">Not given</span>}</dd>
        <dt>Level of government</dt>
        <dd>{GOVERNMENT_LEVEL_LABELS[profile.government_level]}</dd>
        <dt>Joined</dt>
        <dd>
          <time dateTime={profile.created_at}>{formatLongDate(profile.created_at)}</time>
        </dd>
      </dl>
      {profile.experience.length ? (
        <section aria-labelledby="experience-heading">
          <h2 id="experience-heading">Experience</h2>
          <ul className="tag-list">
            {profile.experience.map((term) => (
              <li key={term.slug}>
                <Link to={term.facet === 'failure-mode' ? `/cases/themes/${term.slug}` : `/cases?domain=${term.slug}`}>{term.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="threads-heading">
        <h2 id="threads-heading">Recent threads</h2>
        {activity.threads.length ? (
          <ul className="activity-list">
            {activity.threads.map((thread) => (
              <li key={thread.id}>
                <Link to={threadPath(thread)}>{thread.title}</Link>
                <span className="muted">
                  {' '}
                  in {thread.categoryName}, <time dateTime={thread.createdAt}>{formatLongDate(thread.createdAt)}</time>,{' '}
                  {thread.replyCount} {thread.replyCount === 1 ? 'reply' : 'replies'}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No threads yet.</p>
        )}
      </section>
      <section aria-labelledby="replies-heading">
        <h2 id="replies-heading">Recent replies</h2>
        {activity.replies.length ? (
          <ul className="activity-list">
            {activity.replies.map((reply) => (
              <li key={`${reply.threadId}-${reply.number}`}>
                <Link to={postPath({ id: reply.threadId, slug: reply.threadSlug }, reply.number)}>
                  {reply.threadTitle}, post #{reply.number}
                </Link>
                <span className="muted">
                  {' '}
                  <time dateTime={reply.createdAt}>{formatLongDate(reply.createdAt)}</time>
                </span>
                <p className="activity-excerpt">{reply.excerpt}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No replies yet.</p>
        )}
      </section>
    </article>
  )
}
