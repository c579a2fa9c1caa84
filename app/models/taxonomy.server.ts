import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMarkdown } from '../lib/markdown.server'

export const FACETS = ['failure-mode', 'phase', 'level', 'domain', 'outcome'] as const
export type Facet = (typeof FACETS)[number]

export interface TermSource {
  facet: Facet
  slug: string
  name: string
  description: string
  warningSigns: string[]
  prevention: string[]
  position: number
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged'

/** Inserts or updates one term by (facet, slug); a term whose source did not change is left alone. */
export async function upsertTerm(
  term: TermSource,
  sourceHash: string,
  trx: Kysely<Database> = db,
): Promise<UpsertOutcome> {
  const existing = await trx
    .selectFrom('taxonomy_terms')
    .select('source_hash')
    .where('facet', '=', term.facet)
    .where('slug', '=', term.slug)
    .executeTakeFirst()
  if (existing?.source_hash === sourceHash) return 'unchanged'
  const values = {
    name: term.name,
    description_md: term.description,
    description_html: renderMarkdown(term.description),
    warning_signs_json: JSON.stringify(term.warningSigns),
    prevention_json: JSON.stringify(term.prevention),
    position: term.position,
    source_hash: sourceHash,
  }
  await trx
    .insertInto('taxonomy_terms')
    .values({ facet: term.facet, slug: term.slug, ...values })
    .onConflict((oc) => oc.columns(['facet', 'slug']).doUpdateSet(values))
    .execute()
  return existing ? 'updated' : 'inserted'
}

export interface TermSummary {
  slug: string
  name: string
  descriptionHtml: string
}

export async function listTerms(facet: Facet): Promise<TermSummary[]> {
  const rows = await db
    .selectFrom('taxonomy_terms')
    .select(['slug', 'name', 'description_html'])
    .where('facet', '=', facet)
    .orderBy('position')
    .execute()
  return rows.map((row) => ({ slug: row.slug, name: row.name, descriptionHtml: row.description_html }))
}

/** Every facet's terms in their curated order, in one query: `{ phase: [{ slug, name }], … }`. */
export async function listFacetTerms(): Promise<Record<Facet, { slug: string; name: string }[]>> {
  const rows = await db.selectFrom('taxonomy_terms').select(['facet', 'slug', 'name']).orderBy('facet').orderBy('position').execute()
  const byFacet = Object.fromEntries(FACETS.map((facet) => [facet, [] as { slug: string; name: string }[]])) as Record<
    Facet,
    { slug: string; name: string }[]
  >
  for (const row of rows) byFacet[row.facet as Facet]?.push({ slug: row.slug, name: row.name })
  return byFacet
}
