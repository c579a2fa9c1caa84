// Small helpers shared by the integration tests: reading the server's database beside it, and
// reading what a browser would see in a response (cookies, form fields, error messages).
import { createHash, randomInt } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { sql } from 'kysely'
import { inject } from 'vitest'
import { type DatabaseAddress, openServerDatabase as openDatabaseOf, type ServerDatabase as BaseServerDatabase } from '../helpers/server-database'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import type { Fields } from './events-support'

export interface UserRow {
  id: number
  email: string
  handle: string
  display_name: string
  password_hash: string | null
  role: string
  is_demo: number
  created_at: string
}

export interface SessionRow {
  id: string
  user_id: number
  expires_at: string
  created_at: string
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** The running server's database (the suite's shared server unless another is named), opened beside it. Close it in afterAll. */
export function openServerDatabase(server: DatabaseAddress = inject('server')) {
  const db = openDatabaseOf(server)
  return {
    ...db,
    userByEmail: (email: string) => db.one<UserRow>(sql`select * from users where email = ${email.trim().toLowerCase()}`),
    userByHandle: (handle: string) => db.one<UserRow>(sql`select * from users where handle = ${handle.toLowerCase()}`),
    sessionById: (id: string) => db.one<SessionRow>(sql`select * from sessions where id = ${id}`),
    sessionsOfUser: (userId: number) => db.all<SessionRow>(sql`select * from sessions where user_id = ${userId} order by created_at`),
    setSessionExpiry: (id: string, expiresAt: Date) => db.run(sql`update sessions set expires_at = ${expiresAt.toISOString()} where id = ${id}`),
  }
}

export type ServerDatabase = ReturnType<typeof openServerDatabase>

export type Role = 'member' | 'moderator' | 'admin'

/** A member who joined over HTTP, with the client that is signed in as them. */
export interface Person {
  client: HttpClient
  id: number
  handle: string
  email: string
  displayName: string
}

/**
 * A new member, joined over HTTP (with `overrides` for any join field) and signed in, then given
 * `role` in the server's database. Handle, email and display name are as the database stores them.
 */
export async function signedIn(db: ServerDatabase, role: Role = 'member', overrides: Record<string, string> = {}): Promise<Person> {
  const client = new HttpClient()
  const { handle } = await joinAsNewMember(client, overrides)
  const user = (await db.userByHandle(handle))!
  if (role !== 'member') await db.run(sql`update users set role = ${role} where id = ${user.id}`)
  return { client, id: user.id, handle: user.handle, email: user.email, displayName: user.display_name }
}

/** Makes a member's account two days old with a confirmed address, so their flags count toward hiding a post. */
export async function makeEstablished(db: ServerDatabase, person: { id: number }) {
  const twoDaysAgo = new Date(Date.now() - 2 * DAY_MS).toISOString()
  await db.run(sql`update users set created_at = ${twoDaysAgo}, email_verified_at = coalesce(email_verified_at, ${twoDaysAgo}) where id = ${person.id}`)
}

/** What a member who may read but not take part is told when they try to write. */
export const PARTICIPATION_REFUSALS = {
  unconfirmed: 'Confirm your email address before you take part: follow the link we sent you.',
  silenced: 'A moderator has made your account read-only for now.',
} as const
export type Restriction = keyof typeof PARTICIPATION_REFUSALS
export const RESTRICTIONS = Object.keys(PARTICIPATION_REFUSALS) as Restriction[]

/** Makes a signed-in member one who may read but not take part: their address unconfirmed, or silenced for a day. */
export async function restrict(db: ServerDatabase, person: { id: number }, restriction: Restriction) {
  if (restriction === 'unconfirmed') await db.run(sql`update users set email_verified_at = null where id = ${person.id}`)
  else await db.run(sql`update users set silenced_until = ${new Date(Date.now() + DAY_MS).toISOString()} where id = ${person.id}`)
}

/** An address no other client uses, for tests about per-IP limits. */
export function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The raw session token in the client's `sp_session` cookie. Remix cookies without secrets
 * hold base64 of the JSON value, URI-encoded.
 */
export function sessionToken(client: HttpClient): string {
  const value = client.cookies.get('sp_session')
  if (!value) throw new Error('the client has no sp_session cookie')
  const token: unknown = JSON.parse(Buffer.from(decodeURIComponent(value), 'base64').toString('utf8'))
  if (typeof token !== 'string') throw new Error(`sp_session does not hold a string: ${String(token)}`)
  return token
}

/** The id the database keeps for the client's session: SHA-256 (hex) of its token. */
export const sessionIdOf = (client: HttpClient) => sha256Hex(sessionToken(client))

/** A second client that presents the same cookies (another tab, or a thief with a copy). */
export function cloneClient(client: HttpClient, ip?: string): HttpClient {
  const copy = new HttpClient(ip)
  for (const [name, value] of client.cookies) copy.cookies.set(name, value)
  return copy
}

export interface SetCookie {
  value: string
  /** Attribute names in lower case; flags map to ''. */
  attributes: Map<string, string>
}

