import { type Kysely, sql } from 'kysely'
import { onPostgres } from './dialect'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'submitted', 'returned', 'published')`),
    )
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('is_anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    // Facet values are taxonomy slugs; a case has one level, domain and outcome.
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('budget_band', 'text', (c) => c.notNull())
    .addColumn('contract_model', 'text', (c) => c.notNull())
    .addColumn('years', 'text', (c) => c.notNull())
    .addColumn('outcome_detail', 'text', (c) => c.notNull())
    .addColumn('what_happened_md', 'text', (c) => c.notNull())
    .addColumn('what_happened_html', 'text', (c) => c.notNull())
    // Lists kept as JSON arrays of strings or small objects; they are read whole with the case.
    .addColumn('root_causes_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('lessons_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('recommendations_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('corrective_actions_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sources_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('first_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('review_feedback', 'text')
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('source_hash', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('cases_status_published').on('cases').columns(['status', 'published_at', 'id']).execute()
  await db.schema.createIndex('cases_status_seen').on('cases').columns(['status', 'seen_count', 'id']).execute()
  await db.schema.createIndex('cases_level').on('cases').columns(['level', 'status']).execute()
  await db.schema.createIndex('cases_domain').on('cases').columns(['domain', 'status']).execute()
  await db.schema.createIndex('cases_outcome').on('cases').columns(['outcome', 'status']).execute()
  await db.schema.createIndex('cases_author').on('cases').columns(['author_id', 'updated_at']).execute()

  await db.schema
    .createTable('case_failure_modes')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('how', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_failure_modes_pk', ['case_id', 'term_id'])
    .execute()
  await db.schema
    .createIndex('case_failure_modes_term')
    .on('case_failure_modes')
    .columns(['term_id', 'is_primary', 'case_id'])
    .execute()

  await db.schema
    .createTable('case_phases')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('case_phases_pk', ['case_id', 'term_id'])
    .execute()
  await db.schema.createIndex('case_phases_term').on('case_phases').columns(['term_id', 'case_id']).execute()

  await db.schema
    .createTable('case_reactions')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('helpful', 'seen')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_reactions_pk', ['case_id', 'user_id', 'kind'])
    .execute()

  await db.schema
    .createTable('case_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('editor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('case_revisions_case').on('case_revisions').columns(['case_id', 'id']).execute()

  // Full-text search over every text field of published cases; rowid is the case id.
  if (onPostgres(db)) {
    // The same table shape, so the app fills it alike; the words are a weighted tsvector.
    await sql`create table cases_fts (
      rowid bigint primary key references cases (id) on delete cascade,
      title text not null, summary text not null, body text not null,
      search tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') || setweight(to_tsvector('english', body), 'C')
      ) stored
    )`.execute(db)
    await sql`create index cases_fts_search on cases_fts using gin (search)`.execute(db)
    return
  }
  await sql`create virtual table cases_fts using fts5(
    title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2'
  )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table cases_fts`.execute(db)
  for (const table of ['case_revisions', 'case_reactions', 'case_phases', 'case_failure_modes', 'cases']) {
    await db.schema.dropTable(table).execute()
  }
}
