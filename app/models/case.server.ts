import { recordActivity } from './activity.server'
import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { CaseStatus, Database } from '../../db/schema'
import { type CaseContent, caseSearchBody } from '../lib/case-fields'
import { type CaseFormState, contentToCaseForm, parseDraft } from '../lib/case-form'
import { renderMarkdown } from '../lib/markdown.server'
import { anonymousLabelOf } from '../lib/member-labels'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, isModerator } from '../lib/roles'
import { slugify } from '../lib/slug'
import { logAction } from './moderation.server'
import { replyToThread } from './post.server'
import { createThread } from './thread.server'

// ---------------------------------------------------------------------------------------------
// Writing a case's content

const FACET_OF_FIELD = { level: 'level', domain: 'domain', outcome: 'outcome' } as const

/** Checks every taxonomy slug the content names; the refusal names the field at fault. */
async function resolveTerms(trx: Kysely<Database>, content: CaseContent) {
  const terms = await trx.selectFrom('taxonomy_terms').select(['id', 'facet', 'slug']).execute()
  const find = (facet: string, slug: string) => terms.find((t) => t.facet === facet && t.slug === slug)
  for (const [field, facet] of Object.entries(FACET_OF_FIELD)) {
    if (!find(facet, content[field as keyof typeof FACET_OF_FIELD])) return refuse(400, `Choose a ${facet} from the list`, field)
  }
  const modes = [content.primaryFailureMode, ...content.contributingFailureModes]
  const modeTerms = modes.map((mode) => find('failure-mode', mode.slug))
  if (!modeTerms[0]) return refuse(400, 'Choose the primary failure mode from the list', 'primaryFailureMode')
  if (modeTerms.some((term) => !term)) return refuse(400, 'Choose contributing failure modes from the list', 'contributingFailureModes')
  if (new Set(modes.map((m) => m.slug)).size !== modes.length) {
    return refuse(400, 'Name each failure mode once', 'contributingFailureModes')
  }
  const phaseTerms = [...new Set(content.phases)].map((slug) => find('phase', slug))
  if (phaseTerms.some((term) => !term)) return refuse(400, 'Choose phases from the list', 'phases')
  return ok({
    modes: modes.map((mode, index) => ({ termId: modeTerms[index]!.id, how: mode.how, isPrimary: index === 0 })),
    phaseIds: phaseTerms.map((term) => term!.id),
  })
}

function contentColumns(content: CaseContent) {
  return {
    title: content.title,
    summary: content.summary,
    level: content.level,
    domain: content.domain,
    outcome: content.outcome,
    jurisdiction: content.jurisdiction,
    budget_band: content.budgetBand,
    contract_model: content.contractModel,
    years: content.years,
    outcome_detail: content.outcomeDetail,
    what_happened_md: content.whatHappened,
    what_happened_html: renderMarkdown(content.whatHappened),
    root_causes_json: JSON.stringify(content.rootCauses),
    lessons_json: JSON.stringify(content.lessons),
    recommendations_json: JSON.stringify(content.recommendations),
    corrective_actions_json: JSON.stringify(content.correctiveActions),
    sources_json: JSON.stringify(content.sources),
    first_hand: content.firstHand ? 1 : 0,
    is_anonymous: content.isAnonymous ? 1 : 0,
  }
}

/** Writes the content and its failure modes and phases; the caller holds the transaction. */
async function writeContent(trx: Kysely<Database>, caseId: number, content: CaseContent, now: string): Promise<Outcome> {
  const resolved = await resolveTerms(trx, content)
  if (!resolved.ok) return resolved
  await trx.updateTable('cases').set({ ...contentColumns(content), updated_at: now }).where('id', '=', caseId).execute()
  await trx.deleteFrom('case_failure_modes').where('case_id', '=', caseId).execute()
  await trx
    .insertInto('case_failure_modes')
    .values(resolved.value.modes.map((m) => ({ case_id: caseId, term_id: m.termId, how: m.how, is_primary: m.isPrimary ? 1 : 0 })))
    .execute()
  await trx.deleteFrom('case_phases').where('case_id', '=', caseId).execute()
  await trx
    .insertInto('case_phases')
    .values(resolved.value.phaseIds.map((term_id) => ({ case_id: caseId, term_id })))
    .execute()
  return ok()
}

