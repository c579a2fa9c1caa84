import type { Kysely } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // Every token sent by email (reset a password, confirm an address, confirm a new address, undo
  // a change of address). Only the SHA-256 of the token is kept; the link in the mail is the only
  // copy. A token is spent once (used_at) and dies at expires_at.
  await db.schema
    .createTable('email_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The address the token is about: the new address for a change, the old one for its undo,
    // the address being confirmed for a verification. A token for an address the member no
    // longer has is worthless.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // A new token of a purpose retires the member's earlier ones of that purpose.
  await db.schema.createIndex('email_tokens_by_user').on('email_tokens').columns(['user_id', 'purpose']).execute()
  await db.schema.createIndex('email_tokens_expiry').on('email_tokens').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_tokens').execute()
}
