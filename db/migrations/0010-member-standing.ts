import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // A member's standing: whether their address is confirmed, and whether a moderator has made them
  // read-only (silenced) or shut them out (suspended). "Until" times are ISO; an indefinite
  // measure is stored as the far-future INDEFINITELY value the app defines.
  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute()
  await db.schema.alterTable('users').addColumn('silenced_until', 'text').execute()
  await db.schema.alterTable('users').addColumn('suspended_until', 'text').execute()
  // How a member came to carry the "verified public servant" mark: 'email' (a confirmed address in
  // one of the configured government domains) or 'moderator' (verified by hand, noted in the log).
  await db.schema.alterTable('users').addColumn('public_servant_verified_by', 'text').execute()
  // Everyone who joined before verification existed keeps posting: their address counts as confirmed.
  await sql`update users set email_verified_at = created_at`.execute(db)

  // The member a moderation decision affects (the author of a hidden post, the submitter of a
  // returned case, the member silenced), so the decision can be told to them and appealed.
  await db.schema
    .alterTable('moderation_log')
    .addColumn('member_id', 'integer', (column) => column.references('users.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('moderation_log_by_member').on('moderation_log').columns(['member_id', 'id']).execute()
  await sql`
    update moderation_log set member_id = (select author_id from posts where posts.id = moderation_log.post_id)
    where post_id is not null and action in ('hide', 'unhide', 'auto-hide', 'flags-agreed', 'flags-disagreed')
  `.execute(db)
  await sql`
    update moderation_log set member_id = (select author_id from cases where cases.id = moderation_log.case_id)
    where case_id is not null and action in ('case-publish', 'case-return')
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('moderation_log_by_member').execute()
  await db.schema.alterTable('moderation_log').dropColumn('member_id').execute()
  await db.schema.alterTable('users').dropColumn('public_servant_verified_by').execute()
  await db.schema.alterTable('users').dropColumn('suspended_until').execute()
  await db.schema.alterTable('users').dropColumn('silenced_until').execute()
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
}
