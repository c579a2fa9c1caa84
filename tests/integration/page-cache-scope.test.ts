// The page cache against the real built server: a write retires only the pages showing what it
// changed, a member's read marker retires only their own pages, and with two worker processes no
// read that starts after a write's answer is served a page older than it.
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { type RunningServer, startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'
import { eventually } from './support'

/** A GET on a connection of its own (so the cluster hands it to any worker), as an anonymous reader. */
function readOnNewConnection(baseUrl: string, path: string): Promise<{ body: string; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { agent: false, headers: { 'X-Forwarded-For': '10.9.9.9' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ body, cache: res.headers['x-cache'] as string | undefined }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function newMember(baseUrl: string) {
  const client = new HttpClient(undefined, baseUrl)
  await joinAsNewMember(client)
  return client
}

async function reply(client: HttpClient, threadPath: string, body: string) {
  const response = await client.post(threadPath, { intent: 'reply', body })
  expect(response.status, `reply "${body}"`).toBe(302)
}

/** Reads a page whole, as a browser does: a copy is kept by the time its answer has fully arrived. */
const visit = async (client: HttpClient, path: string) => void (await (await client.get(path)).arrayBuffer())

const cacheOf = async (client: HttpClient, path: string) => (await client.get(path)).headers.get('x-cache')

describe('page cache, one process', () => {
  let server: RunningServer
  beforeAll(async () => {
    // Long enough that only a write can retire a copy during the test.
    server = await startServer({ PAGE_CACHE_TTL_MS: '120000' })
  }, 120_000)
  afterAll(() => server?.stop())

  it('a reply retires its thread and the lists, and leaves another thread’s copy served', async () => {
    const replied = await threadByNewMember(server.baseUrl, 'A thread that gets a reply')
    const untouched = await threadByNewMember(server.baseUrl, 'A thread nobody writes to')
    // Joining is a write every page may show (a member count, a directory): done before caching.
    const writer = await newMember(server.baseUrl)
    const anonymous = new HttpClient(undefined, server.baseUrl)
    for (const path of [replied, untouched, '/discussions']) {
      await visit(anonymous, path)
      expect(await cacheOf(anonymous, path), path).toBe('HIT')
    }

    await reply(writer, replied, 'A reply that must show at once')

    expect(await cacheOf(anonymous, untouched)).toBe('HIT')
    const thread = await anonymous.get(replied)
    expect(thread.headers.get('x-cache')).toBe('MISS')
    expect(await thread.text()).toContain('A reply that must show at once')
    expect(await cacheOf(anonymous, '/discussions')).toBe('MISS')
  }, 60_000)

  it('an RSVP retires the event pages, a case reaction the case pages, and neither touches the other', async () => {
    const thread = await threadByNewMember(server.baseUrl, 'A thread beside the library and the events')
    const member = await newMember(server.baseUrl)
    const anonymous = new HttpClient(undefined, server.baseUrl)
    const firstLink = async (list: string, pattern: RegExp) => {
      const found = pattern.exec(await (await anonymous.get(list)).text())?.[1]
      expect(found, `a link on ${list}`).toBeTruthy()
      return found!
    }
    const eventPage = await firstLink('/events', /href="(\/events\/\d+\/[a-z0-9-]+)"/)
    const casePage = await firstLink('/cases', /href="(\/cases\/(?!themes|new|feed|submissions)[a-z0-9-]+)"/)
    const eventPages = ['/events', eventPage, '/events/feed.atom']
    const casePages = ['/cases', casePage, '/cases/themes', '/cases/feed.atom']
    const cacheAll = async () => {
      for (const path of [...eventPages, ...casePages, thread]) {
        await visit(anonymous, path)
        expect(await cacheOf(anonymous, path), path).toBe('HIT')
      }
    }
    const stillServed = async (paths: string[]) => {
      for (const path of paths) expect(await cacheOf(anonymous, path), path).toBe('HIT')
    }

    await cacheAll()
    const rsvp = await member.post(eventPage, { intent: 'interested' })
    expect(rsvp.status).toBe(302)
    await stillServed([...casePages, thread])
    for (const path of eventPages) expect(await cacheOf(anonymous, path), path).toBe('MISS')
    // The event's own page shows the new answer.
    expect(await (await member.get(eventPage)).text()).toMatch(/interested/i)

    await cacheAll()
    const reaction = await member.post(casePage, { intent: 'helpful' })
    expect(reaction.status).toBe(302)
    await stillServed([...eventPages, thread])
    expect(await cacheOf(anonymous, casePage)).toBe('MISS')
    expect(await cacheOf(anonymous, '/cases')).toBe('MISS')
  }, 60_000)

  it('a member’s read marker retires only that member’s own pages', async () => {
    const path = await threadByNewMember(server.baseUrl, 'A thread two members read')
    const anonymous = new HttpClient(undefined, server.baseUrl)
    const reader = await newMember(server.baseUrl)
    const other = await newMember(server.baseUrl)
    for (const client of [anonymous, other]) {
      // A member's first view moves their marker during the render, so that copy is not kept.
      await visit(client, path)
      await visit(client, path)
      await visit(client, '/discussions')
      expect(await cacheOf(client, path)).toBe('HIT')
    }
    // (The first page after joining clears a flash cookie, so it is not kept.)
    await visit(reader, '/discussions')
    await visit(reader, '/discussions')
    expect(await cacheOf(reader, '/discussions')).toBe('HIT')

    // The reader's first view moves their read marker: a write.
    expect((await reader.get(path)).status).toBe(200)

    expect(await cacheOf(anonymous, path)).toBe('HIT')
    expect(await cacheOf(anonymous, '/discussions')).toBe('HIT')
    expect(await cacheOf(other, path)).toBe('HIT')
    expect(await cacheOf(other, '/discussions')).toBe('HIT')
    // The reader's own list shows their new read state, so their copy was retired.
    expect(await cacheOf(reader, '/discussions')).toBe('MISS')
  }, 60_000)
})

describe('page cache, two worker processes', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ PAGE_CACHE_TTL_MS: '120000', WEB_CONCURRENCY: '2' })
  }, 120_000)
  afterAll(() => server?.stop())

  it('runs two worker processes', async () => {
    expect(server.output()).toContain('SectorPulse runs 2 worker processes')
    // /healthz answers as soon as the first worker listens; the second may still be starting.
    const listening = () => server.output().match(/SectorPulse is listening/g)?.length ?? 0
    expect(await eventually(listening, (count) => count >= 2, 60_000)).toBe(2)
  }, 70_000)

  it('never serves a page older than a write acknowledged by either worker', async () => {
    const path = await threadByNewMember(server.baseUrl, 'A thread read by many while written to')
    const writers = await Promise.all(Array.from({ length: 6 }, () => newMember(server.baseUrl)))
    // Both workers cache the page.
    await Promise.all(Array.from({ length: 12 }, () => readOnNewConnection(server.baseUrl, path)))

    const acknowledged: { text: string; at: number }[] = []
    const reads: { startedAt: number; body: string; cache: string | undefined }[] = []
    let writing = true
    const reader = async () => {
      while (writing) {
        const startedAt = Date.now()
        const { body, cache } = await readOnNewConnection(server.baseUrl, path)
        reads.push({ startedAt, body, cache })
      }
    }
    const readers = Array.from({ length: 6 }, reader)
    for (const [n, writer] of writers.entries()) {
      const text = `Reply number ${n + 1} written while others read`
      // Each write goes out on a fresh connection too (HttpClient's fetch pools; the worker varies).
      await reply(writer, path, text)
      acknowledged.push({ text, at: Date.now() })
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    writing = false
    await Promise.all(readers)

    const stale = reads.flatMap((read) =>
      acknowledged.filter((write) => write.at < read.startedAt && !read.body.includes(write.text)).map((write) => `${write.text} missing from a read at +${read.startedAt - write.at} ms (${read.cache})`),
    )
    expect(stale).toEqual([])
    // The test means something only if the cache answered some of those reads.
    expect(reads.filter((read) => read.cache === 'HIT').length).toBeGreaterThan(0)
  }, 120_000)
})
