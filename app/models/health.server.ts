import { sql } from 'kysely'
import { db, recentWriteFailure } from '../../db/client'

/** True when the database answers a query (and the schema is in place). */
export async function isDatabaseHealthy(): Promise<boolean> {
  try {
    const row = await sql<{ ok: number }>`select count(*) >= 0 as ok from users`.execute(db)
    return row.rows[0]?.ok === 1
  } catch {
    return false
  }
}

export interface Health {
  ok: boolean
  /** False when a write failed for the machine's reasons (a full disk, an I/O error) in the last 5 minutes. */
  writable: boolean
  writeError?: string
}

/** What /healthz reports: reads answered, and writes not failing. */
export async function checkHealth(): Promise<Health> {
  const readable = await isDatabaseHealthy()
  const failure = recentWriteFailure()
  if (!failure) return { ok: readable, writable: true }
  return { ok: false, writable: false, writeError: `${failure.code} at ${failure.at.toISOString()}: ${failure.message}` }
}
