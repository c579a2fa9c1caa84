import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { HANDLE_RESERVATION_DAYS, MAX_RESERVED_HANDLES } from '../lib/handle-rules'
import { renderMarkdown, SHOWN_UNDER } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { MemberProfileInput } from '../lib/user-validation'
import { claimHandle } from './handle.server'
import { getPublicProfile, type PublicProfile } from './user.server'

/** Facets a member can list experience in. */
export const EXPERIENCE_FACETS = ['failure-mode', 'domain'] as const
export type ExperienceFacet = (typeof EXPERIENCE_FACETS)[number]


const DAY_MS = 24 * 60 * 60 * 1000

export interface ExperienceTerm {
  facet: ExperienceFacet
  slug: string
  name: string
}

export interface MemberProfile extends PublicProfile {
  bio_html: string
  job_title: string | null
  public_servant_verified_by: 'email' | 'moderator' | null
  experience: ExperienceTerm[]
}

/** A live member's profile, a redirect for a handle they used before, or null. */
export async function findMemberByHandle(
  handle: string,
): Promise<{ profile: MemberProfile } | { movedTo: string } | null> {
  const wanted = handle.toLowerCase()
  const member = await getPublicProfile(wanted)
  if (!member) {
    const moved = await db
      .selectFrom('handle_history as h')
      .innerJoin('users as u', 'u.id', 'h.user_id')
      .select('u.handle')
      .where('h.handle', '=', wanted)
      .where('u.deleted_at', 'is', null)
      .executeTakeFirst()
    return moved ? { movedTo: moved.handle } : null
  }
  const [extra, experience] = await Promise.all([
    db
      .selectFrom('users')
      .select(['bio_html', 'job_title', 'public_servant_verified_by'])
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow(),
    listExperience(member.id),
  ])
  return { profile: { ...member, ...extra, experience } }
}

export async function listExperience(userId: number): Promise<ExperienceTerm[]> {
  return (await experienceOf([userId])).get(userId) ?? []
}

/** Each member's listed experience (failure modes, then domains, in curated order), in one query. */
export async function experienceOf(userIds: number[]): Promise<Map<number, ExperienceTerm[]>> {
  const byUser = new Map<number, ExperienceTerm[]>()
  if (!userIds.length) return byUser
  const rows = await db
    .selectFrom('member_experience as e')
    .innerJoin('taxonomy_terms as t', 't.id', 'e.term_id')
    .select(['e.user_id', 't.facet', 't.slug', 't.name'])
    .where('e.user_id', 'in', userIds)
    .orderBy('t.facet', 'desc')
    .orderBy('t.position')
    .execute()
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? []
    list.push({ facet: row.facet as ExperienceFacet, slug: row.slug, name: row.name })
    byUser.set(row.user_id, list)
  }
  return byUser
}

/** The terms a member may list as experience, by facet, in their curated order. */
export async function listExperienceChoices(): Promise<Record<ExperienceFacet, { slug: string; name: string }[]>> {
  const rows = await db
    .selectFrom('taxonomy_terms')
    .select(['facet', 'slug', 'name'])
    .where('facet', 'in', EXPERIENCE_FACETS)
    .orderBy('position')
    .execute()
  return {
    'failure-mode': rows.filter((row) => row.facet === 'failure-mode'),
    domain: rows.filter((row) => row.facet === 'domain'),
  }
}

export interface ProfileSettings {
  handle: string
  displayName: string
  memberType: string
  organization: string
  governmentLevel: string
  jobTitle: string
  bio: string
  /** Slugs; failure modes and domains share one list (their slugs never collide). */
  experience: string[]
  listed: boolean
}

export async function getProfileSettings(userId: number): Promise<ProfileSettings> {
  const [user, experience] = await Promise.all([
    db
      .selectFrom('users')
      .select(['handle', 'display_name', 'member_type', 'organization', 'government_level', 'job_title', 'bio_md', 'listed_in_directory'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    listExperience(userId),
  ])
  return {
    handle: user.handle,
    displayName: user.display_name,
    memberType: user.member_type,
    organization: user.organization ?? '',
    governmentLevel: user.government_level,
    jobTitle: user.job_title ?? '',
    bio: user.bio_md,
    experience: experience.map((term) => term.slug),
    listed: user.listed_in_directory === 1,
  }
}

/** Saves the settings profile: name, handle (keeping the old one), bio, job title, experience, listing. */
export async function updateMemberProfile(userId: number, input: MemberProfileInput, now = new Date()): Promise<Outcome> {
  const nowIso = now.toISOString()
  const bioHtml = input.bio ? renderMarkdown(input.bio, { headingsUnder: SHOWN_UNDER.bio }) : ''
  return writeTransaction(async (trx) => {
    const current = await trx.selectFrom('users').select('handle').where('id', '=', userId).executeTakeFirstOrThrow()
    const handle = input.handle ?? current.handle
    if (handle !== current.handle) {
      const held = await trx
        .selectFrom('handle_history')
        .select(['handle'])
        .where('user_id', '=', userId)
        .where('reserved_until', '>', nowIso)
        .execute()
      // Going back to one of one's own old handles swaps one reservation for another.
      if (held.length >= MAX_RESERVED_HANDLES && !held.some((row) => row.handle === handle)) {
        return refuse(
          409,
          `You have changed your handle ${MAX_RESERVED_HANDLES} times this year. Go back to an earlier handle, or wait until one is released.`,
          'handle',
        )
      }
      if (!(await claimHandle(trx, handle, userId))) return refuse(409, 'That handle is taken. Choose another.', 'handle')
      await trx
        .insertInto('handle_history')
        .values({
          handle: current.handle,
          user_id: userId,
          retired_at: nowIso,
          reserved_until: new Date(now.getTime() + HANDLE_RESERVATION_DAYS * DAY_MS).toISOString(),
        })
        .execute()
    }
    const terms = input.experience.length
      ? await trx
          .selectFrom('taxonomy_terms')
          .select('id')
          .where('facet', 'in', EXPERIENCE_FACETS)
          .where('slug', 'in', input.experience)
          .execute()
      : []
    if (terms.length !== new Set(input.experience).size) return refuse(400, 'Choose areas of experience from the lists', 'experience')
    await trx.deleteFrom('member_experience').where('user_id', '=', userId).execute()
    if (terms.length) {
      await trx.insertInto('member_experience').values(terms.map((term) => ({ user_id: userId, term_id: term.id }))).execute()
    }
    await trx
      .updateTable('users')
      .set({
        handle,
        display_name: input.displayName,
        member_type: input.memberType,
        organization: input.organization,
        government_level: input.governmentLevel,
        job_title: input.jobTitle,
        bio_md: input.bio,
        bio_html: bioHtml,
        listed_in_directory: input.listed ? 1 : 0,
        updated_at: nowIso,
      })
      .where('id', '=', userId)
      .execute()
    return ok()
  })
}
