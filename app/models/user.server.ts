import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { db, isUniqueViolation, writeTransaction } from '../../db/client'
import type { Database, GovernmentLevel, MemberType, Role, User } from '../../db/schema'
import { hashPassword, spendVerifyTime, verifyPassword } from '../lib/password.server'
import type { JoinInput } from '../lib/user-validation'
import { isGovernmentEmail } from '../lib/government-domains.server'
import { joinAttemptNoticesByAddress } from '../lib/rate-limit.server'
import { queueEmailConfirmationMail, queueJoinAttemptMail } from './account-mail.server'
import { claimHandle } from './handle.server'

export type PublicProfile = Pick<
  User,
  'id' | 'handle' | 'display_name' | 'member_type' | 'organization' | 'government_level' | 'role' | 'created_at' | 'public_servant_verified_by'
>

export type FieldConflict = { ok: false; field: 'email' | 'handle'; message: string }

const nowIso = () => new Date().toISOString()

/** `userId` is null when the address already had an account: the route must answer the same either way. */
export type JoinOutcome = { ok: true; userId: number | null } | FieldConflict

/**
 * Creates an unconfirmed account and mails its confirmation link. An address that already has
 * an account gets the same answer (so the form does not reveal who is a member), creates
 * nothing, and its owner is told someone tried (a few times a day at most, so the form cannot be used to spam them). The
 * password is hashed either way, so both take the same time. Handles are public, so a taken
 * handle is refused as such.
 */
export async function joinAsMember(input: JoinInput): Promise<JoinOutcome> {
  const passwordHash = await hashPassword(input.password)
  try {
    return await writeTransaction(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select(['id', 'email', 'handle', 'display_name'])
        .where((eb) => eb.or([eb('email', '=', input.email), eb('handle', '=', input.handle)]))
        .execute()
      if (taken.some((user) => user.handle === input.handle)) {
        return { ok: false, field: 'handle', message: 'That handle is taken. Choose another.' } as const
      }
      const owner = taken.find((user) => user.email === input.email)
      if (owner) {
        if (await joinAttemptNoticesByAddress.consume(owner.email, trx)) {
          await queueJoinAttemptMail(trx, { userId: owner.id, email: owner.email, displayName: owner.display_name })
        }
        return { ok: true, userId: null } as const
      }
      if (!(await claimHandle(trx, input.handle, null))) {
        return { ok: false, field: 'handle', message: 'That handle is taken. Choose another.' } as const
      }
      const now = nowIso()
      const { id } = await trx
        .insertInto('users')
        .values({
          email: input.email,
          handle: input.handle,
          display_name: input.displayName,
          password_hash: passwordHash,
          member_type: input.memberType,
          organization: input.organization,
          government_level: input.governmentLevel,
          guidelines_accepted_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await queueEmailConfirmationMail(trx, { userId: id, email: input.email, displayName: input.displayName })
      return { ok: true, userId: id } as const
    })
  } catch (error) {
    // Two joins racing for one handle (or one address): the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, field: 'handle', message: 'That handle is taken. Choose another.' }
    throw error
  }
}

/** The member id when the email and password match; null otherwise, in the same time either way. */
export async function verifyLogin(email: string, password: string): Promise<number | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst()
  if (!user?.password_hash) {
    await spendVerifyTime(password)
    return null
  }
  return (await verifyPassword(user.password_hash, password)) ? user.id : null
}

export function getPublicProfile(handle: string): Promise<PublicProfile | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name', 'member_type', 'organization', 'government_level', 'role', 'created_at', 'public_servant_verified_by'])
    .where('handle', '=', handle.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/**
 * Changes the password after checking the current one, and signs out every other session
 * in the same transaction, so a stolen session cannot outlive the change.
 */
export async function changePassword(
  userId: number,
  keepSessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst()
  if (!user?.password_hash || !(await verifyPassword(user.password_hash, currentPassword))) {
    return { ok: false, message: 'Your current password is not correct' }
  }
  const passwordHash = await hashPassword(newPassword)
  await writeTransaction(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: nowIso() })
      .where('id', '=', userId)
      .execute()
    await trx.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute()
  })
  return { ok: true }
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url') // 24 characters, 144 bits
}

export interface AccountSpec {
  email: string
  role: Role
  password?: string
  handle?: string
  displayName?: string
  memberType?: MemberType
  governmentLevel?: GovernmentLevel
}

/**
 * Creates the account, or sets the role (and the password, when one is given) of an existing
 * one. Returns the password it generated for a new account that was given none.
 */
