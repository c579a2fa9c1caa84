import { createHash } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { db, recordQueries } from '../../db/client'
import { getOptionalUser, sessionCookie } from '../../app/lib/auth.server'
import {
  SESSION_DURATION_MS,
  createSession,
  deleteExpiredSessions,
  generateSessionToken,
  invalidateOtherSessions,
  invalidateSession,
  sessionIdFromToken,
  validateSessionToken,
} from '../../app/models/session.server'

const DAY = 24 * 60 * 60 * 1000
let nextUser = 0

async function makeUser(): Promise<number> {
  const n = ++nextUser
  const now = new Date().toISOString()
  const { id } = await db
    .insertInto('users')
    .values({
      email: `session-user-${n}@agency.example.gov`,
      handle: `session-user-${n}`,
      display_name: `Session User ${n}`,
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash',
      member_type: 'practitioner',
      organization: 'Agency',
      government_level: 'state',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

async function newSession(userId: number): Promise<{ token: string; id: string }> {
  const token = generateSessionToken()
  await createSession(token, userId)
  return { token, id: sessionIdFromToken(token) }
}

async function setExpiry(sessionId: string, expiresAt: Date) {
  await db.updateTable('sessions').set({ expires_at: expiresAt.toISOString() }).where('id', '=', sessionId).execute()
}

function storedSession(sessionId: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst()
}

async function sessionIdsOf(userId: number): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('id').execute()
  return rows.map((r) => r.id)
}

describe('session tokens', () => {
  it('carry at least 128 bits of randomness (32 base32 characters = 160 bits)', () => {
    const token = generateSessionToken()
    expect(token).toMatch(/^[a-z2-7]{32}$/)
    expect(token.length * 5).toBeGreaterThanOrEqual(128)
  })

  it('1000 tokens are all different and use the whole alphabet', () => {
    const tokens = Array.from({ length: 1000 }, generateSessionToken)
    expect(new Set(tokens).size).toBe(1000)
    const seen = new Set(tokens.join(''))
    expect(seen.size).toBe(32)
    // Characters are spread across positions too, not a fixed prefix plus a counter.
    const firstChars = new Set(tokens.map((t) => t[0]))
    expect(firstChars.size).toBeGreaterThan(20)
  })

  it('the session id is the SHA-256 hex of the token, never the token itself', () => {
    const token = generateSessionToken()
    const id = sessionIdFromToken(token)
    expect(id).toBe(createHash('sha256').update(token).digest('hex'))
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect(id).not.toBe(token)
    expect(id).not.toContain(token)
    expect(sessionIdFromToken(token)).toBe(id)
    expect(sessionIdFromToken(generateSessionToken())).not.toBe(id)
  })
})

describe('createSession and validateSessionToken', () => {
  it('round-trips: the token in the cookie leads to its member, without the password hash', async () => {
    const userId = await makeUser()
    const token = generateSessionToken()
    const before = Date.now()
    const expiresAt = await createSession(token, userId)
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + SESSION_DURATION_MS)
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + SESSION_DURATION_MS)

    const session = await validateSessionToken(token)
    expect(session).not.toBeNull()
    expect(session!.id).toBe(sessionIdFromToken(token))
    expect(session!.expiresAt.getTime()).toBe(expiresAt.getTime())
    expect(session!.user).toEqual({
      id: userId,
      email: `session-user-${nextUser}@agency.example.gov`,
      handle: `session-user-${nextUser}`,
      display_name: `Session User ${nextUser}`,
      role: 'member',
      member_type: 'practitioner',
      organization: 'Agency',
      government_level: 'state',
      time_zone: null,
      email_verified_at: null,
      silenced_until: null,
      suspended_until: null,
    })
    expect(session!.user).not.toHaveProperty('password_hash')
    expect(JSON.stringify(session)).not.toContain('argon2')
  })

  it('stores only the hash: the raw token is nowhere in the database', async () => {
    const userId = await makeUser()
    const { token, id } = await newSession(userId)
    const row = await storedSession(id)
    expect(row?.user_id).toBe(userId)
    expect(await db.selectFrom('sessions').select('id').where('id', '=', token).executeTakeFirst()).toBeUndefined()
    // A leaked session id cannot be used as a cookie.
    expect(await validateSessionToken(id)).toBeNull()
  })

  it('an unknown or tampered token is not a session', async () => {
    const userId = await makeUser()
    const { token } = await newSession(userId)
    expect(await validateSessionToken(generateSessionToken())).toBeNull()
    expect(await validateSessionToken(`${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`)).toBeNull()
    expect(await validateSessionToken('')).toBeNull()
  })

  it('an expired session is refused and its row deleted', async () => {
    const userId = await makeUser()
    const { token, id } = await newSession(userId)
    await setExpiry(id, new Date(Date.now() - 1000))
    expect(await validateSessionToken(token)).toBeNull()
    expect(await storedSession(id)).toBeUndefined()
  })

  it('with under 15 days left, the expiry slides to about 30 days from now and is stored', async () => {
    const userId = await makeUser()
    const { token, id } = await newSession(userId)
    await setExpiry(id, new Date(Date.now() + 10 * DAY))

    const before = Date.now()
    const session = await validateSessionToken(token)
    const after = Date.now()
    expect(session).not.toBeNull()
    expect(session!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + SESSION_DURATION_MS)
    expect(session!.expiresAt.getTime()).toBeLessThanOrEqual(after + SESSION_DURATION_MS)
    expect((await storedSession(id))!.expires_at).toBe(session!.expiresAt.toISOString())
  })

  it('with more than 15 days left, the expiry stays where it was', async () => {
    const userId = await makeUser()
    const { token, id } = await newSession(userId)
    const expiry = new Date(Date.now() + 20 * DAY)
    await setExpiry(id, expiry)
    const session = await validateSessionToken(token)
    expect(session!.expiresAt.getTime()).toBe(expiry.getTime())
    expect((await storedSession(id))!.expires_at).toBe(expiry.toISOString())
  })

  it('a session ends when its member is deleted', async () => {
    const userId = await makeUser()
    const { token, id } = await newSession(userId)
    await db.deleteFrom('users').where('id', '=', userId).execute()
    expect(await validateSessionToken(token)).toBeNull()
    expect(await storedSession(id)).toBeUndefined()
  })
})

