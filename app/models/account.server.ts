import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database, User } from '../../db/schema'
import { isGovernmentEmail } from '../lib/government-domains.server'
import { hashPassword, verifyPassword } from '../lib/password.server'
import type { SessionUser } from '../lib/auth.server'
import { hasRole } from '../lib/roles'
import {
  queueAddressInUseMail,
  queueEmailChangedMail,
  queueEmailChangeMail,
  queueEmailConfirmationMail,
  queuePasswordResetMail,
} from './account-mail.server'
import { findEmailToken, retireEmailTokens, spendEmailToken, type TokenProblem } from './email-token.server'
import { logAction } from './moderation.server'

// Recovering and proving an account by email: password reset, address confirmation, change of
// address and its undo, and the "verified public servant" mark that follows the address.

export type TokenOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: TokenProblem | 'address-taken' }

type PublicServantMark = User['public_servant_verified_by']

/** The mark an address earns: 'email' in a government domain; a moderator's mark stays; an 'email' mark goes with the address. */
export function publicServantMarkFor(email: string, current: PublicServantMark): PublicServantMark {
  if (isGovernmentEmail(email)) return current ?? 'email'
  return current === 'email' ? null : current
}

async function memberByEmail(trx: Kysely<Database>, email: string) {
  return trx.selectFrom('users').select(['id', 'email', 'display_name', 'password_hash']).where('email', '=', email).executeTakeFirst()
}

/** Mails a reset link when the address has an account that can sign in; says nothing either way. */
export async function requestPasswordReset(email: string): Promise<void> {
  await writeTransaction(async (trx) => {
    const member = await memberByEmail(trx, email)
    if (!member?.password_hash) return
    await queuePasswordResetMail(trx, { userId: member.id, email: member.email, displayName: member.display_name })
  })
}

/** Whether a link is still good, for the page it opens (which only reads). */
export async function checkEmailToken(purpose: Parameters<typeof findEmailToken>[1], token: string): Promise<TokenOutcome> {
  const found = await findEmailToken(db, purpose, token)
  return found.ok ? { ok: true } : found
}

/**
 * Sets the new password, spends the link and signs out every session, in one transaction. The
 * link proves the member reads mail at the address, so an unconfirmed address becomes confirmed.
 */
export async function resetPassword(token: string, newPassword: string): Promise<TokenOutcome<{ userId: number }>> {
  const passwordHash = await hashPassword(newPassword)
  return writeTransaction(async (trx) => {
    const found = await findEmailToken(trx, 'reset-password', token)
    if (!found.ok) return found
    const member = await trx.selectFrom('users').select(['email', 'email_verified_at']).where('id', '=', found.userId).executeTakeFirstOrThrow()
    // A link sent to an address the account no longer has is worth nothing.
    if (member.email !== found.email) return { ok: false, problem: 'unknown' }
    const now = new Date().toISOString()
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, email_verified_at: member.email_verified_at ?? now, updated_at: now })
      .where('id', '=', found.userId)
      .execute()
    await trx.deleteFrom('sessions').where('user_id', '=', found.userId).execute()
    await spendEmailToken(trx, found.id)
    await retireEmailTokens(trx, found.userId, ['reset-password'])
    return { ok: true, userId: found.userId }
  })
}

