import { type Kysely, sql } from 'kysely'
import { onPostgres } from './dialect'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // What a member says about themself: a short bio (Markdown source and its HTML, rendered when
  // written), a job title, and whether they are listed in the member directory (listed unless
  // they opt out). A deleted account keeps its row as a tombstone with no personal data, marked
  // by deleted_at, so what it wrote can stay credited to "a former member".
  await db.schema.alterTable('users').addColumn('bio_md', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('users').addColumn('bio_html', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('users').addColumn('job_title', 'text').execute()
  await db.schema.alterTable('users').addColumn('listed_in_directory', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute()
  // The account the seed case library is credited to is not a peer anyone can reach.
  await sql`update users set listed_in_directory = 0 where handle = 'sectorpulse-editors' and password_hash is null`.execute(db)
  // The directory lists listed, live, real members by name; filters narrow that same index range.
  const byName = onPostgres(db) ? sql`lower(display_name)` : sql`display_name collate nocase`
  await sql`
    create index users_directory on users (${byName}, id)
    where listed_in_directory = 1 and deleted_at is null
  `.execute(db)

  // The failure modes and domains a member has lived through (taxonomy terms).
  await db.schema
    .createTable('member_experience')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('member_experience_pk', ['user_id', 'term_id'])
    .execute()
  await db.schema.createIndex('member_experience_by_term').on('member_experience').columns(['term_id', 'user_id']).execute()

  // Handles a member used before: /members/<old> redirects to them, and an old `@handle` in a new
  // post still names them. Nobody else may take one until reserved_until. A null user_id is a
  // handle released by a deleted account: reserved, but pointing at no one.
  await db.schema
    .createTable('handle_history')
    .addColumn('handle', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('retired_at', 'text', (c) => c.notNull())
    .addColumn('reserved_until', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('handle_history_by_user').on('handle_history').columns(['user_id']).execute()

  // "Seen this too" marks by member, for "members who have been there".
  await db.schema.createIndex('case_reactions_by_user').on('case_reactions').columns(['user_id', 'kind', 'case_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_reactions_by_user').execute()
  await db.schema.dropTable('handle_history').execute()
  await db.schema.dropTable('member_experience').execute()
  await sql`drop index users_directory`.execute(db)
  for (const column of ['deleted_at', 'listed_in_directory', 'job_title', 'bio_html', 'bio_md']) {
    await db.schema.alterTable('users').dropColumn(column).execute()
  }
}