export async function createOrPromoteAccount(
  spec: AccountSpec,
): Promise<{ created: boolean; userId: number; generatedPassword?: string }> {
  const email = spec.email.trim().toLowerCase()
  const generatedPassword = spec.password ? undefined : generatePassword()
  const passwordHash = await hashPassword(spec.password ?? generatedPassword!)
  return writeTransaction(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    const now = nowIso()
    if (existing) {
      await trx
        .updateTable('users')
        .set({ role: spec.role, updated_at: now, ...(spec.password ? { password_hash: passwordHash } : {}) })
        .where('id', '=', existing.id)
        .execute()
      if (spec.password) await trx.deleteFrom('sessions').where('user_id', '=', existing.id).execute()
      return { created: false, userId: existing.id }
    }
    const baseHandle =
      (spec.handle ?? email.split('@')[0])
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '-')
        .replace(/^[^a-z0-9]+/, '')
        .slice(0, 24) || 'member'
    let handle = baseHandle.length >= 3 ? baseHandle : `${baseHandle}-member`
    for (let n = 2; await trx.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst(); n++) {
      handle = `${baseHandle}-${n}`
    }
    const { id } = await trx
      .insertInto('users')
      .values({
        email,
        handle,
        display_name: spec.displayName ?? handle,
        password_hash: passwordHash,
        role: spec.role,
        member_type: spec.memberType ?? 'practitioner',
        organization: null,
        government_level: spec.governmentLevel ?? 'not-government',
        // An operator created it with this address: nothing for the member to confirm.
        email_verified_at: now,
        public_servant_verified_by: isGovernmentEmail(email) ? 'email' : null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { created: true, userId: id, generatedPassword }
  })
}

export const INITIAL_ADMIN_EMAIL = 'admin@sectorpulse.local'

/**
 * On a database without an admin, creates one with a one-time generated password. It never
 * promotes an existing account: whoever joined with that email address is not thereby an admin.
 */
export async function ensureInitialAdmin(
  email: string = process.env.ADMIN_EMAIL || INITIAL_ADMIN_EMAIL,
): Promise<{ email: string; password: string } | null> {
  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirst()
  if (admin) return null
  const taken = await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst()
  if (taken) {
    console.warn(`No admin exists and ${email} belongs to a member; promote an account with npm run user:create.`)
    return null
  }
  const result = await createOrPromoteAccount({
    email,
    role: 'admin',
    handle: 'admin',
    displayName: 'SectorPulse admin',
  })
  return result.generatedPassword ? { email, password: result.generatedPassword } : null
}

export interface DemoMemberSource {
  handle: string
  displayName: string
  memberType: MemberType
  organization: string | null
  governmentLevel: GovernmentLevel
  joined: string
}

/**
 * Demo members author sample content. They have no password, so nobody can sign in as one,
 * and a real member who already holds the handle is never touched.
 */
export async function upsertDemoMember(
  member: DemoMemberSource,
  trx: Kysely<Database> = db,
): Promise<'inserted' | 'updated' | 'unchanged' | 'skipped'> {
  const existing = await trx
    .selectFrom('users')
    .select(['is_demo', 'display_name', 'member_type', 'organization', 'government_level', 'created_at'])
    .where('handle', '=', member.handle)
    .executeTakeFirst()
  const values = {
    display_name: member.displayName,
    member_type: member.memberType,
    organization: member.organization,
    government_level: member.governmentLevel,
    created_at: member.joined,
  }
  if (existing && !existing.is_demo) return 'skipped'
  if (existing) {
    const same = (Object.keys(values) as (keyof typeof values)[]).every((key) => existing[key] === values[key])
    if (same) return 'unchanged'
    await trx.updateTable('users').set({ ...values, updated_at: nowIso() }).where('handle', '=', member.handle).execute()
    return 'updated'
  }
  await trx
    .insertInto('users')
    .values({
      ...values,
      handle: member.handle,
      email: `${member.handle}@demo.sectorpulse.local`,
      password_hash: null,
      is_demo: 1,
      email_verified_at: member.joined,
      updated_at: member.joined,
    })
    .execute()
  return 'inserted'
}

/** Removes every demo member and demo thread (and, through foreign keys, what they authored). */
export async function deleteDemoMembers(trx: Kysely<Database> = db): Promise<number> {
  await trx.deleteFrom('threads').where('is_demo', '=', 1).execute()
  await trx.deleteFrom('events').where('is_demo', '=', 1).execute()
  const result = await trx.deleteFrom('users').where('is_demo', '=', 1).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export const EDITORIAL_HANDLE = 'sectorpulse-editors'

/**
 * The account curated content (the seed case library) is credited to. It has no password,
 * so nobody can sign in as it; it is not demo content and stays when demo content is off.
 */
export async function ensureEditorialAccount(trx: Kysely<Database> = db): Promise<number> {
  const existing = await trx.selectFrom('users').select('id').where('handle', '=', EDITORIAL_HANDLE).executeTakeFirst()
  if (existing) return existing.id
  const now = nowIso()
  const { id } = await trx
    .insertInto('users')
    .values({
      email: 'editors@sectorpulse.local',
      handle: EDITORIAL_HANDLE,
      display_name: 'SectorPulse editorial team',
      password_hash: null,
      role: 'member',
      member_type: 'advisor',
      organization: 'SectorPulse',
      government_level: 'not-government',
      // An account for curated content, not a peer anyone can reach.
      listed_in_directory: 0,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function setTimeZone(userId: number, timeZone: string | null): Promise<void> {
  await db.updateTable('users').set({ time_zone: timeZone, updated_at: nowIso() }).where('id', '=', userId).execute()
}
