// Session cookies and their database rows, as a member (or someone holding a copy of the
// database or an old cookie) would meet them.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import {
  clearsCookie,
  cloneClient,
  DAY_MS,
  openServerDatabase,
  type SessionRow,
  sessionIdOf,
  sessionToken,
  setCookie,
  sha256Hex,
  signIn,
} from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const THIRTY_DAYS_MS = 30 * DAY_MS
const MINUTE_MS = 60_000

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, Secure and lasts 30 days', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const response = await signIn(new HttpClient(), member.email, member.password)
    expect(response.status).toBe(302)

    const cookie = setCookie(response, 'sp_session')
    expect(cookie).toBeDefined()
    const { attributes } = cookie!
    expect(attributes.has('httponly')).toBe(true)
    expect(attributes.get('samesite')?.toLowerCase()).toBe('lax')
    expect(attributes.get('path')).toBe('/')
    expect(attributes.has('secure')).toBe(true)
    const expires = Date.parse(attributes.get('expires') ?? '')
    expect(Math.abs(expires - (Date.now() + THIRTY_DAYS_MS))).toBeLessThan(2 * MINUTE_MS)
  })

  it('holds a random token of at least 128 bits, different for every session', async () => {
    const first = new HttpClient()
    const member = await joinAsNewMember(first)
    const second = new HttpClient()
    expect((await signIn(second, member.email, member.password)).status).toBe(302)

    const tokens = [sessionToken(first), sessionToken(second)]
    for (const token of tokens) {
      expect(token).toMatch(/^[a-z2-7]+$/) // base32: 5 bits a character
      expect(token.length * 5).toBeGreaterThanOrEqual(128)
    }
    expect(tokens[0]).not.toBe(tokens[1])
  })
})

describe('session rows', () => {
  it('store only the SHA-256 of the token, never the token itself', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const token = sessionToken(client)
    const user = (await db.userByEmail(member.email))!

    const row = await db.sessionById(sha256Hex(token))
    expect(row?.user_id).toBe(user.id)
    expect(row!.id).toMatch(/^[0-9a-f]{64}$/)

    const everyRow = (await db.all(sql`select * from sessions`)) as Record<string, unknown>[]
    expect(everyRow.length).toBeGreaterThan(0)
    for (const sessionRow of everyRow) {
      for (const value of Object.values(sessionRow)) {
        expect(String(value)).not.toContain(token)
      }
    }
  })

  it('are new on every sign-in, even when the browser already holds a session cookie', async () => {
    const joined = new HttpClient()
    const member = await joinAsNewMember(joined)
    const userId = (await db.userByEmail(member.email))!.id

    const client = new HttpClient()
    expect((await signIn(client, member.email, member.password)).status).toBe(302)
    const firstId = sessionIdOf(client)
    // Signing in again from the same browser must not keep (fixate) the session it presented.
    expect((await signIn(client, member.email, member.password)).status).toBe(302)
    const secondId = sessionIdOf(client)

    expect(firstId).not.toBe(secondId)
    const ids = (await db.sessionsOfUser(userId)).map((s) => s.id)
    expect(ids).toEqual(expect.arrayContaining([sessionIdOf(joined), firstId, secondId]))
    expect(new Set(ids).size).toBe(3)
  })
})

describe('signing out', () => {
  it('deletes the session row, clears the cookie, and the old cookie no longer works', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)
    const stolenCopy = cloneClient(client)

    const response = await client.post('/logout', {})
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/')
    expect(clearsCookie(response, 'sp_session')).toBe(true)
    expect(client.cookies.has('sp_session')).toBe(false)
    expect(await db.sessionById(sessionId)).toBeUndefined()

    const replay = await stolenCopy.get('/settings')
    expect(replay.status).toBe(302)
    expect(replay.headers.get('location')).toBe('/login?redirectTo=%2Fsettings')
  })

  it('shows the visitor as signed out afterwards', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    expect(await (await client.get('/')).text()).toContain(member.displayName)

    await client.post('/logout', {})
    const home = await (await client.get('/')).text()
    expect(home).not.toContain(member.displayName)
    expect(home).toContain('href="/login"')
  })
})

describe('session expiry', () => {
  it('refuses an expired session and deletes its row', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)
    await db.setSessionExpiry(sessionId, new Date(Date.now() - 1000))

    const response = await client.get('/settings')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fsettings')
    expect(await db.sessionById(sessionId)).toBeUndefined()

    // The next page load tells the browser to drop the dead cookie.
    const home = await client.get('/')
    expect(clearsCookie(home, 'sp_session')).toBe(true)
  })

  it('refuses a made-up token', async () => {
    const client = new HttpClient()
    client.cookies.set('sp_session', encodeURIComponent(Buffer.from(JSON.stringify('a'.repeat(32))).toString('base64')))
    const response = await client.get('/settings')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fsettings')
  })

  it('slides a session with less than 15 days left forward to 30 days', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)
    await db.setSessionExpiry(sessionId, new Date(Date.now() + 14 * DAY_MS))

    const response = await client.get('/settings')
    expect(response.status).toBe(200)
    const row = await db.sessionById(sessionId) as SessionRow
    expect(Math.abs(Date.parse(row.expires_at) - (Date.now() + THIRTY_DAYS_MS))).toBeLessThan(MINUTE_MS)

    // The browser is told the new expiry too, so the cookie does not die before the session.
    const expires = Date.parse(setCookie(response, 'sp_session')?.attributes.get('expires') ?? '')
    expect(Math.abs(expires - (Date.now() + THIRTY_DAYS_MS))).toBeLessThan(2 * MINUTE_MS)
  })

  it('leaves a session with more than 15 days left as it is', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const sessionId = sessionIdOf(client)
    const twentyDays = new Date(Date.now() + 20 * DAY_MS)
    await db.setSessionExpiry(sessionId, twentyDays)

    expect((await client.get('/settings')).status).toBe(200)
    expect((await db.sessionById(sessionId))?.expires_at).toBe(twentyDays.toISOString())
  })
})
