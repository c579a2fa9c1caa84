// When the database cannot write (here: read-only, as a full disk makes it in effect), the
// writes a page view makes in passing are skipped and the member still gets the page.
import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { db, dialectOf, recentWriteFailure } from '../../db/client'
import { createSession, generateSessionToken, SESSION_DURATION_MS, validateSessionToken } from '../../app/models/session.server'
import { getReadMarker, markThreadRead } from '../../app/models/thread.server'
import { insertMember } from '../helpers/model-fixtures'

/**
 * Makes the database refuse writes: SQLite's one connection set query_only; on PostgreSQL the
 * database made read-only for new sessions and the pool's connections ended, so it opens new ones.
 */
async function setReadOnly(readOnly: boolean) {
  if (dialectOf() === 'sqlite') {
    await sql`pragma query_only = ${sql.raw(readOnly ? '1' : '0')}`.execute(db)
    return
  }
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
  try {
    // This session may itself have begun read-only, when it makes the database writable again.
    await admin.query('set default_transaction_read_only = off')
    const { rows } = await admin.query<{ name: string }>('select current_database() as name')
    await admin.query(`alter database "${rows[0].name}" ${readOnly ? 'set default_transaction_read_only = on' : 'reset default_transaction_read_only'}`)
    // Only this role's own connections: an autovacuum worker may be in the database too, and only
    // a superuser may end it.
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and usename = current_user`,
    )
  } finally {
    await admin.end()
  }
}
const writesFail = () => setReadOnly(true)
afterEach(() => setReadOnly(false))
const READ_ONLY_CODE = () => (dialectOf() === 'sqlite' ? /^SQLITE_READONLY/ : /^25006$/)

describe('reading while writes fail', () => {
  it('keeps a session valid when its renewal cannot be saved, without claiming it was renewed', async () => {
    const member = await insertMember()
    const token = generateSessionToken()
    await createSession(token, member.id)
    const nearlyExpired = new Date(Date.now() + SESSION_DURATION_MS / 10)
    await db.updateTable('sessions').set({ expires_at: nearlyExpired.toISOString() }).where('user_id', '=', member.id).execute()

    await writesFail()
    const session = await validateSessionToken(token)
    expect(session?.user.id).toBe(member.id)
    expect(session?.renewed).toBe(false)
    expect(session?.expiresAt.toISOString()).toBe(nearlyExpired.toISOString())
    expect(recentWriteFailure()?.code).toMatch(READ_ONLY_CODE())
  })

  it('skips a read marker that cannot be saved', async () => {
    const member = await insertMember()
    await writesFail()
    await expect(markThreadRead(member.id, 1, 3)).resolves.toBeUndefined()
    expect(await getReadMarker(member.id, 1)).toBe(0)
  })
})
