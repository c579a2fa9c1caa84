// Helpers for the Events integration tests: members and events written straight into a
// server's database (for scale), forms with repeated fields, flash messages and calendars.
import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { writeTransaction } from '../../db/client'
import type { ServerKysely } from '../helpers/server-database'
import ICAL from 'ical.js'
import type { HttpClient } from '../helpers/http-client'

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

/** A session token in the app's own alphabet (base32, lower case, 160 bits). */
export function newSessionToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  return [...randomBytes(32)].map((byte) => alphabet[byte & 31]).join('')
}

/** The `sp_session` cookie value for a token: Remix cookies without secrets hold base64 of the JSON value. */
export const sessionCookieValue = (token: string) => encodeURIComponent(Buffer.from(JSON.stringify(token)).toString('base64'))

export interface InsertedMember {
  id: number
  handle: string
  email: string
  token: string
  /** The whole Cookie header for this member. */
  cookie: string
}

let batches = 0

/**
 * `count` members with live sessions, inserted in one transaction (no password hashing, no
 * join form): the fast way to get hundreds of signed-in members.
 */
export async function insertMembers(database: ServerKysely, count: number, role: 'member' | 'moderator' | 'admin' = 'member'): Promise<InsertedMember[]> {
  const batch = `${Date.now().toString(36)}${(++batches).toString(36)}${process.pid.toString(36)}`
  const now = new Date().toISOString()
  const expires = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString()
  return writeTransaction(async (trx) => {
    const members: InsertedMember[] = []
    for (let i = 0; i < count; i++) {
      const handle = `ev-${batch}-${i}`
      const email = `${handle}@load.example.gov`
      const { rows } = await sql<{ id: number }>`insert into users (email, handle, display_name, password_hash, role, member_type, organization, government_level, is_demo, time_zone, created_at, updated_at, email_verified_at)
        values (${email}, ${handle}, ${`Load member ${i}`}, null, ${role}, 'practitioner', 'A state agency', 'state', 0, null, ${now}, ${now}, ${now}) returning id`.execute(trx)
      const { id } = rows[0]
      const token = newSessionToken()
      await sql`insert into sessions (id, user_id, expires_at, created_at) values (${sha256Hex(token)}, ${id}, ${expires}, ${now})`.execute(trx)
      members.push({ id, handle, email, token, cookie: `sp_session=${sessionCookieValue(token)}` })
    }
    return members
  }, database)
}

export interface EventRef {
  id: number
  slug: string
  path: string
}

let inserted = 0

/** A published event written straight into the database. */
export async function insertEvent(
  database: ServerKysely,
  fields: { capacity?: number | null; format?: 'in-person' | 'virtual' | 'hybrid'; joinUrl?: string | null; startsAt?: string; endsAt?: string; status?: string; title?: string } = {},
): Promise<EventRef> {
  const n = ++inserted
  const title = fields.title ?? `Load test event ${n}`
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  const now = new Date().toISOString()
  const format = fields.format ?? 'in-person'
  const inPerson = format !== 'virtual'
  const { rows } = await sql<{ id: number }>`insert into events (slug, title, kind, description_md, description_html, starts_at, ends_at, time_zone, format, venue, address, join_url, capacity, hosts, speakers, status, created_at, updated_at)
    values (${slug}, ${title}, 'roundtable', 'Many people want in.', '<p>Many people want in.</p>', ${fields.startsAt ?? '2030-06-01T14:00:00.000Z'}, ${fields.endsAt ?? '2030-06-01T16:00:00.000Z'},
      'America/New_York', ${format}, ${inPerson ? 'Town Hall' : null}, ${inPerson ? '1 Main Street' : null}, ${fields.joinUrl ?? null}, ${fields.capacity ?? null}, '', '', ${fields.status ?? 'published'}, ${now}, ${now})
    returning id`.execute(database)
  const { id } = rows[0]
  return { id, slug, path: `/events/${id}/${slug}` }
}

export type Fields = Record<string, string | string[]>

export function formBody(fields: Fields): URLSearchParams {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  }
  return body
}

/** A browser form submission (repeated fields allowed) from a signed-in client. */
export function postFields(client: HttpClient, path: string, fields: Fields): Promise<Response> {
  return client.request(path, {
    method: 'POST',
    body: formBody(fields),
    headers: { Origin: client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

let titles = 0

/** The organizer form, filled in for a valid in-person event in 2030 (override any field). */
export function eventForm(overrides: Fields = {}): Fields {
  return {
    title: `Integration event ${Date.now().toString(36)} ${++titles} ${process.pid}`,
    kind: 'roundtable',
    description: 'Leaders compare notes on **cutover** planning.',
    starts: '2030-10-08T10:00',
    ends: '2030-10-08T12:00',
    timeZone: 'America/Chicago',
    format: 'in-person',
    venue: 'State Capitol, Room 210',
    address: '2 Capitol Square, Springfield',
    joinUrl: '',
    capacity: '',
    rsvpDeadline: '',
    hosts: 'SectorPulse team',
    speakers: 'A. Speaker',
    themes: ['broken-handoffs'],
    recap: '',
    ...overrides,
  }
}

/** The message a redirect left in the `sp_flash` cookie, or null. */
export function flashOf(response: Response): string | null {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('sp_flash='))
  if (!header) return null
  // base64(JSON) "." signature
  const value = decodeURIComponent(header.slice('sp_flash='.length).split(';')[0]).split('.')[0]
  if (!value) return null
  const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
  return typeof parsed === 'string' ? parsed : null
}

/** A calendar file parsed as a calendar app would. */
export function parseCalendar(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  const vevents = calendar.getAllSubcomponents('vevent')
  return { calendar, vevents, events: vevents.map((v) => new ICAL.Event(v)) }
}

/** RFC 5545 §3.1 framing problems in a calendar file (empty when it is well formed). */
export function framingProblems(ics: string): string[] {
  const problems: string[] = []
  if (!ics.endsWith('\r\n')) problems.push('does not end with CRLF')
  if (/[\r\n]/.test(ics.replace(/\r\n/g, ''))) problems.push('has a bare CR or LF')
  for (const line of ics.split('\r\n')) {
    if (Buffer.byteLength(line, 'utf8') > 75) problems.push(`line longer than 75 octets: ${line}`)
  }
  return problems
}

export const utcOf = (time: ICAL.Time) => `${time.zone?.tzid === 'UTC' ? '' : `[${time.zone?.tzid}]`}${time.toJSDate().toISOString()}`
