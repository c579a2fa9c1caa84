import type { Kysely } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // When the member accepted the community guidelines; null for members who joined before
  // joining asked for it.
  await db.schema.alterTable('users').addColumn('guidelines_accepted_at', 'text').execute()

  // A member's appeal of one moderation decision (a moderation_log row with member_id). One appeal
  // per decision: the unique index makes a replayed form or link a refusal, not a second appeal.
  await db.schema
    .createTable('appeals')
    .addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
    .addColumn('decision_id', 'integer', (column) => column.notNull().unique().references('moderation_log.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('statement', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('open'))
    .addColumn('decided_by_id', 'integer', (column) => column.references('users.id').onDelete('set null'))
    .addColumn('outcome_reason', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('decided_at', 'text')
    .execute()
  await db.schema.createIndex('appeals_by_status').on('appeals').columns(['status', 'id']).execute()
  await db.schema.createIndex('appeals_by_member').on('appeals').columns(['member_id', 'id']).execute()

  // Community guidelines, privacy notice and terms, loaded from content/pages by the seed and
  // rendered when written.
  await db.schema
    .createTable('site_pages')
    .addColumn('slug', 'text', (column) => column.primaryKey())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('summary', 'text', (column) => column.notNull())
    .addColumn('body_md', 'text', (column) => column.notNull())
    .addColumn('body_html', 'text', (column) => column.notNull())
    .addColumn('source_hash', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute()

  // The member directory of /admin/members filters by each of these, paged by id.
  await db.schema.createIndex('users_by_role').on('users').columns(['role', 'id']).execute()
  await db.schema.createIndex('users_by_member_type').on('users').columns(['member_type', 'id']).execute()
  await db.schema.createIndex('users_by_government_level').on('users').columns(['government_level', 'id']).execute()
  await db.schema.createIndex('users_by_silenced_until').on('users').columns(['silenced_until']).execute()
  await db.schema.createIndex('users_by_suspended_until').on('users').columns(['suspended_until']).execute()
  await db.schema.createIndex('users_by_public_servant').on('users').columns(['public_servant_verified_by', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'users_by_public_servant',
    'users_by_suspended_until',
    'users_by_silenced_until',
    'users_by_government_level',
    'users_by_member_type',
    'users_by_role',
  ]) {
    await db.schema.dropIndex(index).execute()
  }
  await db.schema.dropTable('site_pages').execute()
  await db.schema.dropTable('appeals').execute()
  await db.schema.alterTable('users').dropColumn('guidelines_accepted_at').execute()
}
