import { type Kysely, sql } from 'kysely'
import { onPostgres } from './dialect'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per committed write: what it changed, as page-cache tags ("thread:12 threads", "*"
  // for anything). Every server process reads the rows it has not seen to retire only the pages
  // that show those things. AUTOINCREMENT keeps ids rising after old rows are pruned, so a
  // reader can tell a gap (rows it never saw) from no change.
  if (!onPostgres(db)) {
    await sql`create table page_changes (id integer primary key autoincrement, tags text not null)`.execute(db)
    return
  }
  // PostgreSQL's sequences give ids in the order they are asked for, not the order of commits:
  // the ids come from one counter row instead, locked by each commit until it ends (db/dialects/postgres.ts).
  await sql`create table page_changes (id bigint primary key, tags text not null)`.execute(db)
  await sql`create table page_change_counter (last_id bigint not null)`.execute(db)
  await sql`insert into page_change_counter (last_id) values (0)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists page_changes`.execute(db)
  await sql`drop table if exists page_change_counter`.execute(db)
}
