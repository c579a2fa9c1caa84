import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // Who came, recorded by an organizer after the event from the going list.
  await db.schema.alterTable('rsvps').addColumn('attended', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // A member's own choice to be named under "who's going"; hidden unless they ask.
  await db.schema.alterTable('rsvps').addColumn('shown_as_going', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('events').addColumn('walk_in_count', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // Null until an organizer records attendance: "0 attended" and "not recorded" differ.
  await db.schema.alterTable('events').addColumn('attended_count', 'integer').execute()
  await db.schema.alterTable('events').addColumn('attendance_recorded_at', 'text').execute()
  await sql`create index rsvps_shown_as_going on rsvps (event_id, updated_at) where status = 'going' and shown_as_going = 1`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists rsvps_shown_as_going`.execute(db)
  for (const column of ['attendance_recorded_at', 'attended_count', 'walk_in_count']) {
    await db.schema.alterTable('events').dropColumn(column).execute()
  }
  await db.schema.alterTable('rsvps').dropColumn('shown_as_going').execute()
  await db.schema.alterTable('rsvps').dropColumn('attended').execute()
}
