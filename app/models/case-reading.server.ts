import { sql } from 'kysely'
import { db } from '../../db/client'
import type { CaseStatus } from '../../db/schema'
import type { CaseSource } from '../lib/case-fields'
import { anonymousLabelOf } from '../lib/member-labels'
import { type Actor, isModerator } from '../lib/roles'

// ---------------------------------------------------------------------------------------------
// Reading a case

export type Viewer = Actor

export type CaseAuthor =
  | { anonymous: false; handle: string; displayName: string }
  | { anonymous: true; label: string; revealedTo?: { handle: string; displayName: string } }

/** The author columns `authorFor` reads, for a query of `cases as c` that joins `users as u`. */
const AUTHOR_COLUMNS = [
  'u.handle as author_handle',
  'u.display_name as author_name',
  'u.member_type',
  'u.government_level',
  'c.anonymous_label',
] as const

/** Who a reader may see as the author: an anonymized case names only what its label names. */
function authorFor(
  row: { is_anonymous: number; author_handle: string; author_name: string; member_type: string; government_level: string; anonymous_label: string | null },
  viewer: Viewer | null,
): CaseAuthor {
  if (!row.is_anonymous) return { anonymous: false, handle: row.author_handle, displayName: row.author_name }
  // Until publication fixes it, the label the case would be published with; only its author and
  // moderators can see a case that is not published.
  const label = row.anonymous_label ?? anonymousLabelOf(row)
  return isModerator(viewer)
    ? { anonymous: true, label, revealedTo: { handle: row.author_handle, displayName: row.author_name } }
    : { anonymous: true, label }
}

export interface FeedCase {
  id: number
  slug: string
  title: string
  summary: string
  author: string
  publishedAt: string
  updatedAt: string
}

/** The newest published cases for the Atom feed; anonymized ones name only what the page names. */
export async function listNewCases(limit = 30): Promise<FeedCase[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.slug',
      'c.title',
      'c.summary',
      'c.published_at',
      'c.updated_at',
      'c.is_anonymous',
      ...AUTHOR_COLUMNS,
    ])
    .where('c.status', '=', 'published')
    .orderBy('c.published_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((row) => {
    const author = authorFor(row, null)
    return {
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      author: author.anonymous ? author.label : author.displayName,
      publishedAt: row.published_at!,
      updatedAt: row.updated_at > row.published_at! ? row.updated_at : row.published_at!,
    }
  })
}

export interface CaseCard {
  slug: string
  title: string
  summary: string
  outcome: string
  seenCount: number
}

