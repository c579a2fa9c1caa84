import type { Role } from '../../db/schema'

/** Who may act: a member, a moderator, an admin. Models and routes share this one rule. */
export interface Actor {
  id: number
  role: Role
}

const ROLE_RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 }

/** Moderators pass a moderator check, admins pass both. */
export function hasRole(actor: { role: Role } | null | undefined, role: Role): boolean {
  return !!actor && ROLE_RANK[actor.role] >= ROLE_RANK[role]
}

export const isModerator = (actor: { role: Role } | null | undefined) => hasRole(actor, 'moderator')
