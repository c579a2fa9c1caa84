import type { GovernmentLevel, MemberType } from '../../db/schema'

export const MEMBER_TYPE_LABELS: Record<MemberType, string> = {
  leader: 'Leader (CIO, CTO, program executive)',
  practitioner: 'Practitioner',
  advisor: 'Advisor',
  partner: 'Partner firm',
}

const MEMBER_TYPE_NOUNS: Record<string, string> = { leader: 'leader', practitioner: 'practitioner', advisor: 'advisor', partner: 'partner' }
const GOVERNMENT_LEVEL_ADJECTIVES: Record<string, string> = {
  federal: 'federal',
  state: 'state',
  local: 'local',
  tribal: 'tribal',
  international: 'international',
  'not-government': 'non-government',
}

/** "Anonymous tribal leader": how an anonymized case names its author, with nothing that names anyone. */
export function anonymousLabelOf(author: { member_type: string; government_level: string }): string {
  return `Anonymous ${GOVERNMENT_LEVEL_ADJECTIVES[author.government_level] ?? ''} ${MEMBER_TYPE_NOUNS[author.member_type] ?? 'member'}`.replace(/\s+/g, ' ')
}

export const GOVERNMENT_LEVEL_LABELS: Record<GovernmentLevel, string> = {
  federal: 'Federal',
  state: 'State',
  local: 'Local',
  tribal: 'Tribal',
  international: 'International',
  'not-government': 'Not government',
}

/** How a deleted account is credited with what it wrote and chose to keep. */
export const FORMER_MEMBER_NAME = 'A former member'

// A deleted account's handle and email: unique, and impossible to type into the join form (a
// handle cannot start with "~", nor is this an email address), so nobody can ever claim them.
const FORMER_MEMBER_PREFIX = '~deleted-'
export const formerMemberHandle = (userId: number) => `${FORMER_MEMBER_PREFIX}${userId}`
export const isFormerMember = (handle: string) => handle.startsWith(FORMER_MEMBER_PREFIX)
