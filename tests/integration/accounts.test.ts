// Joining and signing in, including what the forms tell people and what they refuse to an attacker.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import {
  errorSummary,
  fieldError,
  fieldTag,
  fieldValue,
  mainOf,
  openServerDatabase,
  signIn,
  uniqueIp,
} from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const WRONG_CREDENTIALS = 'The email address or password is not correct'
const THROTTLED = 'Too many failed sign-in attempts'

describe('joining', () => {
  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'email', 'Enter an email address in the correct format'],
    ['a handle with spaces', { handle: 'has spaces' }, 'handle', 'Handle can only use letters, numbers, hyphens and underscores'],
    ['an 11-character password', { password: 'a'.repeat(11) }, 'password', 'Password must be at least 12 characters'],
    ['a 257-character password', { password: 'a'.repeat(257) }, 'password', 'Password must be 256 characters or fewer'],
  ])('refuses %s with a message next to the field', async (_, override, field, message) => {
    const fields = memberFields(override)
    const response = await new HttpClient().post('/join', fields)
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, field)).toContain(message)
    expect(errorSummary(html).join('\n')).toContain(message)
    expect(fieldTag(html, field)).toContain('aria-invalid="true"')
    expect(fieldTag(html, field)).toContain(`aria-describedby="${field}-hint ${field}-error"`)
    expect(response.headers.getSetCookie().some((c) => c.startsWith('sp_session='))).toBe(false)
    expect(await db.userByHandle(fields.handle.trim())).toBeUndefined()
  })

  it('accepts a 256-character password and never truncates it', async () => {
    const password = randomBytes(192).toString('base64') // 256 characters
    expect(password).toHaveLength(256)
    const member = await joinAsNewMember(new HttpClient(), { password })

    expect((await signIn(new HttpClient(), member.email, password.slice(0, 255))).status).toBe(401)
    expect((await signIn(new HttpClient(), member.email, password)).status).toBe(302)
  })

  it('answers an email that already has an account (in any case) exactly as a new one, and creates nothing', async () => {
    const first = await joinAsNewMember(new HttpClient())
    const known = await new HttpClient().post('/join', memberFields({ email: ` ${first.email.toUpperCase()} ` }))
    const fresh = await new HttpClient().post('/join', memberFields())
    expect(known.status).toBe(302)
    expect(fresh.status).toBe(302)
    expect(known.headers.get('location')).toBe('/join/check-email')
    expect(fresh.headers.get('location')).toBe('/join/check-email')
    expect(known.headers.getSetCookie()).toEqual(fresh.headers.getSetCookie())
    expect(await known.text()).toBe(await fresh.text())
    expect(await db.one(sql`select count(*) as n from users where email = ${first.email}`)).toEqual({ n: 1 })
  })

  it('refuses a handle that is taken (in any case) with 409', async () => {
    const first = await joinAsNewMember(new HttpClient())
    const second = memberFields({ handle: first.handle.toUpperCase() })
    const response = await new HttpClient().post('/join', second)
    expect(response.status).toBe(409)
    expect(fieldError(await response.text(), 'handle')).toContain('That handle is taken')
    expect(await db.userByEmail(second.email)).toBeUndefined()
  })

  it('creates exactly one account when the same email joins several times at once', async () => {
    const fields = memberFields()
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => new HttpClient().post('/join', { ...fields, handle: `${fields.handle}-${i}` })),
    )
    // Every one gets the same answer: which of them created the account is not for them to learn.
    expect(responses.map((r) => r.status)).toEqual([302, 302, 302, 302, 302])
    expect(await db.one(sql`select count(*) as n from users where email = ${fields.email}`)).toEqual({ n: 1 })
  })

  it('keeps what was typed in the re-rendered form, but never the password', async () => {
    const fields = memberFields({
      handle: 'bad handle!',
      password: 'my secret passphrase 1234',
      memberType: 'advisor',
      governmentLevel: 'tribal',
      organization: 'Office of <Digital> Services',
    })
    const response = await new HttpClient().post('/join', fields)
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldValue(html, 'email')).toBe(fields.email)
    expect(fieldValue(html, 'displayName')).toBe(fields.displayName)
    expect(fieldValue(html, 'handle')).toBe(fields.handle)
    expect(fieldValue(html, 'organization')).toBe(fields.organization)
    expect(html).toMatch(/<option value="advisor" selected="">/)
    expect(html).toMatch(/<option value="tribal" selected="">/)
    expect(fieldValue(html, 'password')).toBeUndefined()
    expect(html).not.toContain(fields.password) // nor in the hydration data
  })

  it('treats a filled-in honeypot as a bot: 400 and no account', async () => {
    const fields = memberFields({ website: 'https://spam.example' })
    const response = await new HttpClient().post('/join', fields)
    expect(response.status).toBe(400)
    expect(errorSummary(await response.text())).toContain('We could not create your account. Please try again.')
    expect(response.headers.getSetCookie().some((c) => c.startsWith('sp_session='))).toBe(false)
    expect(await db.userByEmail(fields.email)).toBeUndefined()
  })

  it('stores the password as an argon2id hash with the OWASP parameters', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const hash = (await db.userByEmail(member.email))?.password_hash ?? ''
    expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true)
    expect(hash).not.toContain(member.password)
  })

  it('does not sign the new member in: it asks them to check their email', async () => {
    const client = new HttpClient()
    const response = await client.post('/join', memberFields({ redirectTo: '/settings' }))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/join/check-email')
    expect(client.cookies.has('sp_session')).toBe(false)
  })
})

