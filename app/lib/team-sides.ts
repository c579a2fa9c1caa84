/** The sides of a project a participant can speak for, in the order results show them. */
export const TEAM_SIDES = [
  { key: 'it', label: 'IT' },
  { key: 'program', label: 'Program' },
  { key: 'sponsor', label: 'Executive sponsor' },
  { key: 'vendor', label: 'Vendor or partner' },
  { key: 'frontline', label: 'Frontline or end-user representative' },
  { key: 'oversight', label: 'Oversight' },
] as const

export type TeamSide = (typeof TEAM_SIDES)[number]['key']
export const TEAM_SIDE_KEYS = TEAM_SIDES.map((side) => side.key) as [TeamSide, ...TeamSide[]]
export const SIDE_OPTIONS = TEAM_SIDES.map((side) => ({ value: side.key, label: side.label }))
export const sideLabel = (side: string) => TEAM_SIDES.find((s) => s.key === side)?.label ?? side

/** A team may add this many questions of its own to a round. */
export const TEAM_QUESTIONS_PER_ROUND = 5
/** Sides this many steps apart (or more) on a question are marked as disagreeing. */
export const DIVERGENCE_STEPS = 2