export function setCookie(response: Response, name: string): SetCookie | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  if (!header) return undefined
  const [pair, ...rest] = header.split(';').map((part) => part.trim())
  const attributes = new Map<string, string>()
  for (const attribute of rest) {
    const eq = attribute.indexOf('=')
    attributes.set((eq < 0 ? attribute : attribute.slice(0, eq)).toLowerCase(), eq < 0 ? '' : attribute.slice(eq + 1))
  }
  return { value: pair.slice(name.length + 1), attributes }
}

/** True when the response tells the browser to delete the cookie. */
export function clearsCookie(response: Response, name: string): boolean {
  const cookie = setCookie(response, name)
  if (!cookie) return false
  const expires = cookie.attributes.get('expires')
  return cookie.attributes.get('max-age') === '0' || (!!expires && Date.parse(expires) <= Date.now())
}

export function signIn(client: HttpClient, email: string, password: string, extra: Record<string, string> = {}) {
  return client.post('/login', { email, password, ...extra })
}

/** A POST carrying exactly the given headers: no Origin unless the test sends one. */
export function rawPost(client: HttpClient, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return client.request(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  })
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" }
export const decodeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity])

/** A GET to the shared test server with exactly the headers given (fetch will not send a foreign Host). */
export function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(inject('server').baseUrl)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The page's title, as a screen reader announces it. */
export const titleOf = (html: string) => decodeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '')

/** The page's <main> element: what the member reads, without the layout. */
export function mainOf(html: string): string {
  return /<main\b[\s\S]*<\/main>/.exec(html)?.[0] ?? ''
}

/** The <input> (or <select> opening) tag of a form field. */
export function fieldTag(html: string, name: string): string | undefined {
  return new RegExp(`<(?:input|select)\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0]
}

/** The message shown next to a field, or undefined. */
export function fieldError(html: string, name: string): string | undefined {
  const match = new RegExp(
    `<span class="field-error" id="${name}-error"><span class="visually-hidden">Error: </span>([^<]*)</span>`,
  ).exec(html)
  return match ? decodeHtml(match[1]) : undefined
}

/** The messages in the error summary at the top of a form. */
export function errorSummary(html: string): string[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<li>(?:<a [^>]*>)?([^<]*)/g)].map((m) => decodeHtml(m[1]))
}

/** What a re-rendered <textarea> holds (React writes its value as the element's text). */
export function textareaValue(html: string, name: string): string | undefined {
  const match = new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)
  return match ? decodeHtml(match[1]).replace(/^\n/, '') : undefined
}

/** The value a re-rendered text input shows. */
export function fieldValue(html: string, name: string): string | undefined {
  const tag = fieldTag(html, name)
  const value = tag && /\bvalue="([^"]*)"/.exec(tag)
  return value ? decodeHtml(value[1]) : undefined
}

/**
 * The case submission form (`/cases/new`) filled in as a member would, with a title of its own;
 * `overrides` replaces any field.
 */
export function caseForm(overrides: Fields = {}): Fields {
  return {
    title: `A benefits rollout case ${randomInt(1e9).toString(36)}`,
    summary: 'The rules engine was not ready when the date arrived.',
    level: 'local',
    domain: 'benefits-and-eligibility',
    jurisdiction: 'A mid-size county human services agency',
    budgetBand: '10m-100m',
    contractModel: 'Fixed-price systems integrator',
    years: '2019-2021',
    whatHappened: 'We launched before the rules were tested, and the queue grew for months.',
    primaryMode: 'broken-handoffs',
    primaryHow: 'The launch date was fixed before the scope was known',
    contributingMode: ['untested-assumptions'],
    contributingHow: ['Nobody checked the eligibility rules against real cases'],
    phases: ['testing'],
    rootCauses: 'A fixed date\nNo product owner',
    lessons: 'Test the rules with real cases',
    recommendations: 'Run the old and new engines side by side',
    correctiveAction: ['Brought in a recovery team'],
    correctiveWorked: ['partly'],
    correctiveNote: ['Backlog halved in six months'],
    outcome: 'recovered',
    outcomeDetail: 'Claims were late for a quarter.',
    sourceTitle: [],
    sourcePublisher: [],
    sourceNumber: [],
    sourceDate: [],
    provenance: 'first-hand',
    firstHandStatement: 'I ran the claims service during the rollout',
    ...overrides,
  }
}

/** The whole readiness questionnaire answered at `level`, as its form sends it; `extra` adds the intent and project. */
export async function readinessForm(db: BaseServerDatabase, level: 'not-yet' | 'partly' | 'mostly' | 'fully', extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const slugs = (await db.all<{ slug: string }>(sql`select slug from readiness_questions order by slug`)).map((q) => q.slug)
  return { ...Object.fromEntries(slugs.flatMap((slug) => [[`answer-${slug}`, level], [`note-${slug}`, '']])), ...extra }
}

/**
 * Reads until `done` holds (or 10 s pass) and returns the last reading: for what the server's
 * background jobs (notification fan-out, the mail sender) write a moment after a request.
 */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}
