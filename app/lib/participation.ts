import type { User } from '../../db/schema'

/** Stored as the end of a measure that has none ("silenced indefinitely"). */
export const INDEFINITELY = '9999-12-31T23:59:59.999Z'

export type Standing = Pick<User, 'email_verified_at' | 'silenced_until' | 'suspended_until'>

/** Why a signed-in member may read but not take part (post, flag, RSVP, submit a case); null when they may. */
export type ParticipationBlock =
  | { kind: 'unverified' }
  | { kind: 'silenced'; until: string | null }
  | { kind: 'suspended'; until: string | null }

const endOf = (until: string) => (until === INDEFINITELY ? null : until)

/** The one rule for who may take part; models and routes both ask it. */
export function participationBlock(member: Standing, now: Date = new Date()): ParticipationBlock | null {
  const at = now.toISOString()
  if (member.suspended_until && member.suspended_until > at) return { kind: 'suspended', until: endOf(member.suspended_until) }
  if (member.silenced_until && member.silenced_until > at) return { kind: 'silenced', until: endOf(member.silenced_until) }
  if (!member.email_verified_at) return { kind: 'unverified' }
  return null
}

export const PARTICIPATION_REFUSALS: Record<ParticipationBlock['kind'], string> = {
  unverified: 'Confirm your email address before you take part: follow the link we sent you.',
  silenced: 'A moderator has made your account read-only for now.',
  suspended: 'Your account is suspended.',
}
