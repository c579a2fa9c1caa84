import type { Kysely } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // A submission's form exactly as its author left it, complete or not, until it is published.
  await db.schema.alterTable('cases').addColumn('draft_json', 'text').execute()
  // Editorial decisions on cases go to the same moderation log as discussion actions.
  await db.schema
    .alterTable('moderation_log')
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('moderation_log').dropColumn('case_id').execute()
  await db.schema.alterTable('cases').dropColumn('draft_json').execute()
}