describe('ending sessions', () => {
  it('invalidateSession signs out that session only', async () => {
    const userId = await makeUser()
    const a = await newSession(userId)
    const b = await newSession(userId)
    await invalidateSession(a.id)
    expect(await validateSessionToken(a.token)).toBeNull()
    expect(await validateSessionToken(b.token)).not.toBeNull()
  })

  it('invalidateOtherSessions keeps only the given session of that member', async () => {
    const userId = await makeUser()
    const otherUserId = await makeUser()
    const keep = await newSession(userId)
    const stolen1 = await newSession(userId)
    const stolen2 = await newSession(userId)
    const someoneElse = await newSession(otherUserId)

    await invalidateOtherSessions(userId, keep.id)

    expect(await sessionIdsOf(userId)).toEqual([keep.id])
    expect(await validateSessionToken(stolen1.token)).toBeNull()
    expect(await validateSessionToken(stolen2.token)).toBeNull()
    expect(await validateSessionToken(keep.token)).not.toBeNull()
    expect(await validateSessionToken(someoneElse.token)).not.toBeNull()
  })

  it('invalidateOtherSessions cannot be used to keep another member\'s session alive', async () => {
    const userId = await makeUser()
    const otherUserId = await makeUser()
    const mine = await newSession(userId)
    const theirs = await newSession(otherUserId)
    await invalidateOtherSessions(userId, theirs.id)
    expect(await sessionIdsOf(userId)).toEqual([])
    expect(await validateSessionToken(mine.token)).toBeNull()
    expect(await sessionIdsOf(otherUserId)).toEqual([theirs.id])
  })

  it('deleteExpiredSessions removes expired rows and keeps live ones', async () => {
    const userId = await makeUser()
    const expired = await newSession(userId)
    const justExpired = await newSession(userId)
    const live = await newSession(userId)
    await setExpiry(expired.id, new Date(Date.now() - 40 * DAY))
    await setExpiry(justExpired.id, new Date(Date.now() - 1))
    await setExpiry(live.id, new Date(Date.now() + DAY))

    await deleteExpiredSessions()

    expect(await sessionIdsOf(userId)).toEqual([live.id])
    expect(await validateSessionToken(live.token)).not.toBeNull()
  })
})

describe('one page, one session lookup', () => {
  it('lets the loaders of one page, each with its own copy of the request, share a single lookup', async () => {
    const { token } = await newSession(await makeUser())
    const cookie = await sessionCookie.serialize(token)
    // Remix gives the root loader and the page's loader each a new Request of the same page.
    const copies = [0, 1, 2].map(() => new Request('http://localhost/discussions', { headers: { Cookie: cookie } }))
    const { result, queries } = await recordQueries(() => Promise.all(copies.map((request) => getOptionalUser(request))))
    expect(result.map((user) => user?.handle)).toEqual([result[0]?.handle, result[0]?.handle, result[0]?.handle])
    expect(result[0]).not.toBeNull()
    expect(queries.filter((query) => /from "sessions"/.test(query.sql))).toHaveLength(1)

    // Once settled, a later request looks again: a session ended meanwhile is not served from memory.
    await invalidateSession(sessionIdFromToken(token))
    expect(await getOptionalUser(new Request('http://localhost/discussions', { headers: { Cookie: cookie } }))).toBeNull()
  })
})
