// The documented deployment: three app servers on one PostgreSQL database behind nginx (from
// Debian's packages). Members go on through nginx while one app server is killed, and 200
// simultaneous "Going" answers spread over the three servers give exactly the places there are.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { createSession, generateSessionToken } from '../../app/models/session.server'
import { createThread } from '../../app/models/thread.server'
import { HttpClient } from '../helpers/http-client'
import { insertMember } from '../helpers/model-fixtures'
import { type RunningNginx, startNginx } from '../helpers/nginx'
import { freePort, type RunningServer, startServer } from '../helpers/start-server'
import { insertEvent } from './events-support'

// Every machine of a deployment signs cookies alike (README, "Running on PostgreSQL").
const COOKIE_SECRET = 'scale-out-test-secret-shared-by-every-app-server'

let servers: RunningServer[] = []
let nginx: RunningNginx
let origin = ''

beforeAll(async () => {
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  const env = { DATABASE_URL: process.env.DATABASE_URL!, SITE_URL: origin, COOKIE_SECRET, TRUST_PROXY: '1' }
  // Started together on the empty database: one migrates and seeds while the others wait. The
  // third runs two worker processes (WEB_CONCURRENCY), as a machine with two cores would.
  servers = await Promise.all([startServer(env), startServer(env), startServer({ ...env, WEB_CONCURRENCY: '2' })])
  nginx = await startNginx(port, servers.map((s) => Number(new URL(s.baseUrl).port)))
}, 180_000)

afterAll(async () => {
  nginx?.stop()
  await Promise.all(servers.map((server) => (server.exitCode() === null ? server.stop() : undefined)))
})

/** A member with a confirmed address and a session, as a browser behind nginx holds it. */
async function signedInMember(): Promise<{ id: number; client: HttpClient }> {
  const member = await insertMember()
  const token = generateSessionToken()
  await createSession(token, member.id)
  const client = new HttpClient(undefined, origin)
  client.cookies.set('sp_session', encodeURIComponent(Buffer.from(JSON.stringify(token)).toString('base64')))
  return { id: member.id, client }
}

describe('three app servers behind nginx on one PostgreSQL database', () => {
  it('prepared the database once, however many started together', async () => {
    const seeded = servers.filter((server) => /Seeded an empty database/.test(server.output()))
    expect(seeded).toHaveLength(1)
    expect(Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0)
  })

  it('200 simultaneous "Going" answers spread over the three app servers give exactly 50 places and a strict waitlist', async () => {
    const event = await insertEvent(db, { capacity: 50, title: 'Capacity across servers' })
    const members = await Promise.all(Array.from({ length: 200 }, signedInMember))
    const answers = await Promise.all(
      members.map(async ({ client }, i) => {
        const direct = new HttpClient(client.ip, servers[i % servers.length].baseUrl)
        direct.cookies = client.cookies
        const response = await direct.request(event.path, {
          method: 'POST',
          body: new URLSearchParams({ intent: 'going' }),
          // The servers take SITE_URL (nginx) as their origin, whichever of them is asked.
          headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        })
        await response.arrayBuffer()
        return response.status
      }),
    )
    expect(answers.filter((status) => status !== 302)).toEqual([])
    const rows = await db.selectFrom('rsvps').select(['status', 'waitlist_ticket']).where('event_id', '=', event.id).execute()
    expect(rows).toHaveLength(200)
    expect(rows.filter((row) => row.status === 'going')).toHaveLength(50)
    // A strict line: every waiting member holds a ticket of their own.
    const tickets = rows.filter((row) => row.status === 'waitlisted').map((row) => row.waitlist_ticket)
    expect(tickets.every((ticket) => Number.isInteger(ticket))).toBe(true)
    expect(new Set(tickets).size).toBe(150)
    const counts = await db.selectFrom('events').select(['going_count', 'waitlist_count']).where('id', '=', event.id).executeTakeFirstOrThrow()
    expect(counts).toEqual({ going_count: 50, waitlist_count: 150 })
  }, 120_000)

  it('a member notices nothing while one app server is killed: every page answers, every reply shows at once', async () => {
    const author = await insertMember()
    const thread = await createThread(
      { id: author.id, role: 'member' },
      { categorySlug: 'testing-and-go-live', title: 'Cutover weekend: what we would do again', body: 'Rehearse twice.', tagSlugs: [] },
    )
    if (!thread.ok) throw new Error(thread.message)
    const path = `/discussions/${thread.value.id}/${thread.value.slug}`
    const members = await Promise.all(Array.from({ length: 8 }, signedInMember))
    const replies: string[] = []

    const replyAndSee = async (member: { client: HttpClient }, i: number) => {
      const body = `Reply ${i} from the floor: keep the rollback plan printed.`
      const posted = await member.client.post(path, { intent: 'reply', body })
      expect(posted.status, await posted.text()).toBe(302)
      replies.push(body)
      // Whichever server answers next, the page shows it (each server's page cache follows the shared log).
      for (let look = 0; look < 3; look++) {
        const page = await member.client.get(path)
        expect(page.status).toBe(200)
        const html = await page.text()
        for (const reply of replies) expect(html).toContain(reply)
      }
    }

    await replyAndSee(members[0], 0)
    await replyAndSee(members[1], 1)
    await servers[1].kill()
    for (let i = 2; i < members.length; i++) await replyAndSee(members[i], i)
    // nginx did ask the dead server, and passed those requests on to a live one.
    expect(readFileSync(join(nginx.dir, 'error.log'), 'utf8')).toMatch(/Connection refused/)
    for (const page of ['/', '/discussions', '/cases', '/events', '/notifications']) {
      expect((await members[0].client.get(page)).status, page).toBe(200)
    }
    // Nothing lost, nothing written twice.
    const stored = await db.selectFrom('posts').select('body_md').where('thread_id', '=', thread.value.id).where('number', '>', 1).orderBy('number').execute()
    expect(stored.map((post) => post.body_md)).toEqual(replies)
  }, 120_000)
})