/** Mails a new confirmation link to a member whose address is not confirmed yet; false when it already is. */
export async function resendEmailConfirmation(userId: number): Promise<boolean> {
  return writeTransaction(async (trx) => {
    const member = await trx.selectFrom('users').select(['id', 'email', 'display_name', 'email_verified_at']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (member.email_verified_at) return false
    await queueEmailConfirmationMail(trx, { userId: member.id, email: member.email, displayName: member.display_name })
    return true
  })
}

/** Confirms the address the link was sent to (when it is still the member's) and grants the government mark it earns. */
export async function confirmEmail(token: string): Promise<TokenOutcome<{ userId: number; displayName: string }>> {
  return writeTransaction(async (trx) => {
    const found = await findEmailToken(trx, 'verify-email', token)
    if (!found.ok) return found
    const member = await trx
      .selectFrom('users')
      .select(['email', 'display_name', 'email_verified_at', 'public_servant_verified_by'])
      .where('id', '=', found.userId)
      .executeTakeFirstOrThrow()
    if (member.email !== found.email) return { ok: false, problem: 'unknown' }
    const now = new Date().toISOString()
    await trx
      .updateTable('users')
      .set({
        email_verified_at: member.email_verified_at ?? now,
        public_servant_verified_by: publicServantMarkFor(member.email, member.public_servant_verified_by),
        updated_at: now,
      })
      .where('id', '=', found.userId)
      .execute()
    await spendEmailToken(trx, found.id)
    return { ok: true, userId: found.userId, displayName: member.display_name }
  })
}

export type EmailChangeRequest = { ok: true } | { ok: false; field: 'currentPassword' | 'email'; message: string }

/**
 * Mails a confirmation link to the new address after checking the current password; nothing
 * changes until it is followed. An address that belongs to another account gets the same
 * answer here (no enumeration) and its owner a note instead of a link.
 */
export async function requestEmailChange(userId: number, currentPassword: string, newEmail: string): Promise<EmailChangeRequest> {
  const member = await db.selectFrom('users').select(['id', 'email', 'display_name', 'password_hash']).where('id', '=', userId).executeTakeFirstOrThrow()
  if (!member.password_hash || !(await verifyPassword(member.password_hash, currentPassword))) {
    return { ok: false, field: 'currentPassword', message: 'Your current password is not correct' }
  }
  if (newEmail === member.email) return { ok: false, field: 'email', message: 'That is already your email address. Enter a different one.' }
  await writeTransaction(async (trx) => {
    const owner = await memberByEmail(trx, newEmail)
    if (owner) await queueAddressInUseMail(trx, { userId: owner.id, email: owner.email, displayName: owner.display_name })
    else await queueEmailChangeMail(trx, { userId: member.id, email: member.email, displayName: member.display_name }, newEmail)
  })
  return { ok: true }
}

/** Moves the account to the confirmed new address and tells the old one, with a link to undo it. */
export async function confirmEmailChange(token: string): Promise<TokenOutcome<{ email: string }>> {
  return writeTransaction(async (trx) => {
    const found = await findEmailToken(trx, 'change-email', token)
    if (!found.ok) return found
    if (await memberByEmail(trx, found.email)) return { ok: false, problem: 'address-taken' }
    const member = await trx
      .selectFrom('users')
      .select(['id', 'email', 'display_name', 'public_servant_verified_by'])
      .where('id', '=', found.userId)
      .executeTakeFirstOrThrow()
    const now = new Date().toISOString()
    await trx
      .updateTable('users')
      .set({
        email: found.email,
        email_verified_at: now,
        public_servant_verified_by: publicServantMarkFor(found.email, member.public_servant_verified_by),
        updated_at: now,
      })
      .where('id', '=', member.id)
      .execute()
    await spendEmailToken(trx, found.id)
    // Links sent to the old address (a reset, a confirmation) must not act on the new one.
    await retireEmailTokens(trx, member.id, ['reset-password', 'verify-email'])
    await queueEmailChangedMail(trx, { userId: member.id, email: member.email, displayName: member.display_name }, member.email, found.email)
    return { ok: true, email: found.email }
  })
}

/** Puts the old address back and signs out every session: the change may have been a takeover. */
export async function undoEmailChange(token: string): Promise<TokenOutcome<{ email: string }>> {
  return writeTransaction(async (trx) => {
    const found = await findEmailToken(trx, 'undo-email-change', token)
    if (!found.ok) return found
    const holder = await memberByEmail(trx, found.email)
    if (holder && holder.id !== found.userId) return { ok: false, problem: 'address-taken' }
    const member = await trx.selectFrom('users').select(['public_servant_verified_by']).where('id', '=', found.userId).executeTakeFirstOrThrow()
    const now = new Date().toISOString()
    await trx
      .updateTable('users')
      .set({
        email: found.email,
        email_verified_at: now,
        public_servant_verified_by: publicServantMarkFor(found.email, member.public_servant_verified_by),
        updated_at: now,
      })
      .where('id', '=', found.userId)
      .execute()
    await trx.deleteFrom('sessions').where('user_id', '=', found.userId).execute()
    await spendEmailToken(trx, found.id)
    await retireEmailTokens(trx, found.userId, ['reset-password', 'verify-email', 'change-email'])
    return { ok: true, email: found.email }
  })
}

/**
 * A moderator marks a member as a verified public servant by hand (a partner firm, an advisor),
 * or removes the mark, with a note that goes to the moderation log.
 */
export async function setPublicServantVerification(
  moderator: Pick<SessionUser, 'id' | 'role'>,
  memberId: number,
  verified: boolean,
  note: string,
): Promise<{ ok: true } | { ok: false; status: 403 | 404; message: string }> {
  if (!hasRole(moderator, 'moderator')) return { ok: false, status: 403, message: 'Only moderators can verify members.' }
  return writeTransaction(async (trx) => {
    const member = await trx.selectFrom('users').select(['id', 'is_demo']).where('id', '=', memberId).executeTakeFirst()
    if (!member || member.is_demo) return { ok: false, status: 404, message: 'There is no such member.' }
    await trx
      .updateTable('users')
      .set({ public_servant_verified_by: verified ? 'moderator' : null, updated_at: new Date().toISOString() })
      .where('id', '=', memberId)
      .execute()
    await logAction(trx, {
      actorId: moderator.id,
      action: verified ? 'verify-public-servant' : 'unverify-public-servant',
      memberId,
      reason: note,
    })
    return { ok: true } as const
  })
}