/** The cases most members recognised from their own work ("we've seen this too"). */
export async function listFeaturedCases(limit = 3): Promise<CaseCard[]> {
  const rows = await db
    .selectFrom('cases as c')
    .leftJoin('taxonomy_terms as o', (join) => join.on('o.facet', '=', 'outcome').onRef('o.slug', '=', 'c.outcome'))
    .select(['c.slug', 'c.title', 'c.summary', 'o.name as outcome', 'c.seen_count'])
    .where('c.status', '=', 'published')
    .orderBy('c.seen_count', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((row) => ({ slug: row.slug, title: row.title, summary: row.summary, outcome: row.outcome ?? '', seenCount: row.seen_count }))
}

export interface CaseDetail {
  id: number
  slug: string
  status: CaseStatus
  title: string
  summary: string
  level: { slug: string; name: string }
  domain: { slug: string; name: string }
  outcome: { slug: string; name: string }
  jurisdiction: string
  budgetBand: string
  contractModel: string
  years: string
  outcomeDetail: string
  whatHappenedHtml: string
  primaryMode: { slug: string; name: string; how: string } | null
  contributingModes: { slug: string; name: string; how: string }[]
  /** Modes the project avoided or overcame, with how: not failures of this case. */
  avoidedModes: { slug: string; name: string; how: string }[]
  phases: { slug: string; name: string }[]
  rootCauses: string[]
  lessons: string[]
  recommendations: string[]
  correctiveActions: { action: string; worked: string; note?: string }[]
  sources: CaseSource[]
  firstHand: boolean
  firstHandStatement: string
  author: CaseAuthor
  helpfulCount: number
  seenCount: number
  /** Notes members chose to publish with "we've seen this too", newest first, without their names. */
  seenNotes: { level: string | null; year: number | null; note: string }[]
  /** For each recommendation (by position), how it went for the members who applied it. */
  applied: { worked: number; partly: number; didNot: number }[]
  publishedAt: string | null
  updatedAt: string
  revisionCount: number
  threadId: number | null
  viewer: { markedHelpful: boolean; markedSeen: boolean; isAuthor: boolean; canEdit: boolean }
}

/** A case as a reader may see it: published ones for everyone, others for their author and moderators. */
export async function getCase(slug: string, viewer: Viewer | null): Promise<CaseDetail | null> {
  const row = await db
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .selectAll('c')
    .select([
      ...AUTHOR_COLUMNS,
      (eb) => eb.selectFrom('case_revisions as r').select(eb.fn.countAll<number>().as('n')).whereRef('r.case_id', '=', 'c.id').as('revision_count'),
    ])
    .where('c.slug', '=', slug)
    .executeTakeFirst()
  if (!row) return null
  const isAuthor = viewer?.id === row.author_id
  if (row.status !== 'published' && !isAuthor && !isModerator(viewer)) return null

  const [terms, modes, phases, reactions, seenNotes, applications] = await Promise.all([
    db
      .selectFrom('taxonomy_terms')
      .select(['facet', 'slug', 'name'])
      .where((eb) =>
        eb.or([
          eb.and([eb('facet', '=', 'level'), eb('slug', '=', row.level)]),
          eb.and([eb('facet', '=', 'domain'), eb('slug', '=', row.domain)]),
          eb.and([eb('facet', '=', 'outcome'), eb('slug', '=', row.outcome)]),
        ]),
      )
      .execute(),
    db
      .selectFrom('case_failure_modes as m')
      .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
      .select(['t.slug', 't.name', 'm.how', 'm.is_primary', 'm.avoided'])
      .where('m.case_id', '=', row.id)
      .orderBy('m.is_primary', 'desc')
      .orderBy('t.position')
      .execute(),
    db
      .selectFrom('case_phases as p')
      .innerJoin('taxonomy_terms as t', 't.id', 'p.term_id')
      .select(['t.slug', 't.name'])
      .where('p.case_id', '=', row.id)
      .orderBy('t.position')
      .execute(),
    viewer
      ? db.selectFrom('case_reactions').select('kind').where('case_id', '=', row.id).where('user_id', '=', viewer.id).execute()
      : Promise.resolve([]),
    db
      .selectFrom('case_reactions as r')
      .leftJoin('taxonomy_terms as l', (join) => join.on('l.facet', '=', 'level').onRef('l.slug', '=', 'r.seen_level'))
      .select(['l.name as level', 'r.seen_year as year', 'r.seen_note as note'])
      .where('r.case_id', '=', row.id)
      .where('r.kind', '=', 'seen')
      .where('r.note_public', '=', 1)
      .orderBy('r.created_at', 'desc')
      .limit(50)
      .execute(),
    db
      .selectFrom('case_applications')
      .select(['recommendation', 'result', (eb) => eb.fn.countAll<number>().as('n')])
      .where('case_id', '=', row.id)
      .groupBy(['recommendation', 'result'])
      .execute(),
  ])
  const recommendations = JSON.parse(row.recommendations_json) as string[]
  const applied = recommendations.map((_, index) => {
    const count = (result: string) => Number(applications.find((a) => a.recommendation === index && a.result === result)?.n ?? 0)
    return { worked: count('worked'), partly: count('partly'), didNot: count('did-not') }
  })
  const term = (facet: string, slug: string) => ({ slug, name: terms.find((t) => t.facet === facet && t.slug === slug)?.name ?? slug })
  const primary = modes.find((m) => m.is_primary)

  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    title: row.title,
    summary: row.summary,
    level: term('level', row.level),
    domain: term('domain', row.domain),
    outcome: term('outcome', row.outcome),
    jurisdiction: row.jurisdiction,
    budgetBand: row.budget_band,
    contractModel: row.contract_model,
    years: row.years,
    outcomeDetail: row.outcome_detail,
    whatHappenedHtml: row.what_happened_html,
    primaryMode: primary ? { slug: primary.slug, name: primary.name, how: primary.how } : null,
    contributingModes: modes.filter((m) => !m.is_primary && !m.avoided).map(({ slug, name, how }) => ({ slug, name, how })),
    avoidedModes: modes.filter((m) => m.avoided).map(({ slug, name, how }) => ({ slug, name, how })),
    phases,
    rootCauses: JSON.parse(row.root_causes_json),
    lessons: JSON.parse(row.lessons_json),
    recommendations,
    correctiveActions: JSON.parse(row.corrective_actions_json),
    sources: JSON.parse(row.sources_json),
    firstHand: !!row.first_hand,
    firstHandStatement: row.first_hand_statement,
    author: authorFor(row, viewer),
    helpfulCount: row.helpful_count,
    seenCount: row.seen_count,
    seenNotes: seenNotes.filter((n): n is typeof n & { note: string } => !!n.note),
    applied,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    revisionCount: Number(row.revision_count),
    threadId: row.thread_id,
    viewer: {
      markedHelpful: reactions.some((r) => r.kind === 'helpful'),
      markedSeen: reactions.some((r) => r.kind === 'seen'),
      isAuthor,
      canEdit: (isAuthor || isModerator(viewer)) && row.status !== 'submitted',
    },
  }
}

export interface RelatedCase {
  slug: string
  title: string
  summary: string
  sharedModes: number
}

/** Published cases sharing the most failure modes, then the same phases and domain. One query. */
export async function relatedCases(caseId: number, limit = 4): Promise<RelatedCase[]> {
  const rows = await sql<{ slug: string; title: string; summary: string; shared_modes: number }>`
    select c.slug, c.title, c.summary,
      (select count(*) from case_failure_modes a join case_failure_modes b on b.term_id = a.term_id
        where a.case_id = c.id and b.case_id = ${caseId}) as shared_modes,
      (select count(*) from case_phases a join case_phases b on b.term_id = a.term_id
        where a.case_id = c.id and b.case_id = ${caseId}) as shared_phases,
      (c.domain = (select domain from cases where id = ${caseId})) as same_domain
    from cases c
    where c.status = 'published' and c.id != ${caseId}
      and (c.id in (select a.case_id from case_failure_modes a join case_failure_modes b on b.term_id = a.term_id where b.case_id = ${caseId})
        or c.domain = (select domain from cases where id = ${caseId}))
    order by shared_modes desc, shared_phases desc, same_domain desc, c.published_at desc
    limit ${limit}`.execute(db)
  return rows.rows.map((row) => ({ slug: row.slug, title: row.title, summary: row.summary, sharedModes: Number(row.shared_modes) }))
}
