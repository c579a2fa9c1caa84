import type { GovernmentLevel, MemberType } from '../../db/schema'

export const MEMBER_TYPE_LABELS: Record<MemberType, string> = {
  leader: 'Leader (CIO, CTO, program executive)',
  practitioner: 'Practitioner',
  advisor: 'Advisor',
  partner: 'Partner firm',
}

export const GOVERNMENT_LEVEL_LABELS: Record<GovernmentLevel, string> = {
  federal: 'Federal',
  state: 'State',
  local: 'Local',
  tribal: 'Tribal',
  international: 'International',
  'not-government': 'Not government',
}
