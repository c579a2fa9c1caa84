import { Link } from '@remix-run/react'
import type { MemberWhoHasBeenThere } from '../models/member-directory.server'

/** A short list of members who lived through a failure mode, and the way to find more of them. */
export function PeersWhoHaveBeenThere({
  members,
  directoryHref,
  Heading,
  headingId,
}: {
  members: MemberWhoHasBeenThere[]
  directoryHref: string
  Heading: 'h2' | 'h4'
  headingId?: string
}) {
  return (
    <>
      <Heading id={headingId}>Members who have been there</Heading>
      {members.length ? (
        <ul className="activity-list">
          {members.map((member) => (
            <li key={member.handle}>
              <Link to={`/members/${member.handle}`}>{member.displayName}</Link>
              {member.jobTitle || member.organization ? (
                <span className="muted detail"> {[member.jobTitle, member.organization].filter(Boolean).join(', ')}</span>
              ) : null}
              <span className="muted detail">
                {' '}
                ({[member.listsExperience ? 'lists it as experience' : null, member.sawItToo ? 'has seen a case of it too' : null]
                  .filter(Boolean)
                  .join('; ')})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No listed member has said they lived through this yet.</p>
      )}
      <p>
        <Link to={directoryHref}>Find members with this experience</Link>
      </p>
    </>
  )
}
