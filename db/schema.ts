import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export const ROLES = ['member', 'moderator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const MEMBER_TYPES = ['leader', 'practitioner', 'advisor', 'partner'] as const
export type MemberType = (typeof MEMBER_TYPES)[number]

export const GOVERNMENT_LEVELS = [
  'federal',
  'state',
  'local',
  'tribal',
  'international',
  'not-government',
] as const
export type GovernmentLevel = (typeof GOVERNMENT_LEVELS)[number]

/** Timestamps are ISO 8601 UTC strings (`Date#toISOString`), so they sort as text. */
type Timestamp = string

export interface UsersTable {
  id: Generated<number>
  email: string
  handle: string
  display_name: string
  /** Null for demo members, who exist to author sample content and cannot sign in. */
  password_hash: string | null
  role: Generated<Role>
  member_type: MemberType
  organization: string | null
  government_level: GovernmentLevel
  is_demo: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SessionsTable {
  /** SHA-256 (hex) of the token in the cookie; the token itself is never stored. */
  id: string
  user_id: number
  expires_at: Timestamp
  created_at: Timestamp
}

export interface TaxonomyTermsTable {
  id: Generated<number>
  facet: string
  slug: string
  name: string
  description_md: string
  description_html: string
  /** JSON arrays of strings; empty for simple facets. */
  warning_signs_json: string
  prevention_json: string
  position: number
  source_hash: string
}

export interface CategoriesTable {
  id: Generated<number>
  slug: string
  name: string
  description_md: string
  description_html: string
  position: number
  source_hash: string
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  taxonomy_terms: TaxonomyTermsTable
  categories: CategoriesTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type TaxonomyTerm = Selectable<TaxonomyTermsTable>
export type Category = Selectable<CategoriesTable>
