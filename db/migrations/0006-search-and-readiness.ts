import { type Kysely, sql } from 'kysely'
import { onPostgres } from './dialect'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // Site search. On SQLite, external-content FTS5 tables index the text where it already lives,
  // so the words are stored once; triggers keep each index in step with every write to its
  // table, whichever model (or seed, or generator) made it. Visibility is decided when searching.
  if (onPostgres(db)) await searchColumnsOnPostgres(db)
  else await searchIndexesOnSqlite(db)

  // The execution-readiness self-assessment: questions are content (content/readiness/).
  await db.schema
    .createTable('readiness_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('guidance_md', 'text', (c) => c.notNull())
    .addColumn('guidance_html', 'text', (c) => c.notNull())
    .addColumn('looks_like_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('readiness_question_failure_modes')
    .addColumn('question_id', 'integer', (c) => c.notNull().references('readiness_questions.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('readiness_question_failure_modes_pk', ['question_id', 'term_id'])
    .execute()

  // A member's saved assessments; each save is a new row so a retake can be compared.
  await db.schema
    .createTable('readiness_assessments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('project_name', 'text', (c) => c.notNull())
    // Lower-cased, trimmed project name: "Payroll " and "payroll" are the same project.
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('readiness_assessments_owner')
    .on('readiness_assessments')
    .columns(['user_id', 'project_key', 'id'])
    .execute()
  await db.schema
    .createTable('readiness_answers')
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('readiness_assessments.id').onDelete('cascade'))
    // The question's slug, not its id: history survives the questions being re-seeded.
    .addColumn('question_slug', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 0 and 3`))
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('readiness_answers_pk', ['assessment_id', 'question_slug'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['readiness_answers', 'readiness_assessments', 'readiness_question_failure_modes', 'readiness_questions']) {
    await db.schema.dropTable(table).execute()
  }
  if (onPostgres(db)) {
    for (const table of Object.keys(SEARCHED_ON_POSTGRES)) await sql.raw(`alter table ${table} drop column search`).execute(db)
    return
  }
  for (const fts of ['posts_fts', 'threads_fts', 'events_fts']) {
    for (const suffix of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${fts}_${suffix}`).execute(db)
    await sql.raw(`drop table ${fts}`).execute(db)
  }
}

async function searchIndexesOnSqlite(db: Kysely<any>): Promise<void> {
  const tokenize = sql.raw(`tokenize = 'porter unicode61 remove_diacritics 2'`)
  await sql`create virtual table posts_fts using fts5(body_md, content = 'posts', content_rowid = 'id', ${tokenize})`.execute(db)
  await sql`create virtual table threads_fts using fts5(title, content = 'threads', content_rowid = 'id', ${tokenize})`.execute(db)
  await sql`create virtual table events_fts using fts5(title, description_md, content = 'events', content_rowid = 'id', ${tokenize})`.execute(db)

  const indexed = [
    { table: 'posts', fts: 'posts_fts', columns: ['body_md'] },
    { table: 'threads', fts: 'threads_fts', columns: ['title'] },
    { table: 'events', fts: 'events_fts', columns: ['title', 'description_md'] },
  ]
  for (const { table, fts, columns } of indexed) {
    const names = columns.join(', ')
    const newValues = columns.map((c) => `new.${c}`).join(', ')
    const oldValues = columns.map((c) => `old.${c}`).join(', ')
    const remove = `insert into ${fts} (${fts}, rowid, ${names}) values ('delete', old.id, ${oldValues});`
    const add = `insert into ${fts} (rowid, ${names}) values (new.id, ${newValues});`
    await sql.raw(`create trigger ${fts}_insert after insert on ${table} begin ${add} end`).execute(db)
    await sql.raw(`create trigger ${fts}_delete after delete on ${table} begin ${remove} end`).execute(db)
    await sql.raw(`create trigger ${fts}_update after update of ${names} on ${table} begin ${remove} ${add} end`).execute(db)
    await sql.raw(`insert into ${fts} (${fts}) values ('rebuild')`).execute(db)
  }
}

/**
 * On PostgreSQL each searched table carries its words as a stored tsvector column, `search`,
 * kept by PostgreSQL itself on every write (as the triggers keep FTS5's tables) and indexed
 * with GIN. Stored rather than an index on the expression: ranking reads each candidate's
 * words, and computing them again from a long post for thousands of candidates took seconds.
 */
const SEARCHED_ON_POSTGRES = {
  posts: `to_tsvector('english', body_md)`,
  threads: `to_tsvector('english', title)`,
  events: `setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description_md), 'B')`,
}

async function searchColumnsOnPostgres(db: Kysely<any>): Promise<void> {
  for (const [table, words] of Object.entries(SEARCHED_ON_POSTGRES)) {
    await sql.raw(`alter table ${table} add column search tsvector generated always as (${words}) stored`).execute(db)
    await sql.raw(`create index ${table}_search on ${table} using gin (search)`).execute(db)
  }
}
