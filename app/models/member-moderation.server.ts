import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database, Role } from '../../db/schema'
import { type Measure, MEASURE_NAMES, untilText } from '../lib/moderation-words'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { INDEFINITELY } from '../lib/participation'
import { hasRole, isModerator, type Actor } from '../lib/roles'
import { recordActivity } from './activity.server'
import { logAction } from './moderation.server'

const DAY_MS = 24 * 60 * 60 * 1000

interface Target {
  id: number
  role: Role
  silenced_until: string | null
  suspended_until: string | null
}

/**
 * Who may act on whose standing: moderators on members, admins on moderators too; nobody on an
 * admin or on themselves (a second person must always be involved).
 */
export function mayActOn(actor: Actor, target: { id: number; role: Role }): string | null {
  if (!isModerator(actor)) return 'Only moderators can do that.'
  if (actor.id === target.id) return 'You cannot act on your own account. Ask another moderator.'
  if (target.role === 'admin') return 'Nobody can silence or suspend an admin here.'
  if (target.role === 'moderator' && !hasRole(actor, 'admin')) return 'Only an admin can act on a moderator.'
  return null
}

async function findTarget(trx: Kysely<Database>, memberId: number): Promise<Target | undefined> {
  return trx
    .selectFrom('users')
    .select(['id', 'role', 'silenced_until', 'suspended_until'])
    .where('id', '=', memberId)
    .where('is_demo', '=', 0)
    .executeTakeFirst()
}

/**
 * Silences (read only) or suspends (signed out everywhere, cannot sign in) a member for a number
 * of days or indefinitely (days null). The member is told who decided, why and how to appeal.
 * Expiry needs no job: the end time is compared whenever the member's standing is read.
 */
export async function restrictMember(
  actor: Actor,
  memberId: number,
  input: { measure: Measure; days: number | null; reason: string },
  now: Date = new Date(),
): Promise<Outcome<{ decisionId: number }>> {
  return writeTransaction(async (trx) => {
    const target = await findTarget(trx, memberId)
    if (!target) return refuse(404, 'This member does not exist.')
    const refusal = mayActOn(actor, target)
    if (refusal) return refuse(403, refusal)
    const until = input.days === null ? INDEFINITELY : new Date(now.getTime() + input.days * DAY_MS).toISOString()
    if (input.measure === 'suspend') {
      await trx.updateTable('users').set({ suspended_until: until, updated_at: now.toISOString() }).where('id', '=', memberId).execute()
      // At once, not at each session's expiry: a suspended member must not keep reading or writing.
      await trx.deleteFrom('sessions').where('user_id', '=', memberId).execute()
    } else {
      await trx.updateTable('users').set({ silenced_until: until, updated_at: now.toISOString() }).where('id', '=', memberId).execute()
    }
    const decisionId = await logAction(trx, {
      actorId: actor.id,
      action: input.measure,
      memberId,
      reason: input.reason,
      details: until,
    })
    await recordActivity(trx, { kind: 'member_restricted', actorId: actor.id, memberId, decisionId }, now)
    return ok({ decisionId })
  })
}

/** Ends a silence or suspension early; logged with the moderator's reason. */
export async function liftMeasure(actor: Actor, memberId: number, measure: Measure, reason: string, now: Date = new Date()): Promise<Outcome> {
  return writeTransaction(async (trx) => {
    const target = await findTarget(trx, memberId)
    if (!target) return refuse(404, 'This member does not exist.')
    const refusal = mayActOn(actor, target)
    if (refusal) return refuse(403, refusal)
    const refused = await endMeasure(trx, target, measure, now)
    if (refused) return refused
    await logAction(trx, { actorId: actor.id, action: measure === 'suspend' ? 'lift-suspension' : 'lift-silence', memberId, reason })
    return ok()
  })
}

/** Clears a measure still in force (also used when an appeal overturns it); a refusal when there is none. */
export async function endMeasure(trx: Kysely<Database>, target: Target, measure: Measure, now: Date) {
  const column = measure === 'suspend' ? 'suspended_until' : 'silenced_until'
  const until = target[column]
  if (!until || until <= now.toISOString()) return refuse(409, `This member is not ${MEASURE_NAMES[measure].done}.`)
  await trx.updateTable('users').set({ [column]: null, updated_at: now.toISOString() }).where('id', '=', target.id).execute()
  return null
}

export { findTarget as findStandingTarget }

/** Changes a member's role (admins only); logged with the reason. */
export async function changeRole(actor: Actor, memberId: number, role: Role, reason: string): Promise<Outcome> {
  if (!hasRole(actor, 'admin')) return refuse(403, 'Only admins can change roles.')
  if (actor.id === memberId) return refuse(403, 'You cannot change your own role. Ask another admin.')
  return writeTransaction(async (trx) => {
    const target = await findTarget(trx, memberId)
    if (!target) return refuse(404, 'This member does not exist.')
    if (target.role === role) return refuse(409, `This member is already a ${role}.`, 'role')
    await trx.updateTable('users').set({ role, updated_at: new Date().toISOString() }).where('id', '=', memberId).execute()
    await logAction(trx, { actorId: actor.id, action: 'role-change', memberId, reason, details: `${target.role} → ${role}` })
    return ok()
  })
}

export interface MeasureNotice {
  measure: Measure
  /** "until 3 Mar 2027, 10:00 UTC" or "indefinitely". */
  until: string
  reason: string | null
  decisionId: number | null
}

/**
 * A silence or suspension in force on the member, with the decision behind it, for the notice
 * on their pages (silenced) or on the sign-in page once their password was correct (suspended,
 * so it tells nothing to someone who does not know the password); null when none is in force.
 */
export async function measureInForce(memberId: number, measure: Measure, now: Date = new Date()): Promise<MeasureNotice | null> {
  const column = measure === 'suspend' ? 'suspended_until' : 'silenced_until'
  const member = await db.selectFrom('users').select(column).where('id', '=', memberId).executeTakeFirst()
  const until = member?.[column]
  if (!until || until <= now.toISOString()) return null
  const decision = await db
    .selectFrom('moderation_log')
    .select(['id', 'reason'])
    .where('member_id', '=', memberId)
    .where('action', '=', measure)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return { measure, until: untilText(until), reason: decision?.reason ?? null, decisionId: decision?.id ?? null }
}
