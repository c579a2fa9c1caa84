import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { CaseStatus, Database } from '../../db/schema'
import type { CaseContent } from '../lib/case-fields'
import { renderMarkdown } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { slugify } from '../lib/slug'

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
  if (modeTerms.some((term) => !term)) return refuse(400, 'Choose failure modes from the list', 'primaryFailureMode')
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
    .select([
      'status',
      'title',
      'summary',
      'jurisdiction',
      'contract_model',
      'outcome_detail',
      'what_happened_md',
      'root_causes_json',
      'lessons_json',
      'recommendations_json',
      'corrective_actions_json',
      'sources_json',
    ])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (row?.status !== 'published') return
  const modes = await trx
    .selectFrom('case_failure_modes')
    .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'case_failure_modes.term_id')
    .select(['taxonomy_terms.name', 'case_failure_modes.how'])
    .where('case_id', '=', caseId)
    .execute()
  const body = [
    row.jurisdiction,
    row.contract_model,
    row.outcome_detail,
    row.what_happened_md,
    ...modes.flatMap((m) => [m.name, m.how]),
    ...JSON.parse(row.root_causes_json),
    ...JSON.parse(row.lessons_json),
    ...JSON.parse(row.recommendations_json),
    ...JSON.parse(row.corrective_actions_json).flatMap((a: { action: string; note?: string }) => [a.action, a.note ?? '']),
    ...JSON.parse(row.sources_json).flatMap((s: { title: string; publisher: string; reference?: string }) => [
      s.title,
      s.publisher,
      s.reference ?? '',
    ]),
  ].join('\n')
  await sql`insert into cases_fts (rowid, title, summary, body) values (${caseId}, ${row.title}, ${row.summary}, ${body})`.execute(trx)
}

async function uniqueSlug(trx: Kysely<Database>, title: string): Promise<string> {
  const base = slugify(title, 70)
  let slug = base
  for (let n = 2; await trx.selectFrom('cases').select('id').where('slug', '=', slug).executeTakeFirst(); n++) slug = `${base}-${n}`
  return slug
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

async function snapshotRevision(trx: Kysely<Database>, caseId: number, editorId: number | null, note: string | null) {
  const row = await trx.selectFrom('cases').select(SNAPSHOT_FIELDS).where('id', '=', caseId).executeTakeFirstOrThrow()
  const modes = await trx
    .selectFrom('case_failure_modes')
    .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'case_failure_modes.term_id')
    .select(['taxonomy_terms.slug', 'case_failure_modes.how', 'case_failure_modes.is_primary'])
    .where('case_id', '=', caseId)
    .orderBy('is_primary', 'desc')
    .execute()
  await trx
    .insertInto('case_revisions')
    .values({
      case_id: caseId,
      editor_id: editorId,
      snapshot_json: JSON.stringify({ ...row, failure_modes: modes }),
      note,
      created_at: new Date().toISOString(),
    })
    .execute()
}

export type CaseStatusValue = CaseStatus
