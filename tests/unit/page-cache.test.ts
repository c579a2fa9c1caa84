// The page cache's rules over a real node:http server whose "app" counts its renders.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPageCache } from '../../app/lib/page-cache.server'

// Long enough that two requests in a row fall inside it even on a loaded machine.
const TTL_MS = 1000
let version = 1
let renders = 0
let renderDelayMs = 0
let server: Server
let baseUrl = ''

const cache = createPageCache({ ttlMs: TTL_MS, maxBytes: 1024 * 1024, maxEntryBytes: 64 * 1024, version: () => String(version) })

beforeAll(async () => {
  server = createServer((req, res) => {
    if (cache.serve(req, res)) return
    cache.remember(req, res, () => {
      const n = ++renders
      setTimeout(() => {
        if (req.url?.startsWith('/sets-cookie')) res.setHeader('Set-Cookie', 'flash=1')
        if (req.url?.startsWith('/private')) res.setHeader('Cache-Control', 'private')
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(`render ${n} for ${req.headers.cookie ?? 'nobody'}`)
      }, renderDelayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  renderDelayMs = 0
})

let n = 0
const fresh = (path = '/page') => `${path}?n=${++n}`
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

  it('retires every copy the moment the database version changes', async () => {
    const path = fresh()
    const before = await get(path)
    version++
    const after = await get(path)
    expect(after.cache).toBe('MISS')
    expect(after.text).not.toBe(before.text)
  })

  it('does not keep a render during which the database changed', async () => {
    const path = fresh()
    renderDelayMs = 50
    const pending = get(path)
    await renderStarted(renders + 1)
    version++
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
})
