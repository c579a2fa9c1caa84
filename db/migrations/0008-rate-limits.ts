import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // Rate-limit token buckets, in the database so a restart or a second process on the same
  // file keeps counting. One row per limiter and key (an IP address, an account); a bucket
  // untouched for its whole window is full again, and is deleted as such.
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('limiter', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('tokens', 'real', (c) => c.notNull())
    // Milliseconds since the epoch: the refill is arithmetic on it.
    .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_buckets_pk', ['limiter', 'key'])
    .modifyEnd(sql`without rowid`)
    .execute()
  await db.schema.createIndex('rate_limit_buckets_updated').on('rate_limit_buckets').columns(['limiter', 'updated_at_ms']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_buckets').execute()
}
