import { sql } from 'kysely'
import { db } from '../../db/client'

/** True when the database answers a query (and the schema is in place). */
export async function isDatabaseHealthy(): Promise<boolean> {
  try {
    const row = await sql<{ ok: number }>`select count(*) >= 0 as ok from users`.execute(db)
    return row.rows[0]?.ok === 1
  } catch {
    return false
  }
}
