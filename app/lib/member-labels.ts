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
