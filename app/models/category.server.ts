import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMarkdown } from '../lib/markdown.server'
import type { UpsertOutcome } from './taxonomy.server'

export interface CategorySource {
  slug: string
  name: string
  description: string
  position: number
}

export async function upsertCategory(
  category: CategorySource,
  sourceHash: string,
  trx: Kysely<Database> = db,
): Promise<UpsertOutcome> {
  const existing = await trx
    .selectFrom('categories')
    .select('source_hash')
    .where('slug', '=', category.slug)
    .executeTakeFirst()
  if (existing?.source_hash === sourceHash) return 'unchanged'
  const values = {
    name: category.name,
    description_md: category.description,
    description_html: renderMarkdown(category.description),
    position: category.position,
    source_hash: sourceHash,
  }
  await trx
    .insertInto('categories')
    .values({ slug: category.slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute()
  return existing ? 'updated' : 'inserted'
}

export function listCategories() {
  return db
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'description_html as descriptionHtml'])
    .orderBy('position')
    .execute()
}

export function getCategory(slug: string) {
  return db
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'description_html as descriptionHtml'])
    .where('slug', '=', slug)
    .executeTakeFirst()
}
