// What model tests need to set a scene: an outcome's value, and members straight in the table.
import { db } from '../../db/client'
import type { GovernmentLevel, Role } from '../../db/schema'
import type { Outcome } from '../../app/lib/outcome'

/** The value of a model write the test expects to succeed; a refusal fails the test with its message. */
export function must<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`refused with ${outcome.status}: ${outcome.message}`)
  return outcome.value
}

let members = 0

/**
 * A member inserted straight into the users table (no password, so never signing in): faster than
 * the sign-up path, for tests about what members do rather than how they join.
 */
export async function insertMember(
  role: Role = 'member',
  profile: { displayName?: string; organization?: string | null; governmentLevel?: GovernmentLevel } = {},
): Promise<{ id: number; role: Role; handle: string; email: string; displayName: string }> {
  const n = ++members
  const handle = `person-${role}-${n}`
  const email = `${handle}@fixtures.example.gov`
  const displayName = profile.displayName ?? `Test person ${n}`
  const now = new Date().toISOString()
  const { id } = await db
    .insertInto('users')
    .values({
      email,
      handle,
      display_name: displayName,
      password_hash: null,
      role,
      member_type: 'practitioner',
      organization: profile.organization === undefined ? 'A county agency' : profile.organization,
      government_level: profile.governmentLevel ?? 'local',
      time_zone: null,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id, role, handle, email, displayName }
}
