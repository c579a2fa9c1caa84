// The page cache's rules over a real node:http server whose "app" counts its renders.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPageCache } from '../../app/lib/page-cache.server'
import type { ChangeFeed } from '../../db/change-feed'
import type { PageDependencies } from '../../db/page-tags'

// Long enough that two requests in a row fall inside it even on a loaded machine.
const TTL_MS = 1000
// The database's change log as the cache sees it: one row per commit, with what it changed.
let version = 1
const log: { id: number; tags: string }[] = []
let logReadable = true
// How long reading the log takes: a round trip, on a database across the network.
let logDelayMs = 0
const commit = (tags = '*', id = (log.at(-1)?.id ?? 0) + 1) => {
  log.push({ id, tags })
  version++
}
const changes: ChangeFeed = {
  version: async () => {
    if (logDelayMs) await new Promise((resolve) => setTimeout(resolve, logDelayMs))
    if (!logReadable) throw new Error('SQLITE_IOERR')
    return String(version)
  },
  latestId: async () => log.at(-1)?.id ?? 0,
  after: async (id: number) => ({ version: await changes.version(), rows: log.filter((row) => row.id > id) }),
}
const declared = new WeakMap<ServerResponse, PageDependencies>()
let renders = 0
let renderDelayMs = 0
let server: Server
let baseUrl = ''

const cache = createPageCache({
  ttlMs: TTL_MS,
  maxBytes: 1024 * 1024,
  maxEntryBytes: 64 * 1024,
  changes,
  dependenciesOf: (res) => declared.get(res),
})

beforeAll(async () => {
  server = createServer((req, res) => {
    void cache.serve(req, res).then((served) => {
      if (!served) void render(req, res)
    })
  })
  const render = (req: IncomingMessage, res: ServerResponse) =>
    cache.remember(req, res, () => {
      const n = ++renders
      // `?shows=a,b` stands for a route declaring the tags its page shows.
      const shows = new URL(req.url ?? '/', 'http://cache.test').searchParams.get('shows')
      if (shows) declared.set(res, { tags: new Set(shows.split(',')), declared: true })
      setTimeout(() => {
        if (req.url?.startsWith('/sets-cookie')) res.setHeader('Set-Cookie', 'flash=1')
        if (req.url?.startsWith('/private')) res.setHeader('Cache-Control', 'private')
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(`render ${n} for ${req.headers.cookie ?? 'nobody'}`)
      }, renderDelayMs)
    })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  renderDelayMs = 0
  logDelayMs = 0
})