/** Keeps the search index equal to the published cases: in when published, out otherwise. */
async function syncSearchIndex(trx: Kysely<Database>, caseId: number): Promise<void> {
  await sql`delete from cases_fts where rowid = ${caseId}`.execute(trx)
  const row = await trx
    .selectFrom('cases')
    .select(['status', ...SNAPSHOT_FIELDS])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (row?.status !== 'published') return
  const modes = await trx
    .selectFrom('case_failure_modes')
    .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'case_failure_modes.term_id')
    .select(['taxonomy_terms.name', 'case_failure_modes.how'])
    .where('case_id', '=', caseId)
    .execute()
  const body = caseSearchBody(row, modes)
  await sql`insert into cases_fts (rowid, title, summary, body) values (${caseId}, ${row.title}, ${row.summary}, ${body})`.execute(trx)
}

// Addresses under /cases/ that are pages, not cases.
const RESERVED_SLUGS = new Set(['new', 'submissions', 'themes'])

async function uniqueSlug(trx: Kysely<Database>, title: string): Promise<string> {
  const base = slugify(title, 70, 'case')
  const taken = async (slug: string) =>
    RESERVED_SLUGS.has(slug) || !!(await trx.selectFrom('cases').select('id').where('slug', '=', slug).executeTakeFirst())
  let slug = base
  for (let n = 2; await taken(slug); n++) slug = `${base}-${n}`
  return slug
}

/** Refuses content naming a level, domain, outcome, failure mode or phase that does not exist. */
export async function checkCaseTerms(content: CaseContent): Promise<Outcome> {
  const resolved = await resolveTerms(db, content)
  return resolved.ok ? ok() : resolved
}

/**
 * A curated case from content/: created published, or replaced when its file changed. The
 * previous published text is kept as a revision, as for any edit of a published case.
 */
