import { db } from '../../db/client'
import type { GovernmentLevel, MemberType, Role } from '../../db/schema'
import type { MemberSearch, Standing } from '../lib/member-moderation-validation'
import { untilText } from '../lib/moderation-words'

export const MEMBERS_PER_PAGE = 50

export interface MemberRow {
  id: number
  handle: string
  displayName: string
  email: string
  role: Role
  memberType: MemberType
  governmentLevel: GovernmentLevel
  organization: string | null
  verified: boolean
  standing: Standing
  /** "until …" or "indefinitely" for a silenced or suspended member. */
  standingUntil: string | null
  createdAt: string
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * Members for moderators, newest first, paged by id (`after` is the last id of the page before).
 * Each filter has an index (migration 0012); the free-text search scans what the filters leave.
 */
export async function searchMembers(search: MemberSearch, now: Date = new Date()): Promise<{ members: MemberRow[]; nextAfter: number | null }> {
  const at = now.toISOString()
  const rows = await db
    .selectFrom('users')
    .select([
      'id',
      'handle',
      'display_name',
      'email',
      'role',
      'member_type',
      'government_level',
      'organization',
      'public_servant_verified_by',
      'silenced_until',
      'suspended_until',
      'created_at',
    ])
    .where('is_demo', '=', 0)
    .$if(!!search.q, (q) => {
      const like = `%${escapeLike(search.q!.toLowerCase())}%`
      return q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['display_name']), 'like', eb.val(like)),
          eb('handle', 'like', like),
          eb('email', 'like', like),
        ]),
      )
    })
    .$if(!!search.role, (q) => q.where('role', '=', search.role!))
    .$if(!!search.memberType, (q) => q.where('member_type', '=', search.memberType!))
    .$if(!!search.level, (q) => q.where('government_level', '=', search.level!))
    .$if(search.verified === 'yes', (q) => q.where('public_servant_verified_by', 'is not', null))
    .$if(search.verified === 'no', (q) => q.where('public_servant_verified_by', 'is', null))
    .$if(search.standing === 'suspended', (q) => q.where('suspended_until', '>', at))
    .$if(search.standing === 'silenced', (q) => q.where('silenced_until', '>', at).where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<=', at)])))
    .$if(search.standing === 'good', (q) =>
      q
        .where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<=', at)]))
        .where((eb) => eb.or([eb('silenced_until', 'is', null), eb('silenced_until', '<=', at)])),
    )
    .$if(!!search.after, (q) => q.where('id', '<', search.after!))
    .orderBy('id', 'desc')
    .limit(MEMBERS_PER_PAGE + 1)
    .execute()
  const members = rows.slice(0, MEMBERS_PER_PAGE).map((row): MemberRow => {
    const suspended = !!row.suspended_until && row.suspended_until > at
    const silenced = !suspended && !!row.silenced_until && row.silenced_until > at
    return {
      id: row.id,
      handle: row.handle,
      displayName: row.display_name,
      email: row.email,
      role: row.role,
      memberType: row.member_type,
      governmentLevel: row.government_level,
      organization: row.organization,
      verified: row.public_servant_verified_by !== null,
      standing: suspended ? 'suspended' : silenced ? 'silenced' : 'good',
      standingUntil: suspended ? untilText(row.suspended_until) : silenced ? untilText(row.silenced_until) : null,
      createdAt: row.created_at,
    }
  })
  return { members, nextAfter: rows.length > MEMBERS_PER_PAGE ? members.at(-1)!.id : null }
}

/** One member as moderators manage them, with both measures' state; undefined for demo accounts. */
export async function getMemberForAdmin(memberId: number, now: Date = new Date()) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name', 'email', 'role', 'public_servant_verified_by', 'silenced_until', 'suspended_until', 'created_at'])
    .where('id', '=', memberId)
    .where('is_demo', '=', 0)
    .executeTakeFirst()
  if (!row) return undefined
  const at = now.toISOString()
  const inForce = (until: string | null) => (until && until > at ? untilText(until) : null)
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    publicServantVerifiedBy: row.public_servant_verified_by,
    silencedUntil: inForce(row.silenced_until),
    suspendedUntil: inForce(row.suspended_until),
  }
}
