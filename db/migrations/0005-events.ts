import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('time_zone', 'text').execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description_md', 'text', (c) => c.notNull())
    .addColumn('description_html', 'text', (c) => c.notNull())
    // Instants in UTC, and the zone the organizer gave them in (for display and calendars).
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('in-person', 'virtual', 'hybrid')`))
    .addColumn('venue', 'text')
    .addColumn('address', 'text')
    .addColumn('join_url', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('rsvp_deadline', 'text')
    .addColumn('hosts', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('speakers', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published', 'cancelled')`),
    )
    .addColumn('recap_md', 'text')
    .addColumn('recap_html', 'text')
    .addColumn('recap_links_json', 'text', (c) => c.notNull().defaultTo('[]'))
    // RFC 5545: the UID never changes; SEQUENCE grows with every change a calendar should notice.
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('going_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waitlist_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('interested_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('source_hash', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_status_starts').on('events').columns(['status', 'starts_at', 'id']).execute()

  await db.schema
    .createTable('event_themes')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('term_id', 'integer', (c) => c.notNull().references('taxonomy_terms.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('event_themes_pk', ['event_id', 'term_id'])
    .execute()
  await db.schema.createIndex('event_themes_term').on('event_themes').columns(['term_id', 'event_id']).execute()

  await db.schema
    .createTable('rsvps')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('going', 'waitlisted', 'interested', 'not-going')`),
    )
    // First come, first served: a waitlisted member's place is their ticket number's rank.
    .addColumn('waitlist_ticket', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rsvps_pk', ['event_id', 'user_id'])
    .execute()
  await db.schema.createIndex('rsvps_event_status').on('rsvps').columns(['event_id', 'status', 'waitlist_ticket']).execute()
  await db.schema.createIndex('rsvps_user').on('rsvps').columns(['user_id', 'status']).execute()

  await db.schema
    .createTable('notices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text')
    // Set by the mailer a later issue adds; every notice waits for it until then.
    .addColumn('emailed_at', 'text')
    .execute()
  await db.schema.createIndex('notices_user_unseen').on('notices').columns(['user_id', 'seen_at', 'id']).execute()

  await db.schema
    .createTable('calendar_tokens')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['calendar_tokens', 'notices', 'rsvps', 'event_themes', 'events']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('users').dropColumn('time_zone').execute()
}
