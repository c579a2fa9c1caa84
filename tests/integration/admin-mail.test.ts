// /admin/mail over real HTTP: who may see the outbox and retry a failed message, and that a
// retried message really goes out (the server runs the sender, writing .eml files by default).
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const { logPath, databasePath } = inject('server')

async function insertOutbox(fields: { to: string; status: string; lastError?: string | null; kind?: string; subject?: string }): Promise<number> {
  const now = new Date().toISOString()
  const { id } = (await db.one(sql`insert into mail_outbox (to_address, kind, message_id, subject, text_body, html_body, status, attempts, due_at, last_error, created_at, updated_at)
       values (${fields.to}, ${fields.kind ?? 'test'}, ${`<${randomBytes(16).toString('hex')}@localhost>`}, ${fields.subject ?? 'A test message'}, 'Plain text', '<p>HTML</p>', ${fields.status}, 1, ${now}, ${fields.lastError ?? null}, ${now}, ${now}) returning id`)) as { id: number }
  return id
}

const statusOf = async (id: number) => ((await db.one(sql`select status from mail_outbox where id = ${id}`)) as { status: string }).status

let member: Person
let moderator: Person
let admin: Person
let failedId: number
const failedTo = `bounced-${randomBytes(4).toString('hex')}@agency.example.gov`

beforeAll(async () => {
  ;[member, moderator, admin] = await Promise.all([signedIn(db, 'member'), signedIn(db, 'moderator'), signedIn(db, 'admin')])
  failedId = await insertOutbox({ to: failedTo, status: 'failed', lastError: '550 5.1.1 No such user here' })
})

describe('who can see the outbox', () => {
  it('sends anonymous visitors to sign in', async () => {
    const response = await new HttpClient().get('/admin/mail')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fadmin%2Fmail')
  })

  it('refuses members and moderators, and offers them no link to it', async () => {
    for (const person of [member, moderator]) {
      const response = await person.client.get('/admin/mail')
      expect(response.status).toBe(403)
      expect(await response.text()).not.toContain(failedTo)
      expect(await (await person.client.get('/')).text()).not.toContain('href="/admin/mail"')
    }
  })

  it('shows admins each message with its status, attempts and the server’s answer, and links to it from their menu', async () => {
    expect(await (await admin.client.get('/')).text()).toContain('href="/admin/mail"')
    const response = await admin.client.get('/admin/mail?status=failed')
    expect(response.status).toBe(200)
    const main = decodeHtml(mainOf(await response.text()))
    expect(main).toContain('<h1>Outgoing mail</h1>')
    expect(main).toMatch(/Failed \(\d+\)/)
    const rowHtml = main.slice(main.indexOf(failedTo))
    expect(rowHtml.slice(0, rowHtml.indexOf('</tr>'))).toContain('550 5.1.1 No such user here')
    expect(main).toMatch(new RegExp(`name="id" value="${failedId}"`))
  })

  it('answers a filter it does not know with 400', async () => {
    expect((await admin.client.get('/admin/mail?status=bogus')).status).toBe(400)
    expect((await admin.client.get('/admin/mail?before=-3')).status).toBe(400)
  })

  it('pages through many messages newest first, each exactly once', async () => {
    const tag = randomBytes(3).toString('hex')
    const inserted: number[] = []
    for (let i = 0; i < 55; i++) inserted.push(await insertOutbox({ to: `skip-${tag}-${i}@agency.example.gov`, status: 'skipped' }))
    const seen: string[] = []
    let path: string | null = '/admin/mail?status=skipped'
    while (path) {
      const main: string = decodeHtml(mainOf(await (await admin.client.get(path)).text()))
      seen.push(...[...main.matchAll(new RegExp(`<td>skip-${tag}-(\\d+)@`, 'g'))].map((m) => m[1]))
      path = /href="(\/admin\/mail\?[^"]*before=[^"]+)"[^>]*>Older messages<\/a>/.exec(main)?.[1] ?? null
    }
    expect(seen).toEqual(inserted.map((_, i) => String(i)).reverse())
  })
})

describe('retrying a failed message', () => {
  it('is refused to anonymous visitors, members and moderators, and changes nothing', async () => {
    const anonymous = await new HttpClient().post('/admin/mail', { id: String(failedId) })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?/)
    for (const person of [member, moderator]) {
      expect((await person.client.post('/admin/mail', { id: String(failedId) })).status).toBe(403)
    }
    expect(await statusOf(failedId)).toBe('failed')
  })

  it('answers bad input with 400 and a message that is not failed with 409', async () => {
    expect((await admin.client.post('/admin/mail', { id: 'not-a-number' })).status).toBe(400)
    expect((await admin.client.post('/admin/mail', {})).status).toBe(400)
    const sentId = await insertOutbox({ to: 'already-sent@agency.example.gov', status: 'sent' })
    const response = await admin.client.post('/admin/mail', { id: String(sentId) })
    expect(response.status).toBe(409)
    expect(await response.text()).toContain('nothing to retry')
    expect(await statusOf(sentId)).toBe('sent')
  })

  it('lets an admin send it again: the server’s sender delivers it to an .eml file and logs where', async () => {
    const response = await admin.client.post('/admin/mail?status=failed', { id: String(failedId) })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/admin/mail?status=failed')

    const deadline = Date.now() + 10_000
    while (await statusOf(failedId) !== 'sent' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(await statusOf(failedId)).toBe('sent')

    const messageId = ((await db.one(sql`select message_id from mail_outbox where id = ${failedId}`)) as { message_id: string }).message_id
    const local = messageId.slice(1, messageId.indexOf('@'))
    const logLine = readFileSync(logPath, 'utf8')
      .split('\n')
      .find((line) => line.includes(local))
    expect(logLine).toBeDefined()
    const file = /wrote (\S+\.eml)/.exec(logLine!)![1]
    expect(dirname(file)).toBe(join(dirname(databasePath), 'mail'))
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8')).toContain(`Message-ID: ${messageId}`)
    expect(readFileSync(file, 'utf8')).toContain(`To: ${failedTo}`)
  })
})
