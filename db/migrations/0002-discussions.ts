import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('threads')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('is_pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    // Demo threads loaded from content/: which file, and its hash, so re-seeding is idempotent.
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('source_hash', 'text')
    // Set when the author deletes the opening post of a thread nobody has replied to.
    .addColumn('deleted_at', 'text')
    // Denormalized so a list page is one indexed query; kept right inside each write transaction.
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_post_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_posted_at', 'text', (c) => c.notNull())
    .addColumn('accepted_post_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('threads_latest').on('threads').columns(['last_posted_at', 'id']).execute()
  await db.schema.createIndex('threads_newest').on('threads').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('threads_helpful').on('threads').columns(['helpful_count', 'id']).execute()
  await db.schema
    .createIndex('threads_category_latest')
    .on('threads')
    .columns(['category_id', 'is_pinned', 'last_posted_at', 'id'])
    .execute()
  await db.schema.createIndex('threads_author').on('threads').columns(['author_id', 'created_at']).execute()

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('is_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('hidden_reason', 'text')
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('open_flag_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edited_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('posts_thread_number', ['thread_id', 'number'])
    .execute()
  await db.schema.createIndex('posts_author').on('posts').columns(['author_id', 'created_at']).execute()

  await db.schema
    .createTable('post_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('editor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('post_revisions_post').on('post_revisions').columns(['post_id', 'id']).execute()

  await db.schema
    .createTable('thread_tags')
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('thread_tags_pk', ['thread_id', 'term_id'])
    .execute()
  await db.schema.createIndex('thread_tags_term').on('thread_tags').columns(['term_id', 'thread_id']).execute()

  await db.schema
    .createTable('post_helpful')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_helpful_pk', ['post_id', 'user_id'])
    .execute()
  await db.schema.createIndex('post_helpful_user').on('post_helpful').columns(['user_id', 'post_id']).execute()

  await db.schema
    .createTable('post_mentions')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_mentions_pk', ['post_id', 'user_id'])
    .execute()
  await db.schema.createIndex('post_mentions_user').on('post_mentions').columns(['user_id', 'created_at']).execute()

  await db.schema
    .createTable('thread_reads')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('thread_id', 'integer', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('last_read_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_reads_pk', ['user_id', 'thread_id'])
    .execute()

  await db.schema
    .createTable('flags')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('off-topic', 'inappropriate', 'spam', 'other')`),
    )
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'agreed', 'disagreed')`),
    )
    .addColumn('resolved_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('flags_post_user', ['post_id', 'user_id'])
    .execute()
  await db.schema.createIndex('flags_status').on('flags').columns(['status', 'post_id']).execute()

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('set null'))
    .addColumn('reason', 'text')
    .addColumn('details', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('moderation_log_created').on('moderation_log').columns(['created_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'moderation_log',
    'flags',
    'thread_reads',
    'post_mentions',
    'post_helpful',
    'thread_tags',
    'post_revisions',
    'posts',
    'threads',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
