import { type Kysely, sql } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { type CaseContent, caseSearchBody } from '../lib/case-fields'
import { renderMarkdown, SHOWN_UNDER } from '../lib/markdown.server'
import { anonymousLabelOf } from '../lib/member-labels'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { slugify } from '../lib/slug'

// Writing a case's content: the one path by which curated files, submissions and edits reach
// the cases table, its failure modes and phases, its revisions and the search index.

const FACET_OF_FIELD = { level: 'level', domain: 'domain', outcome: 'outcome' } as const

/** Checks every taxonomy slug the content names; the refusal names the field at fault. */
export async function resolveTerms(trx: Kysely<Database>, content: CaseContent) {
  const terms = await trx.selectFrom('taxonomy_terms').select(['id', 'facet', 'slug']).execute()
  const find = (facet: string, slug: string) => terms.find((t) => t.facet === facet && t.slug === slug)
  for (const [field, facet] of Object.entries(FACET_OF_FIELD)) {
    if (!find(facet, content[field as keyof typeof FACET_OF_FIELD])) return refuse(400, `Choose a ${facet} from the list`, field)
  }
  const hurt = content.primaryFailureMode ? [content.primaryFailureMode, ...content.contributingFailureModes] : []
  const avoided = content.avoidedFailureModes ?? []
  const hurtTerms = hurt.map((mode) => find('failure-mode', mode.slug))
  const avoidedTerms = avoided.map((mode) => find('failure-mode', mode.slug))
  if (content.primaryFailureMode && !hurtTerms[0]) return refuse(400, 'Choose the primary failure mode from the list', 'primaryFailureMode')
  if (!content.primaryFailureMode && !avoided.length) {
    return refuse(400, 'Choose the primary failure mode, or record the failure modes the project avoided', 'primaryFailureMode')
  }
  if (hurtTerms.some((term) => !term)) return refuse(400, 'Choose contributing failure modes from the list', 'contributingFailureModes')
  if (avoidedTerms.some((term) => !term)) return refuse(400, 'Choose avoided failure modes from the list', 'avoidedFailureModes')
  const slugs = [...hurt, ...avoided].map((m) => m.slug)
  if (new Set(slugs).size !== slugs.length) {
    return refuse(400, 'Name each failure mode once: a mode either hurt the project or was avoided', avoided.length ? 'avoidedFailureModes' : 'contributingFailureModes')
  }
  const phaseTerms = [...new Set(content.phases)].map((slug) => find('phase', slug))
  if (phaseTerms.some((term) => !term)) return refuse(400, 'Choose phases from the list', 'phases')
  return ok({
    modes: [
      ...hurt.map((mode, index) => ({ termId: hurtTerms[index]!.id, how: mode.how, isPrimary: index === 0, avoided: false })),
      ...avoided.map((mode, index) => ({ termId: avoidedTerms[index]!.id, how: mode.how, isPrimary: false, avoided: true })),
    ],
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
    what_happened_html: renderMarkdown(content.whatHappened, { headingsUnder: SHOWN_UNDER.caseNarrative }),
    root_causes_json: JSON.stringify(content.rootCauses),
    lessons_json: JSON.stringify(content.lessons),
    recommendations_json: JSON.stringify(content.recommendations),
    corrective_actions_json: JSON.stringify(content.correctiveActions),
    sources_json: JSON.stringify(content.sources),
    first_hand: content.firstHand ? 1 : 0,
    first_hand_statement: content.firstHand ? content.firstHandStatement ?? '' : '',
    is_anonymous: content.isAnonymous ? 1 : 0,
  }
}

/** Writes the content and its failure modes and phases; the caller holds the transaction. */
export async function writeContent(trx: Kysely<Database>, caseId: number, content: CaseContent, now: string): Promise<Outcome> {
  const resolved = await resolveTerms(trx, content)
  if (!resolved.ok) return resolved
  await trx.updateTable('cases').set({ ...contentColumns(content), updated_at: now }).where('id', '=', caseId).execute()
  await trx.deleteFrom('case_failure_modes').where('case_id', '=', caseId).execute()
  await trx
    .insertInto('case_failure_modes')
    .values(resolved.value.modes.map((m) => ({ case_id: caseId, term_id: m.termId, how: m.how, is_primary: m.isPrimary ? 1 : 0, avoided: m.avoided ? 1 : 0 })))
    .execute()
  await trx.deleteFrom('case_phases').where('case_id', '=', caseId).execute()
  await trx
    .insertInto('case_phases')
    .values(resolved.value.phaseIds.map((term_id) => ({ case_id: caseId, term_id })))
    .execute()
  return ok()
}

/** Keeps the search index equal to the published cases: in when published, out otherwise. */
export async function syncSearchIndex(trx: Kysely<Database>, caseId: number): Promise<void> {
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

export async function uniqueSlug(trx: Kysely<Database>, title: string): Promise<string> {
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

export const SNAPSHOT_FIELDS = [
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
export async function phasesOf(trx: Kysely<Database>, caseId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('case_phases as p')
    .innerJoin('taxonomy_terms as t', 't.id', 'p.term_id')
    .select('t.slug')
    .where('p.case_id', '=', caseId)
    .orderBy('t.position')
    .execute()
  return rows.map((row) => row.slug)
}

/** A case's failure modes (primary first, avoided ones last) as slugs with how each showed up. */
export function failureModesOf(trx: Kysely<Database>, caseId: number) {
  return trx
    .selectFrom('case_failure_modes as m')
    .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
    .select(['t.slug', 'm.how', 'm.is_primary', 'm.avoided'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.avoided')
    .orderBy('m.is_primary', 'desc')
    .execute()
}

export async function snapshotRevision(trx: Kysely<Database>, caseId: number, editorId: number | null, note: string | null) {
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

/**
 * Fixes the case's anonymous label from its author's profile as it is now, at publication.
 * Worked out at each read instead, a profile edit would relabel every anonymous case of the
 * author at once, and anyone watching both would link them to the author.
 */
export async function fixAnonymousLabel(trx: Kysely<Database>, caseId: number): Promise<void> {
  const author = await trx
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['u.member_type', 'u.government_level'])
    .where('c.id', '=', caseId)
    .where('c.anonymous_label', 'is', null)
    .executeTakeFirst()
  if (author) await trx.updateTable('cases').set({ anonymous_label: anonymousLabelOf(author) }).where('id', '=', caseId).execute()
}
