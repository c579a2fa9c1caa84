import type { ReactNode } from 'react'
import { Form, Link, useLocation, useRouteLoaderData } from '@remix-run/react'
import { PARTICIPATION_REFUSALS, type ParticipationBlock } from '../lib/participation'
import type { RootLoaderData } from '../root'
import { formatDateTime } from '../lib/dates'
import { NotificationBanner } from './notification-banner'

/**
 * Why the signed-in member may read but not take part, in the words a refusal uses (from the
 * root's data, which every page has), or null when they may or nobody is signed in. Pages leave
 * out the controls such a member could only be refused, and say this where a form would be.
 */
export function useParticipationRefusal(): string | null {
  const block = useRouteLoaderData<RootLoaderData>('root')?.participation?.block
  return block ? PARTICIPATION_REFUSALS[block.kind] : null
}

/**
 * A form that adds content, or in its place why the member may not use it. After a submission
 * (a refused one, sent from a page opened earlier) the form stays, to give back what was sent.
 */
export function ParticipantsOnly({ submitted, children }: { submitted: boolean; children: ReactNode }) {
  const refusal = useParticipationRefusal()
  return refusal && !submitted ? <p>{refusal}</p> : <>{children}</>
}

/** On every page for a signed-in member who may read but not take part, saying why (and, when they can, how to fix it). */
export function ParticipationNotice({
  block,
  email,
  silence,
}: {
  block: ParticipationBlock | null
  email: string
  /** The silencing decision: its reason and where to appeal it. */
  silence?: { reason: string | null; appealHref: string | null } | null
}) {
  const location = useLocation()
  if (!block) return null
  if (block.kind === 'unverified') {
    return (
      <NotificationBanner id="participation" title="Confirm your email address">
        <p>
          We sent a link to <strong>{email}</strong>. Until you follow it you can read, save drafts and take the readiness
          assessment, but not post, flag, reply to events or submit a case.
        </p>
        <Form method="post" action="/verify-email/resend">
          <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
          <button type="submit" className="button button--secondary">
            Resend the confirmation email
          </button>
        </Form>
      </NotificationBanner>
    )
  }
  if (block.kind === 'silenced') {
    return (
      <NotificationBanner id="participation" title="Your account is read-only">
        <p>
          {block.until ? (
            <>
              A moderator has made your account read-only until <time dateTime={block.until}>{formatDateTime(block.until)}</time>
            </>
          ) : (
            'A moderator has made your account read-only until further notice'
          )}
          . You can read, but not post, flag, reply to events or submit a case.
          {silence ? ` Reason: ${silence.reason ?? 'none recorded'}.` : null}
        </p>
        <p>
          {silence?.appealHref ? (
            <>
              <Link to={silence.appealHref}>Appeal this decision</Link>
              {' · '}
            </>
          ) : null}
          <Link to="/appeals">Your moderation decisions</Link>
        </p>
      </NotificationBanner>
    )
  }
  return null
}