describe('signing in', () => {
  it('gives an unknown email and a wrong password the same answer', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const unknownEmail = memberFields().email

    const wrongPassword = await signIn(new HttpClient(), member.email, 'not the right password')
    const unknown = await signIn(new HttpClient(), unknownEmail, 'not the right password')
    expect(wrongPassword.status).toBe(401)
    expect(unknown.status).toBe(401)

    const wrongPage = mainOf(await wrongPassword.text())
    const unknownPage = mainOf(await unknown.text())
    expect(errorSummary(wrongPage)).toEqual([WRONG_CREDENTIALS])
    expect(errorSummary(unknownPage)).toEqual([WRONG_CREDENTIALS])
    // Apart from the email typed back into the form, the two pages are the same.
    expect(wrongPage.replaceAll(member.email, 'EMAIL')).toBe(unknownPage.replaceAll(unknownEmail, 'EMAIL'))
    expect(wrongPage).not.toContain('not the right password')
  })

  it('signs a member in with the right password', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const client = new HttpClient()
    const response = await signIn(client, ` ${member.email.toUpperCase()} `, member.password)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/')
    expect(await (await client.get('/')).text()).toContain(member.displayName)
  })

  it('honours redirectTo for a same-site path', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const response = await signIn(new HttpClient(), member.email, member.password, { redirectTo: '/members/admin?tab=1' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/members/admin?tab=1')
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', 'javascript:alert(1)'])(
    'ignores redirectTo=%j and goes home instead',
    async (redirectTo) => {
      const member = await joinAsNewMember(new HttpClient())
      const response = await signIn(new HttpClient(), member.email, member.password, { redirectTo })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/')
    },
  )

})

describe('sign-in throttling', () => {
  /** Ten wrong passwords for one account, each from a different address. */
  async function failTenTimes(email: string) {
    for (let i = 0; i < 10; i++) {
      const response = await signIn(new HttpClient(uniqueIp()), email, `wrong password ${i}`)
      expect(response.status, `attempt ${i + 1}`).toBe(401)
    }
  }

  it('locks an account after 10 failures from different addresses, even for the right password', async () => {
    const member = await joinAsNewMember(new HttpClient())
    await failTenTimes(member.email)

    const client = new HttpClient(uniqueIp())
    const response = await signIn(client, member.email, member.password)
    expect(response.status).toBe(429)
    const [message] = errorSummary(await response.text())
    expect(message).toMatch(new RegExp(`^${THROTTLED}\\. For your security, wait \\d+ minutes? and try again\\.$`))
    expect(client.cookies.has('sp_session')).toBe(false)
  })

  it('tells a throttled browser when to retry with Retry-After', async () => {
    const member = await joinAsNewMember(new HttpClient())
    await failTenTimes(member.email)

    const response = await signIn(new HttpClient(uniqueIp()), member.email, member.password)
    expect(response.status).toBe(429)
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(Number.isInteger(retryAfter) && retryAfter >= 60).toBe(true)
    // The page and the header agree on the wait.
    const minutes = /wait (\d+) minute/.exec(errorSummary(await response.text())[0])?.[1]
    expect(retryAfter).toBe(Number(minutes) * 60)
  })

  it('cannot be outrun by guessing in parallel: at most 10 guesses are checked', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(new HttpClient(uniqueIp()), member.email, `parallel guess ${i}`)),
    )
    const checked = responses.filter((r) => r.status === 401).length
    const throttled = responses.filter((r) => r.status === 429).length
    expect(checked + throttled).toBe(30)
    expect(checked).toBeLessThanOrEqual(10)
  })

  it('throttles one address after 10 failures across accounts, but not other addresses', async () => {
    const member = await joinAsNewMember(new HttpClient())
    const attacker = new HttpClient(uniqueIp())
    for (let i = 0; i < 10; i++) {
      const response = await signIn(attacker, memberFields().email, 'guessing passwords')
      expect(response.status, `attempt ${i + 1}`).toBe(401)
    }

    const fromSameAddress = await signIn(attacker, member.email, member.password)
    expect(fromSameAddress.status).toBe(429)
    expect(errorSummary(await fromSameAddress.text())[0]).toContain(THROTTLED)

    const elsewhere = await signIn(new HttpClient(uniqueIp()), member.email, member.password)
    expect(elsewhere.status).toBe(302)
  })
})
