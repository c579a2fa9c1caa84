import { Link } from '@remix-run/react'
import { isFormerMember } from '../lib/member-labels'

/** A member's name linking to their profile; a deleted account's name ("A former member") links nowhere. */
export function MemberName({ member }: { member: { handle: string; displayName: string } }) {
  if (isFormerMember(member.handle)) return <>{member.displayName}</>
  return <Link to={`/members/${member.handle}`}>{member.displayName}</Link>
}