let n = 0
const fresh = (path = '/page') => `${path}${path.includes('?') ? '&' : '?'}n=${++n}`
const get = async (path: string, cookie?: string) => {
  const response = await fetch(baseUrl + path, { headers: cookie ? { Cookie: cookie } : {} })
  return { text: await response.text(), cache: response.headers.get('x-cache') }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Waits until the app has begun the next render, however slowly the request got there. */
async function renderStarted(count: number) {
  for (const deadline = Date.now() + 5_000; renders < count && Date.now() < deadline; ) await sleep(2)
}

describe('page cache', () => {
  it('answers a repeated request with the same bytes, without rendering again', async () => {
    const path = fresh()
    const first = await get(path)
    const before = renders
    const second = await get(path)
    expect(second).toEqual({ text: first.text, cache: 'HIT' })
    expect(renders).toBe(before)
  })

  it('has kept the copy by the time its answer arrives, however slowly the change log reads', async () => {
    logDelayMs = 50
    const path = fresh()
    expect((await get(path)).cache).toBe('MISS')
    const again = await get(path)
    expect(again.cache).toBe('HIT')
    expect(again.text).toBe(`render ${renders} for nobody`)
  })

  it('keeps a copy per cookie: one visitor never gets another one’s page', async () => {
    const path = fresh()
    const alice = await get(path, 'sp_session=alice')
    const bob = await get(path, 'sp_session=bob')
    const nobody = await get(path)
    expect(alice.text).toContain('for sp_session=alice')
    expect(bob.text).toContain('for sp_session=bob')
    expect(nobody.text).toContain('for nobody')
    expect((await get(path, 'sp_session=alice')).text).toBe(alice.text)
    expect((await get(path, 'sp_session=bob')).text).toBe(bob.text)
  })

  it('retires every copy the moment a commit that noted nothing is made', async () => {
    const path = fresh()
    const before = await get(path)
    commit()
    const after = await get(path)
    expect(after.cache).toBe('MISS')
    expect(after.text).not.toBe(before.text)
  })

  it('does not keep a render during which the database changed', async () => {
    const path = fresh()
    renderDelayMs = 50
    const pending = get(path)
    await renderStarted(renders + 1)
    commit()
    await pending
    renderDelayMs = 0
    expect((await get(path)).cache).toBe('MISS')
  })

  it('keeps nothing that sets a cookie, is private or is not a 200', async () => {
    for (const path of [fresh('/sets-cookie'), fresh('/private'), fresh('/missing')]) {
      await get(path)
      expect((await get(path)).cache, path).toBe('MISS')
    }
  })

  it('after its time, serves the old copy while one request renders the next', async () => {
    const path = fresh()
    const old = await get(path)
    await sleep(TTL_MS + 20)
    renderDelayMs = 300
    const before = renders
    const refreshingPending = get(path)
    await renderStarted(before + 1)
    const waiting = await get(path)
    const refreshing = await refreshingPending
    expect(refreshing.text).not.toBe(old.text)
    expect(waiting).toEqual({ text: old.text, cache: 'HIT' })
    expect(renders).toBe(before + 1)
    renderDelayMs = 0
    expect((await get(path)).text).toBe(refreshing.text)
  })

  it('never serves a copy long past its time', async () => {
    const path = fresh()
    const old = await get(path)
    await sleep(TTL_MS + 5_100)
    expect((await get(path)).text).not.toBe(old.text)
  }, 10_000)

  it('a commit retires the copies showing what it changed and keeps the others', async () => {
    const one = fresh('/thread?shows=thread:1,threads')
    const two = fresh('/thread?shows=thread:2')
    const undeclaredPage = fresh()
    const before = { one: await get(one), two: await get(two), undeclared: await get(undeclaredPage) }
    commit('thread:1')
    expect(await get(two)).toEqual({ text: before.two.text, cache: 'HIT' })
    expect((await get(one)).text).not.toBe(before.one.text)
    // A page that declared nothing may show anything: every commit retires it.
    expect((await get(undeclaredPage)).text).not.toBe(before.undeclared.text)
    const list = await get(one)
    commit('threads member:4')
    expect((await get(one)).text).not.toBe(list.text)
    expect((await get(two)).cache).toBe('HIT')
  })

  it('a commit noted as changing everything retires every copy, declared or not', async () => {
    const page = fresh('/thread?shows=thread:3')
    const before = await get(page)
    commit('*')
    expect((await get(page)).text).not.toBe(before.text)
  })

  it('keeps a render that overlapped only commits it does not show', async () => {
    const path = fresh('/thread?shows=thread:5')
    renderDelayMs = 50
    const pending = get(path)
    await renderStarted(renders + 1)
    commit('thread:6')
    await pending
    renderDelayMs = 0
    expect((await get(path)).cache).toBe('HIT')
  })

  it('does not keep a render that overlapped a commit it shows', async () => {
    const path = fresh('/thread?shows=thread:7')
    renderDelayMs = 50
    const pending = get(path)
    await renderStarted(renders + 1)
    commit('thread:7')
    await pending
    renderDelayMs = 0
    expect((await get(path)).cache).toBe('MISS')
  })

  it('retires everything when log rows it never read were pruned', async () => {
    const page = fresh('/thread?shows=thread:8')
    const before = await get(page)
    // Ids rise by one per commit: a jump means rows this process missed.
    commit('thread:9', (log.at(-1)?.id ?? 0) + 5)
    expect((await get(page)).text).not.toBe(before.text)
  })

  it('serves nothing from memory while the change log cannot be read', async () => {
    const page = fresh('/thread?shows=thread:10')
    await get(page)
    logReadable = false
    try {
      expect((await get(page)).cache).not.toBe('HIT')
    } finally {
      logReadable = true
    }
    expect((await get(page)).cache).toBe('MISS')
  })

  it('retires everything after a commit that left no row (another program wrote to the file)', async () => {
    const page = fresh('/thread?shows=thread:11')
    const before = await get(page)
    version++
    expect((await get(page)).text).not.toBe(before.text)
  })
})
