// When the database cannot write (here: read-only, as a full disk makes it in effect), the
// writes a page view makes in passing are skipped and the member still gets the page.
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { db, recentWriteFailure } from '../../db/client'
import { createSession, generateSessionToken, SESSION_DURATION_MS, validateSessionToken } from '../../app/models/session.server'
import { getReadMarker, markThreadRead } from '../../app/models/thread.server'
import { insertMember } from '../helpers/model-fixtures'

const writesFail = () => sql`pragma query_only = 1`.execute(db)
afterEach(() => sql`pragma query_only = 0`.execute(db))

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
    expect(recentWriteFailure()?.code).toMatch(/^SQLITE_READONLY/)
  })

  it('skips a read marker that cannot be saved', async () => {
    const member = await insertMember()
    await writesFail()
    await expect(markThreadRead(member.id, 1, 3)).resolves.toBeUndefined()
    expect(await getReadMarker(member.id, 1)).toBe(0)
  })
})
