// Whatever a bot or an attacker sends to the forms, the answer is a 4xx page, never a 500.
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import { mainOf, openServerDatabase } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const HUGE = 'x'.repeat(100_000)

/** A urlencoded body with repeated keys, as `a=1&a=2`. */
function encode(fields: [string, string][]): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
}

function expectClientError(response: Response) {
  expect(response.status).toBeGreaterThanOrEqual(400)
  expect(response.status).toBeLessThan(500)
}

type Fields = ReturnType<typeof memberFields>
const form = (fields: Fields, overrides: Partial<Fields> = {}) => new URLSearchParams({ ...fields, ...overrides }).toString()

// Each body is built from a fresh member's fields; none of them may become an account.
const joinBodies: [string, (f: Fields) => string][] = [
  ['no fields at all', () => ''],
  ['only a password', (f) => encode([['password', f.password], ['email', f.email]])],
  ['every field twice (arrays)', (f) => encode(Object.entries(f).flatMap((e) => [e, e]))],
  ['two different emails', (f) => encode([...Object.entries(f), ['email', `x${f.email}`]])],
  ['a 100 KB email', (f) => form(f, { email: `${HUGE}@agency.example.gov` })],
  ['a 100 KB display name', (f) => form(f, { displayName: HUGE })],
  ['a 100 KB password', (f) => form(f, { password: HUGE })],
  ['a 100 KB organization', (f) => form(f, { organization: HUGE })],
  ['an emoji handle', (f) => form(f, { handle: '🚀🚀🚀' })],
  ['an emoji email', (f) => form(f, { email: '🚀@🚀' })],
  ['a NUL byte in the email', (f) => form(f, { email: `a\u0000${f.email}` })],
  ['a NUL byte in the handle', (f) => form(f, { handle: `${f.handle}\u0000x` })],
  ['an unknown member type', (f) => form(f, { memberType: 'superuser' })],
  ['broken percent-encoding', (f) => `${form(f)}&email=%E0%A4%A&handle=%&password=%zz`],
]

const loginBodies: [string, () => string][] = [
  ['no fields at all', () => ''],
  ['no password', () => encode([['email', memberFields().email]])],
  ['two emails and two passwords', () => encode([['email', 'a@agency.example.gov'], ['email', 'b@agency.example.gov'], ['password', 'x'], ['password', 'y']])],
  ['a 100 KB email', () => encode([['email', HUGE], ['password', 'whatever password']])],
  ['a 100 KB password', () => encode([['email', memberFields().email], ['password', HUGE]])],
  ['an emoji email and password', () => encode([['email', '🚀@🚀'], ['password', '🚀'.repeat(10)]])],
  ['NUL bytes', () => encode([['email', 'a\u0000@agency.example.gov'], ['password', 'pass\u0000word']])],
  ['broken percent-encoding', () => 'email=%E0%A4%A&password=%'],
]

function postRaw(path: string, body: BodyInit, contentType?: string, client = new HttpClient()) {
  const headers: Record<string, string> = { Origin: client.baseUrl }
  if (contentType) headers['Content-Type'] = contentType
  return client.request(path, { method: 'POST', body, headers })
}

describe('bad form input', () => {
  it.each(joinBodies)('POST /join with %s answers 4xx and creates no account', async (_, body) => {
    const fields = memberFields()
    const response = await postRaw('/join', body(fields), 'application/x-www-form-urlencoded')
    expectClientError(response)
    expect(mainOf(await response.text())).toContain('There is a problem')
    expect(await db.userByEmail(fields.email)).toBeUndefined()
    expect(await db.userByHandle(fields.handle)).toBeUndefined()
  })

  it.each(loginBodies)('POST /login with %s answers 4xx and signs nobody in', async (_, body) => {
    const client = new HttpClient()
    const response = await postRaw('/login', body(), 'application/x-www-form-urlencoded', client)
    expectClientError(response)
    expect(client.cookies.has('sp_session')).toBe(false)
  })

  it('accepts emoji where text is free-form, and shows it back intact', async () => {
    const member = await joinAsNewMember(new HttpClient(), { displayName: 'Ana 🚀 Pérez', organization: 'Oficina de 🛰️ datos' })
    const html = await (await new HttpClient().get(`/members/${member.handle}`)).text()
    expect(html).toContain('Ana 🚀 Pérez')
    expect(html).toContain('Oficina de 🛰️ datos')
  })
})

describe('bodies that are not forms', () => {
  const cases: [string, string, () => BodyInit, string | undefined][] = [
    ['/join', 'JSON', () => JSON.stringify(memberFields()), 'application/json'],
    ['/join', 'plain text', () => 'hello', 'text/plain'],
    ['/join', 'multipart with a broken body', () => 'garbage', 'multipart/form-data; boundary=xyz'],
    ['/login', 'JSON', () => JSON.stringify({ email: 'a@agency.example.gov', password: 'x' }), 'application/json'],
    ['/login', 'plain text', () => 'hello', 'text/plain'],
    ['/login', 'XML', () => '<login/>', 'application/xml'],
  ]

  it.each(cases)('POST %s with %s answers 4xx, not 500', async (path, _, body, contentType) => {
    const response = await postRaw(path, body(), contentType)
    expectClientError(response)
  })

  it('POST /settings with JSON from a signed-in member answers 4xx, not 500', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const response = await postRaw('/settings', JSON.stringify({ intent: 'profile' }), 'application/json', client)
    expectClientError(response)
  })

  it('a file where a text field belongs is refused with 4xx', async () => {
    const form = new FormData()
    for (const [name, value] of Object.entries(memberFields())) form.append(name, new Blob([value]), 'field.txt')
    const response = await postRaw('/join', form)
    expectClientError(response)
  })
})
