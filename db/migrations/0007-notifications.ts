import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // What happened, written in the same transaction as the write that caused it. The fan-out job
  // turns each into notifications (and queued email) after the request, so a reply to a thread
  // with thousands of watchers costs the replier one insert.
  await db.schema
    .createTable('activities')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('cascade'))
    .addColumn('data_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .execute()
  await sql`create index activities_pending on activities (id) where processed_at is null`.execute(db)

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // Why this member got it ("you are watching this thread"), shown beside it and in the email.
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('thread_id', 'integer', (c) => c.references('threads.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('cascade'))
    // Consolidation: "4 new replies in ..." is one row whose count grows while it is unread.
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('data_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute()
  await db.schema.createIndex('notifications_user_recent').on('notifications').columns(['user_id', 'updated_at', 'id']).execute()
  await sql`create index notifications_user_unread on notifications (user_id, kind, thread_id, case_id, event_id, post_id) where read_at is null`.execute(db)
  await db.schema.createIndex('notifications_post').on('notifications').columns(['post_id']).execute()

  // Threads: watching / tracking / normal / muted. Categories, themes and events: watching.
  await db.schema
    .createTable('follows')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in ('thread', 'category', 'theme', 'event')`))
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('watching', 'tracking', 'normal', 'muted')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['user_id', 'target_type', 'target_id'])
    .execute()
  await db.schema.createIndex('follows_target').on('follows').columns(['target_type', 'target_id', 'level', 'user_id']).execute()

  // Only the kinds a member changed from their default are stored.
  await db.schema
    .createTable('email_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('immediately', 'daily', 'weekly', 'never')`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_preferences_pk', ['user_id', 'kind'])
    .execute()

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('notification_id', 'integer', (c) => c.references('notifications.id').onDelete('set null'))
    // Fixed when queued, so a message sent again after a crash is recognisably the same one.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    // Messages about one thread, case or event share a root for In-Reply-To / References.
    .addColumn('thread_key', 'text')
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('html_body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sending', 'sent', 'failed', 'skipped')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'due_at', 'id']).execute()
  await db.schema.createIndex('mail_outbox_recent').on('mail_outbox').columns(['status', 'updated_at', 'id']).execute()
  await db.schema.createIndex('mail_outbox_notification').on('mail_outbox').columns(['notification_id', 'status']).execute()

  // One row per member and summary period: the primary key is what makes a period send at most once.
  await db.schema
    .createTable('mail_summaries')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'integer', (c) => c.references('mail_outbox.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_summaries_pk', ['user_id', 'frequency', 'period_key'])
    .execute()

  // The organizer's message to attendees when an event is cancelled; reminders are sent once.
  await db.schema.alterTable('events').addColumn('cancellation_message', 'text').execute()
  await db.schema.alterTable('events').addColumn('reminded_at', 'text').execute()
  await db.schema.createIndex('events_reminder_due').on('events').columns(['status', 'reminded_at', 'starts_at']).execute()

  // The old in-app notices become notifications of the one system.
  await sql`
    insert into notifications (user_id, kind, reason, event_id, data_json, created_at, updated_at, read_at)
    select user_id,
           case kind when 'waitlist-promoted' then 'waitlist_promoted' else 'event_cancelled' end,
           case kind when 'waitlist-promoted' then 'waitlisted' else 'going' end,
           event_id, '{}', created_at, created_at, seen_at
    from notices`.execute(db)
  await db.schema.dropTable('notices').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_reminder_due').execute()
  await db.schema.alterTable('events').dropColumn('reminded_at').execute()
  await db.schema.alterTable('events').dropColumn('cancellation_message').execute()
  for (const table of ['mail_summaries', 'mail_outbox', 'email_preferences', 'follows', 'notifications', 'activities']) {
    await db.schema.dropTable(table).execute()
  }
}