export async function upsertCuratedCase(
  trx: Kysely<Database>,
  source: { key: string; hash: string; slug: string; authorId: number; publishedAt: string; content: CaseContent },
): Promise<'inserted' | 'updated' | 'unchanged'> {
  const existing = await trx.selectFrom('cases').select(['id', 'source_hash']).where('source_key', '=', source.key).executeTakeFirst()
  if (existing?.source_hash === source.hash) return 'unchanged'
  const now = new Date().toISOString()
  let caseId = existing?.id
  if (caseId) {
    await snapshotRevision(trx, caseId, null, 'Updated from the curated library')
  } else {
    const inserted = await trx
      .insertInto('cases')
      .values({
        slug: source.slug,
        status: 'published',
        author_id: source.authorId,
        ...contentColumns(source.content),
        published_at: source.publishedAt,
        created_at: source.publishedAt,
        updated_at: source.publishedAt,
        source_key: source.key,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    caseId = inserted.id
    await fixAnonymousLabel(trx, caseId)
  }
  const written = await writeContent(trx, caseId, source.content, existing ? now : source.publishedAt)
  if (!written.ok) throw new Error(`${source.key}: ${written.message}`)
  await trx.updateTable('cases').set({ source_hash: source.hash }).where('id', '=', caseId).execute()
  await syncSearchIndex(trx, caseId)
  return existing ? 'updated' : 'inserted'
}

// ---------------------------------------------------------------------------------------------
// Revisions

const SNAPSHOT_FIELDS = [
  'title',
  'summary',
  'level',
  'domain',
  'outcome',
  'jurisdiction',
  'budget_band',
  'contract_model',
  'years',
  'outcome_detail',
  'what_happened_md',
  'root_causes_json',
  'lessons_json',
  'recommendations_json',
  'corrective_actions_json',
  'sources_json',
] as const

/** A case's phase slugs in the taxonomy's order. */
async function phasesOf(trx: Kysely<Database>, caseId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('case_phases as p')
    .innerJoin('taxonomy_terms as t', 't.id', 'p.term_id')
    .select('t.slug')
    .where('p.case_id', '=', caseId)
    .orderBy('t.position')
    .execute()
  return rows.map((row) => row.slug)
}

/** A case's failure modes (primary first) as slugs with how each showed up. */
function failureModesOf(trx: Kysely<Database>, caseId: number) {
  return trx
    .selectFrom('case_failure_modes as m')
    .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
    .select(['t.slug', 'm.how', 'm.is_primary'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.is_primary', 'desc')
    .execute()
}

async function snapshotRevision(trx: Kysely<Database>, caseId: number, editorId: number | null, note: string | null) {
  const row = await trx.selectFrom('cases').select(SNAPSHOT_FIELDS).where('id', '=', caseId).executeTakeFirstOrThrow()
  const modes = await failureModesOf(trx, caseId)
  const phases = await phasesOf(trx, caseId)
  await trx
    .insertInto('case_revisions')
    .values({
      case_id: caseId,
      editor_id: editorId,
      snapshot_json: JSON.stringify({ ...row, failure_modes: modes, phases }),
      note,
      created_at: new Date().toISOString(),
    })
    .execute()
}

export type CaseStatusValue = CaseStatus

// ---------------------------------------------------------------------------------------------
// Reading a case

export type Viewer = Actor

export type CaseAuthor =
  | { anonymous: false; handle: string; displayName: string }
  | { anonymous: true; label: string; revealedTo?: { handle: string; displayName: string } }

/**
 * Fixes the case's anonymous label from its author's profile as it is now, at publication.
 * Worked out at each read instead, a profile edit would relabel every anonymous case of the
 * author at once, and anyone watching both would link them to the author.
 */
async function fixAnonymousLabel(trx: Kysely<Database>, caseId: number): Promise<void> {
  const author = await trx
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['u.member_type', 'u.government_level'])
    .where('c.id', '=', caseId)
    .where('c.anonymous_label', 'is', null)
    .executeTakeFirst()
  if (author) await trx.updateTable('cases').set({ anonymous_label: anonymousLabelOf(author) }).where('id', '=', caseId).execute()
}

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
  phases: { slug: string; name: string }[]
  rootCauses: string[]
  lessons: string[]
  recommendations: string[]
  correctiveActions: { action: string; worked: string; note?: string }[]
  sources: { title: string; publisher: string; reference?: string; year?: number }[]
  firstHand: boolean
  author: CaseAuthor
  helpfulCount: number
  seenCount: number
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

  const [terms, modes, phases, reactions] = await Promise.all([
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
      .select(['t.slug', 't.name', 'm.how', 'm.is_primary'])
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
  ])
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
    contributingModes: modes.filter((m) => !m.is_primary).map(({ slug, name, how }) => ({ slug, name, how })),
    phases,
    rootCauses: JSON.parse(row.root_causes_json),
    lessons: JSON.parse(row.lessons_json),
    recommendations: JSON.parse(row.recommendations_json),
    correctiveActions: JSON.parse(row.corrective_actions_json),
    sources: JSON.parse(row.sources_json),
    firstHand: !!row.first_hand,
    author: authorFor(row, viewer),
    helpfulCount: row.helpful_count,
    seenCount: row.seen_count,
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

/** "Helpful" and "We've seen this too": one of each per member per case, undoable. */
export async function toggleCaseReaction(viewer: Viewer, caseId: number, kind: 'helpful' | 'seen'): Promise<Outcome<{ marked: boolean }>> {
  return writeTransaction(async (trx) => {
    const found = await trx.selectFrom('cases').select(['id', 'status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!found || found.status !== 'published') return refuse(404, 'This case is not published.')
    if (found.author_id === viewer.id) return refuse(403, 'You cannot mark your own case.')
    const existing = await trx
      .selectFrom('case_reactions')
      .select('kind')
      .where('case_id', '=', caseId)
      .where('user_id', '=', viewer.id)
      .where('kind', '=', kind)
      .executeTakeFirst()
    if (existing) {
      await trx.deleteFrom('case_reactions').where('case_id', '=', caseId).where('user_id', '=', viewer.id).where('kind', '=', kind).execute()
    } else {
      await trx.insertInto('case_reactions').values({ case_id: caseId, user_id: viewer.id, kind, created_at: new Date().toISOString() }).execute()
    }
    const column = kind === 'helpful' ? 'helpful_count' : 'seen_count'
    await trx
      .updateTable('cases')
      .set({ [column]: sql<number>`${sql.ref(column)} + ${existing ? -1 : 1}` })
      .where('id', '=', caseId)
      .execute()
    return ok({ marked: !existing })
  })
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  summary: 'Summary',
  level: 'Level of government',
  domain: 'Domain',
  outcome: 'Outcome',
  jurisdiction: 'Jurisdiction',
  budget_band: 'Budget',
  contract_model: 'Contract model',
  years: 'Years',
  outcome_detail: 'Outcome detail',
  what_happened_md: 'What happened',
  root_causes_json: 'Root causes',
  lessons_json: 'Lessons learned',
  recommendations_json: 'Recommendations',
  corrective_actions_json: 'Corrective actions',
  sources_json: 'Sources',
  failure_modes: 'Failure modes',
  phases: 'Phases',
}

/** A snapshot's fields as plain text, so two versions compare field by field. */
function readable(snapshot: Record<string, unknown>): Record<string, string> {
  const text: Record<string, string> = {}
  for (const [field, value] of Object.entries(snapshot)) {
    if (!(field in FIELD_LABELS)) continue
    if (field === 'failure_modes') {
      text[field] = (value as { slug: string; how: string; is_primary: number }[])
        .map((m) => `${m.is_primary ? 'Primary' : 'Contributing'}: ${m.slug}: ${m.how}`)
        .join('\n')
    } else if (field === 'phases') {
      text[field] = (value as string[]).join(', ')
    } else if (field.endsWith('_json')) {
      text[field] = (JSON.parse(String(value)) as unknown[])
        .map((item) => (typeof item === 'string' ? item : Object.values(item as object).filter(Boolean).join(', ')))
        .map((line) => `• ${line}`)
        .join('\n')
    } else {
      text[field] = String(value ?? '')
    }
  }
  return text
}

export interface CaseVersion {
  label: string
  createdAt: string
  note: string | null
  /** What this version changed from the one before it; empty for the first. */
  changes: { field: string; before: string; after: string }[]
}

/**
 * The case's versions, newest first, each with the fields it changed. Earlier versions come
 * from the snapshots kept at every edit of a published case.
 */
export async function getCaseHistory(caseId: number): Promise<CaseVersion[]> {
  const current = await db
    .selectFrom('cases')
    .select([...SNAPSHOT_FIELDS, 'created_at', 'published_at'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow()
  const modes = await failureModesOf(db, caseId)
  const phases = await phasesOf(db, caseId)
  const revisions = await db
    .selectFrom('case_revisions')
    .select(['snapshot_json', 'note', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute()
  // Oldest first: each revision holds the text as it was before the edit made at created_at.
  const texts = [...revisions.map((r) => readable(JSON.parse(r.snapshot_json))), readable({ ...current, failure_modes: modes, phases })]
  const versions: CaseVersion[] = texts.map((text, index) => {
    const before = index > 0 ? texts[index - 1] : null
    return {
      label: index === texts.length - 1 ? `Version ${index + 1} (current)` : `Version ${index + 1}`,
      createdAt: index === 0 ? current.published_at ?? current.created_at : revisions[index - 1].created_at,
      note: index > 0 ? revisions[index - 1].note : null,
      changes: before
        ? Object.keys(FIELD_LABELS)
            .filter((field) => (before[field] ?? '') !== (text[field] ?? ''))
            .map((field) => ({ field: FIELD_LABELS[field], before: before[field] ?? '', after: text[field] ?? '' }))
        : [],
    }
  })
  return versions.reverse()
}

// ---------------------------------------------------------------------------------------------
// Themes: the failure modes as the library's front door

export interface ThemeSummary {
  slug: string
  name: string
  descriptionHtml: string
  caseCount: number
  primaryCount: number
}

/** Every failure mode with how many published cases show it (and as the primary mode). */
export async function listThemes(): Promise<ThemeSummary[]> {
  const rows = await db
    .selectFrom('taxonomy_terms as t')
    .leftJoin('case_failure_modes as m', 'm.term_id', 't.id')
    .leftJoin('cases as c', (join) => join.onRef('c.id', '=', 'm.case_id').on('c.status', '=', 'published'))
    .select([
      't.slug',
      't.name',
      't.description_html',
      sql<number>`count(c.id)`.as('case_count'),
      sql<number>`count(case when m.is_primary = 1 then c.id end)`.as('primary_count'),
    ])
    .where('t.facet', '=', 'failure-mode')
    .groupBy('t.id')
    .orderBy('t.position')
    .execute()
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    descriptionHtml: row.description_html,
    caseCount: Number(row.case_count),
    primaryCount: Number(row.primary_count),
  }))
}

export interface Theme {
  id: number
  slug: string
  name: string
  descriptionHtml: string
  warningSigns: string[]
  prevention: string[]
  cases: { slug: string; title: string; summary: string; isPrimary: boolean; how: string; outcome: string }[]
}

/** A failure mode with its guidance and its published cases, primary ones first. */
export async function getTheme(slug: string): Promise<Theme | null> {
  const term = await db
    .selectFrom('taxonomy_terms')
    .select(['id', 'slug', 'name', 'description_html', 'warning_signs_json', 'prevention_json'])
    .where('facet', '=', 'failure-mode')
    .where('slug', '=', slug)
    .executeTakeFirst()
  if (!term) return null
  const cases = await db
    .selectFrom('case_failure_modes as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .select(['c.slug', 'c.title', 'c.summary', 'c.outcome', 'm.is_primary', 'm.how'])
    .where('m.term_id', '=', term.id)
    .where('c.status', '=', 'published')
    .orderBy('m.is_primary', 'desc')
    .orderBy('c.published_at', 'desc')
    .execute()
  return {
    id: term.id,
    slug: term.slug,
    name: term.name,
    descriptionHtml: term.description_html,
    warningSigns: JSON.parse(term.warning_signs_json),
    prevention: JSON.parse(term.prevention_json),
    cases: cases.map((c) => ({ slug: c.slug, title: c.title, summary: c.summary, isPrimary: !!c.is_primary, how: c.how, outcome: c.outcome })),
  }
}

export const CASE_DISCUSSION_CATEGORY = 'case-discussions'

/**
 * Adds a member's comment to the case's discussion: the first comment starts the thread (in
 * the case-discussions category, tagged with the case's failure modes), later ones reply to it.
 */
export async function commentOnCase(viewer: Viewer, caseId: number, body: string): Promise<Outcome<{ threadId: number; number: number }>> {
  const found = await db.selectFrom('cases').select(['id', 'title', 'status', 'thread_id']).where('id', '=', caseId).executeTakeFirst()
  if (!found || found.status !== 'published') return refuse(404, 'This case is not published.')
  if (found.thread_id) {
    const replied = await replyToThread(viewer, found.thread_id, body)
    return replied.ok ? ok({ threadId: found.thread_id, number: replied.value.number }) : replied
  }
  const modes = await db
    .selectFrom('case_failure_modes as m')
    .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
    .select('t.slug')
    .where('m.case_id', '=', caseId)
    .orderBy('m.is_primary', 'desc')
    .limit(5)
    .execute()
  return writeTransaction(async (trx) => {
    // Two first comments at once: the second finds the thread the first made and replies to it.
    const current = await trx.selectFrom('cases').select('thread_id').where('id', '=', caseId).executeTakeFirstOrThrow()
    if (current.thread_id) {
      const replied = await replyToThread(viewer, current.thread_id, body, { trx })
      return replied.ok ? ok({ threadId: current.thread_id, number: replied.value.number }) : replied
    }
    const created = await createThread(
      viewer,
      {
        categorySlug: CASE_DISCUSSION_CATEGORY,
        title: `Case discussion: ${found.title}`.slice(0, 150),
        body,
        tagSlugs: modes.map((m) => m.slug),
      },
      { trx },
    )
    if (!created.ok) return created
    await trx.updateTable('cases').set({ thread_id: created.value.id }).where('id', '=', caseId).execute()
    return ok({ threadId: created.value.id, number: 1 })
  })
}

// ---------------------------------------------------------------------------------------------
// Contributing: drafts, submission and editorial review

export interface EditableCase {
  id: number
  slug: string
  status: CaseStatus
  authorId: number
  form: CaseFormState
  feedback: string | null
  updatedAt: string
}

const mayEditCase = (viewer: Viewer, row: { author_id: number }) => row.author_id === viewer.id || isModerator(viewer)

/**
 * What a case someone may not edit looks like from its editing routes: the same as a case that
 * does not exist, so its number tells no one that it exists, let alone whose it is.
 */
const noCaseOfYours = () => refuse(404, 'No case of yours has that number.')

/** A case its author (or a moderator) may edit, with the form as it was left. */
export async function getCaseForEditing(viewer: Viewer, caseId: number): Promise<Outcome<EditableCase>> {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'slug', 'status', 'author_id', 'draft_json', 'review_feedback', 'updated_at'])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (!row || !mayEditCase(viewer, row)) return noCaseOfYours()
  const form = row.status === 'published' || !row.draft_json ? await publishedForm(row.id) : parseDraft(row.draft_json)
  return ok({
    id: row.id,
    slug: row.slug,
    status: row.status,
    authorId: row.author_id,
    form,
    feedback: row.review_feedback,
    updatedAt: row.updated_at,
  })
}

async function publishedForm(caseId: number): Promise<CaseFormState> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow()
  const modes = await failureModesOf(db, caseId)
  const phases = await phasesOf(db, caseId)
  const primary = modes.find((m) => m.is_primary)
  return contentToCaseForm({
    title: row.title,
    summary: row.summary,
    level: row.level,
    domain: row.domain,
    outcome: row.outcome,
    jurisdiction: row.jurisdiction,
    budgetBand: row.budget_band as CaseContent['budgetBand'],
    contractModel: row.contract_model,
    years: row.years,
    outcomeDetail: row.outcome_detail,
    whatHappened: row.what_happened_md,
    primaryFailureMode: { slug: primary?.slug ?? '', how: primary?.how ?? '' },
    contributingFailureModes: modes.filter((m) => !m.is_primary).map(({ slug, how }) => ({ slug, how })),
    phases,
    rootCauses: JSON.parse(row.root_causes_json),
    lessons: JSON.parse(row.lessons_json),
    recommendations: JSON.parse(row.recommendations_json),
    correctiveActions: JSON.parse(row.corrective_actions_json),
    sources: JSON.parse(row.sources_json),
    firstHand: !!row.first_hand,
    isAnonymous: !!row.is_anonymous,
  })
}

const EDITABLE_BY_AUTHOR: CaseStatus[] = ['draft', 'returned']

/** Saves the form as a draft (creating the case on first save); incomplete forms are fine. */
export async function saveCaseDraft(author: Viewer, caseId: number | null, form: CaseFormState): Promise<Outcome<{ id: number }>> {
  const now = new Date().toISOString()
  return writeTransaction(async (trx) => {
    if (caseId === null) {
      const { id } = await trx
        .insertInto('cases')
        .values({
          slug: `draft-${crypto.randomUUID()}`,
          status: 'draft',
          author_id: author.id,
          is_anonymous: form.isAnonymous ? 1 : 0,
          title: form.title.trim() || 'Untitled draft',
          summary: form.summary,
          level: form.level,
          domain: form.domain,
          outcome: form.outcome,
          jurisdiction: form.jurisdiction,
          budget_band: form.budgetBand,
          contract_model: form.contractModel,
          years: form.years,
          outcome_detail: form.outcomeDetail,
          what_happened_md: form.whatHappened,
          what_happened_html: '',
          root_causes_json: '[]',
          lessons_json: '[]',
          recommendations_json: '[]',
          corrective_actions_json: '[]',
          sources_json: '[]',
          draft_json: JSON.stringify(form),
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return ok({ id })
    }
    const row = await trx.selectFrom('cases').select(['author_id', 'status']).where('id', '=', caseId).executeTakeFirst()
    if (!row || !mayEditCase(author, row)) return noCaseOfYours()
    if (row.author_id !== author.id) return refuse(403, 'Only the author can change this draft.')
    if (!EDITABLE_BY_AUTHOR.includes(row.status)) {
      return refuse(409, row.status === 'submitted' ? 'This case is waiting for review and cannot change until a moderator returns it.' : 'This case is published; edit it from its page.')
    }
    await trx
      .updateTable('cases')
      .set({ draft_json: JSON.stringify(form), title: form.title.trim() || 'Untitled draft', is_anonymous: form.isAnonymous ? 1 : 0, updated_at: now })
      .where('id', '=', caseId)
      .execute()
    return ok({ id: caseId })
  })
}

/** Sends a complete case for editorial review; the form is kept as the draft too. */
export async function submitCase(
  author: Viewer,
  caseId: number | null,
  form: CaseFormState,
  content: CaseContent,
): Promise<Outcome<{ id: number }>> {
  // A refused submission leaves nothing behind: the terms are checked before the draft is saved.
  const terms = await checkCaseTerms(content)
  if (!terms.ok) return terms
  const saved = await saveCaseDraft(author, caseId, form)
  if (!saved.ok) return saved
  const now = new Date().toISOString()
  return writeTransaction(async (trx) => {
    const written = await writeContent(trx, saved.value.id, content, now)
    if (!written.ok) return written
    await trx
      .updateTable('cases')
      .set({ status: 'submitted', submitted_at: now, review_feedback: null })
      .where('id', '=', saved.value.id)
      .execute()
    return saved
  })
}

/** A moderator publishes a submitted case: it gets its public address and enters search. */
export async function publishCase(moderator: Viewer, caseId: number, note: string | null): Promise<Outcome<{ slug: string }>> {
  if (!isModerator(moderator)) return refuse(403, 'Only moderators can publish cases.')
  return writeTransaction(async (trx) => {
    const row = await trx.selectFrom('cases').select(['status', 'title', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row) return refuse(404, 'No case has that number.')
    if (row.status !== 'submitted') return refuse(409, 'Only a case waiting for review can be published.')
    const slug = await uniqueSlug(trx, row.title)
    const now = new Date().toISOString()
    await trx
      .updateTable('cases')
      .set({ status: 'published', slug, published_at: now, updated_at: now, draft_json: null, review_feedback: null })
      .where('id', '=', caseId)
      .execute()
    await fixAnonymousLabel(trx, caseId)
    await syncSearchIndex(trx, caseId)
    await logAction(trx, { actorId: moderator.id, action: 'case-publish', caseId, memberId: row.author_id, reason: note })
    await recordActivity(trx, { kind: 'case_published', actorId: moderator.id, caseId })
    return ok({ slug })
  })
}

/** A moderator returns a submitted case to its author with written feedback. */
export async function returnCase(moderator: Viewer, caseId: number, feedback: string): Promise<Outcome> {
  if (!isModerator(moderator)) return refuse(403, 'Only moderators can return cases.')
  return writeTransaction(async (trx) => {
    const row = await trx.selectFrom('cases').select(['status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row) return refuse(404, 'No case has that number.')
    if (row.status !== 'submitted') return refuse(409, 'Only a case waiting for review can be returned.')
    await trx
      .updateTable('cases')
      .set({ status: 'returned', review_feedback: feedback, updated_at: new Date().toISOString() })
      .where('id', '=', caseId)
      .execute()
    await logAction(trx, { actorId: moderator.id, action: 'case-return', caseId, memberId: row.author_id, reason: feedback })
    await recordActivity(trx, { kind: 'case_returned', actorId: moderator.id, caseId, feedback })
    return ok()
  })
}

/** The author or a moderator edits a published case; the previous text is kept as a revision. */
export async function editPublishedCase(editor: Viewer, caseId: number, content: CaseContent, note: string | null): Promise<Outcome> {
  return writeTransaction(async (trx) => {
    const row = await trx.selectFrom('cases').select(['status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row || !mayEditCase(editor, row)) return noCaseOfYours()
    if (row.status !== 'published') return refuse(409, 'This case is not published.')
    const terms = await resolveTerms(trx, content)
    if (!terms.ok) return terms
    await snapshotRevision(trx, caseId, editor.id, note)
    const written = await writeContent(trx, caseId, content, new Date().toISOString())
    if (!written.ok) return written
    await syncSearchIndex(trx, caseId)
    if (row.author_id !== editor.id) await logAction(trx, { actorId: editor.id, action: 'case-edit', caseId, reason: note })
    return ok()
  })
}

export interface SubmissionSummary {
  id: number
  slug: string
  title: string
  status: CaseStatus
  feedback: string | null
  updatedAt: string
}

export async function listMySubmissions(authorId: number): Promise<SubmissionSummary[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'status', 'review_feedback', 'updated_at'])
    .where('author_id', '=', authorId)
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute()
  return rows.map((row) => ({ id: row.id, slug: row.slug, title: row.title, status: row.status, feedback: row.review_feedback, updatedAt: row.updated_at }))
}

export interface ReviewItem {
  id: number
  slug: string
  title: string
  summary: string
  submittedAt: string | null
  isAnonymous: boolean
  author: { handle: string; displayName: string }
}

/** Cases waiting for review, oldest first; moderators see who wrote anonymized ones. */
export async function listCasesForReview(): Promise<ReviewItem[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.slug', 'c.title', 'c.summary', 'c.submitted_at', 'c.is_anonymous', 'u.handle', 'u.display_name'])
    .where('c.status', '=', 'submitted')
    .orderBy('c.submitted_at')
    .limit(100)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    submittedAt: row.submitted_at,
    isAnonymous: !!row.is_anonymous,
    author: { handle: row.handle, displayName: row.display_name },
  }))
}
