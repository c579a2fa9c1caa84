// A full disk, reproduced with DATABASE_MAX_BYTES (SQLite's max_page_count): the member gets
// a 503 with their form and text back, the log names the real cause, /healthz reports it.
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { type RunningServer, startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'
import { errorSummary, textareaValue } from './support'

let server: RunningServer
let member: HttpClient
let threadPath: string


beforeAll(async () => {
  const roomy = await startServer()
  threadPath = await threadByNewMember(roomy.baseUrl, 'What filled the disk on go-live night')
  member = new HttpClient(undefined, roomy.baseUrl)
  await joinAsNewMember(member)
  await roomy.stop()

  // The file as it is, with no free pages left: the next write that needs a page finds the disk full.
  const file = new Database(roomy.databasePath)
  file.exec('vacuum')
  const bytes = (file.pragma('page_count', { simple: true }) as number) * (file.pragma('page_size', { simple: true }) as number)
  file.close()
  server = await startServer({ DATABASE_PATH: roomy.databasePath, DATABASE_MAX_BYTES: String(bytes) })
  member = Object.assign(new HttpClient(member.ip, server.baseUrl), { cookies: member.cookies })
}, 120_000)

afterAll(() => server?.stop())

describe('a full disk', () => {
  it('answers a reply with 503, a plain message and the typed text still in the form', async () => {
    const typed = `Here is what we learned, at length. ${'We should have rotated the logs. '.repeat(500)}`
    const response = await member.post(threadPath, { intent: 'reply', body: typed })
    expect(response.status).toBe(503)
    const html = await response.text()
    expect(errorSummary(html).join(' ')).toMatch(/cannot save anything right now.*Nothing you did caused it/)
    expect(textareaValue(html, 'body')).toBe(typed)
  })

  it('logs the real cause (SQLITE_FULL), never a failed rollback', () => {
    expect(server.output()).toMatch(/SQLITE_FULL|database or disk is full/)
    expect(server.output()).not.toMatch(/cannot rollback/)
  })

  it('makes /healthz answer 503 and say that writes are failing', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`)
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ ok: false, writable: false, writeError: expect.stringMatching(/SQLITE_FULL/) })
  })

  it('keeps serving pages to readers', async () => {
    const response = await member.get(threadPath)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('What filled the disk on go-live night')
  })
})
