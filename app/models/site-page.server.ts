import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMarkdown } from '../lib/markdown.server'
import type { UpsertOutcome } from './taxonomy.server'

export interface SitePageSource {
  slug: string
  title: string
  summary: string
  body: string
}

/** The guidelines, privacy notice and terms, from content/pages; rendered here, once, when written. */
export async function upsertSitePage(page: SitePageSource, sourceHash: string, trx: Kysely<Database> = db): Promise<UpsertOutcome> {
  const existing = await trx.selectFrom('site_pages').select('source_hash').where('slug', '=', page.slug).executeTakeFirst()
  if (existing?.source_hash === sourceHash) return 'unchanged'
  const values = {
    title: page.title,
    summary: page.summary,
    body_md: page.body,
    body_html: renderMarkdown(page.body),
    source_hash: sourceHash,
    updated_at: new Date().toISOString(),
  }
  await trx
    .insertInto('site_pages')
    .values({ slug: page.slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute()
  return existing ? 'updated' : 'inserted'
}

export function getSitePage(slug: string) {
  return db.selectFrom('site_pages').select(['title', 'summary', 'body_html as bodyHtml', 'updated_at as updatedAt']).where('slug', '=', slug).executeTakeFirst()
}
