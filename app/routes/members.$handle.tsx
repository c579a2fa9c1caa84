import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextAreaField } from '../components/forms'
import { VerifiedMark } from '../components/verified-mark'
import { getOptionalUser, requireRole } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { isModerator } from '../lib/roles'
import { publicServantVerificationSchema } from '../lib/user-validation'
import { setPublicServantVerification } from '../models/account.server'
import { formatLongDate } from '../lib/dates'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { postPath, threadPath } from '../lib/discussion-paths'
import { listMemberActivity } from '../models/post.server'
import { findMemberByHandle } from '../models/member-profile.server'
import { getPublicProfile } from '../models/user.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`${data.profile.display_name} (@${data.profile.handle})`) : pageTitle('Member not found') },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await findMemberByHandle(params.handle ?? '')
  if (!found) throw new Response('No member has that handle.', { status: 404 })
  // An old handle: links and mentions made with it lead to the member's current address.
  if ('movedTo' in found) throw redirect(`/members/${found.movedTo}`, 301)
  const { id, ...profile } = found.profile
  const viewer = await getOptionalUser(request)
  return json({ profile, activity: await listMemberActivity(id), mayVerify: isModerator(viewer) })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

/** A moderator verifies a member as a public servant by hand (or removes the mark), with a note for the log. */
export async function action({ request, params }: ActionFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const member = await getPublicProfile(params.handle ?? '')
  if (!member) throw new Response('No member has that handle.', { status: 404 })
  const formData = await readForm(request)
  const parsed = parseForm(formData, publicServantVerificationSchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values: typedValues(formData) }, { status: 400 })
  const verified = parsed.data.verified === 'yes'
  const done = await setPublicServantVerification(moderator, member.id, verified, parsed.data.note)
  if (!done.ok) throw new Response(done.message, { status: done.status })
  return redirectWithFlash(
    `/members/${member.handle}`,
    verified ? `${member.display_name} is now marked as a verified public servant.` : `The verified mark is removed from ${member.display_name}.`,
  )
}

const ROLE_LABELS = { admin: 'Administrator', moderator: 'Moderator', member: null } as const

export default function MemberProfile() {
  const { profile, activity, mayVerify } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const roleLabel = ROLE_LABELS[profile.role]
  return (
    <article className="prose">
      <h1>{profile.display_name}</h1>
      <p className="lead">
        @{profile.handle}
        {profile.public_servant_verified_by ? <VerifiedMark /> : null}
        {roleLabel ? (
          <>
            {' '}
            <span className="status-tag">{roleLabel}</span>
          </>
        ) : null}
      </p>
      {profile.bio_html ? <div className="prose post-body" dangerouslySetInnerHTML={{ __html: profile.bio_html }} /> : null}
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
        {profile.public_servant_verified_by ? (
          <>
            <dt>Verified public servant</dt>
            <dd>{profile.public_servant_verified_by === 'email' ? 'By a confirmed government email address' : 'By a moderator'}</dd>
          </>
        ) : null}
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
      {mayVerify ? (
        <section aria-labelledby="verify-heading" className="mod-tools">
          <h2 id="verify-heading">Verify as a public servant</h2>
          <p>
            For moderators. Mark a member you have checked another way (a partner firm, an advisor), or remove the mark. The
            note goes to the moderation log.
          </p>
          <ErrorSummary errors={actionData?.errors} />
          <Form method="post" noValidate>
            <input type="hidden" name="verified" value={profile.public_servant_verified_by ? 'no' : 'yes'} />
            <TextAreaField
              name="note"
              label={profile.public_servant_verified_by ? 'Why remove the mark' : 'How you verified them'}
              required
              maxLength={500}
              rows={3}
              defaultValue={actionData?.values.note}
              error={actionData?.errors.note ?? actionData?.errors.verified}
            />
            <button type="submit" className="button button--secondary">
              {profile.public_servant_verified_by ? 'Remove the verified mark' : 'Mark as a verified public servant'}
            </button>
          </Form>
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
