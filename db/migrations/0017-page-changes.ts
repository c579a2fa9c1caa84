import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per committed write: what it changed, as page-cache tags ("thread:12 threads", "*"
  // for anything). Every server process reads the rows it has not seen to retire only the pages
  // that show those things. AUTOINCREMENT keeps ids rising after old rows are pruned, so a
  // reader can tell a gap (rows it never saw) from no change.
  await sql`create table page_changes (id integer primary key autoincrement, tags text not null)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists page_changes`.execute(db)
}
