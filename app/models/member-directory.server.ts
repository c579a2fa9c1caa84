import { sql } from 'kysely'
import { db } from '../../db/client'
import type { GovernmentLevel, MemberType } from '../../db/schema'
import { experienceOf, type ExperienceTerm } from './member-profile.server'
import { ignoringCase, likeIgnoringCase } from './text-comparison.server'

export const DIRECTORY_PAGE_SIZE = 20

export interface DirectoryQuery {
  /** Words to find in the name, handle or organization. */
  q: string
  memberType: MemberType | null
  level: GovernmentLevel | null
  /** Only members carrying the "verified public servant" mark. */
  verified: boolean
  /** A failure-mode slug the member lists as experience. */
  mode: string | null
  /** A domain slug the member lists as experience. */
  domain: string | null
  page: number
}

export interface DirectoryMember {
  handle: string
  displayName: string
  jobTitle: string | null
  organization: string | null
  memberType: MemberType
  governmentLevel: GovernmentLevel
  verified: boolean
  experience: ExperienceTerm[]
}

export interface DirectoryPage {
  members: DirectoryMember[]
  total: number
  page: number
  pageCount: number
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Where the directory's predicates meet the partial index users_directory. */
const listedMembers = () => db.selectFrom('users as u').where('u.listed_in_directory', '=', 1).where('u.deleted_at', 'is', null)

/**
 * Listed members (not opted out, not deleted), by name then id, so pages never shuffle. Filters
 * combine with AND; each experience filter is one indexed lookup in member_experience.
 */
export async function listDirectory(query: DirectoryQuery): Promise<DirectoryPage> {
  const termIds = await experienceTermIds(query)
  if (termIds === null) return { members: [], total: 0, page: 1, pageCount: 1 }
  const words = query.q.split(/\s+/).filter(Boolean).slice(0, 5)
  const filtered = listedMembers()
    // Every word must appear in the name, the handle or the organization.
    .$if(words.length > 0, (q) =>
      q.where((eb) =>
        eb.and(
          words.map((word) =>
            eb.or(
              (['u.display_name', 'u.handle', 'u.organization'] as const).map(
                (column) => likeIgnoringCase(sql.ref(column), likePattern(word)),
              ),
            ),
          ),
        ),
      ),
    )
    .$if(!!query.memberType, (q) => q.where('u.member_type', '=', query.memberType!))
    .$if(!!query.level, (q) => q.where('u.government_level', '=', query.level!))
    .$if(query.verified, (q) => q.where('u.public_servant_verified_by', 'is not', null))
    .$call((q) =>
      termIds.reduce(
        (acc, termId) => acc.where('u.id', 'in', db.selectFrom('member_experience').select('user_id').where('term_id', '=', termId)),
        q,
      ),
    )

  const { n } = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const total = Number(n)
  const pageCount = Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE))
  const page = Math.min(Math.max(1, query.page), pageCount)
  const rows = await filtered
    .select([
      'u.id',
      'u.handle',
      'u.display_name',
      'u.job_title',
      'u.organization',
      'u.member_type',
      'u.government_level',
      'u.public_servant_verified_by',
    ])
    .orderBy(ignoringCase(sql.ref('u.display_name')))
    .orderBy('u.id')
    .limit(DIRECTORY_PAGE_SIZE)
    .offset((page - 1) * DIRECTORY_PAGE_SIZE)
    .execute()
  const experience = await experienceOf(rows.map((row) => row.id))
  return {
    members: rows.map((row) => ({
      handle: row.handle,
      displayName: row.display_name,
      jobTitle: row.job_title,
      organization: row.organization,
      memberType: row.member_type,
      governmentLevel: row.government_level,
      verified: row.public_servant_verified_by !== null,
      experience: experience.get(row.id) ?? [],
    })),
    total,
    page,
    pageCount,
  }
}

/** The term ids the experience filters name; null when one names no term (no member can match). */
async function experienceTermIds(query: DirectoryQuery): Promise<number[] | null> {
  const wanted = [
    query.mode ? { facet: 'failure-mode', slug: query.mode } : null,
    query.domain ? { facet: 'domain', slug: query.domain } : null,
  ].filter((term) => term !== null)
  if (!wanted.length) return []
  const terms = await db
    .selectFrom('taxonomy_terms')
    .select(['id', 'facet', 'slug'])
    .where((eb) => eb.or(wanted.map((term) => eb.and([eb('facet', '=', term.facet), eb('slug', '=', term.slug)]))))
    .execute()
  return terms.length === wanted.length ? terms.map((term) => term.id) : null
}

export interface MemberWhoHasBeenThere {
  handle: string
  displayName: string
  jobTitle: string | null
  organization: string | null
  /** They list one of the failure modes as experience. */
  listsExperience: boolean
  /** They marked a published case showing one of them "we've seen this too". */
  sawItToo: boolean
}

/**
 * Listed members who have lived through any of these failure modes: they list it as experience,
 * or said "we've seen this too" on a published case showing it. Those who list it come first,
 * then those with more such marks. One query, whatever the number of members.
 */
export async function membersWhoHaveBeenThere(failureModeSlugs: string[], limit = 6): Promise<MemberWhoHasBeenThere[]> {
  if (!failureModeSlugs.length) return []
  const slugs = sql.join(failureModeSlugs.map((slug) => sql`${slug}`))
  const rows = await sql<{
    handle: string
    display_name: string
    job_title: string | null
    organization: string | null
    lists_experience: number
    saw_it_too: number
  }>`
    select u.handle, u.display_name, u.job_title, u.organization,
      max(case when s.source = 'experience' then 1 else 0 end) as lists_experience,
      max(case when s.source = 'seen' then 1 else 0 end) as saw_it_too
    from (
      select e.user_id, 'experience' as source
      from taxonomy_terms t join member_experience e on e.term_id = t.id
      where t.facet = 'failure-mode' and t.slug in (${slugs})
      union all
      select r.user_id, 'seen' as source
      from taxonomy_terms t
        join case_failure_modes f on f.term_id = t.id
        join cases c on c.id = f.case_id and c.status = 'published'
        join case_reactions r on r.case_id = c.id and r.kind = 'seen'
      where t.facet = 'failure-mode' and t.slug in (${slugs})
    ) s
    join users u on u.id = s.user_id
    where u.listed_in_directory = 1 and u.deleted_at is null
    group by u.id
    order by lists_experience desc, count(*) desc, ${ignoringCase(sql.ref('u.display_name'))}, u.id
    limit ${limit}
  `.execute(db)
  return rows.rows.map((row) => ({
    handle: row.handle,
    displayName: row.display_name,
    jobTitle: row.job_title,
    organization: row.organization,
    listsExperience: row.lists_experience === 1,
    sawItToo: row.saw_it_too === 1,
  }))
}
