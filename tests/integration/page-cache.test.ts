// The page cache: a repeated view gets recently rendered bytes, but never a page that a write
// has since changed, and never another person's view.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { openServerDatabase, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let n = 0
const unique = (text: string) => `${text} ${Date.now().toString(36)}${++n}${process.pid}`

/**
 * Views `path` anonymously until a view comes from the cache. Other test files write to the same
 * server at the same time, and every write empties the cache, so one try could miss.
 */
async function cachedView(reader: HttpClient, path: string | ((attempt: number) => string)): Promise<{ first: Response; firstBody: string; hit: Response }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const first = await reader.get(typeof path === 'string' ? path : path(attempt))
    const firstBody = await first.text()
    const hit = await reader.get(typeof path === 'string' ? path : path(attempt))
    if (hit.headers.get('x-cache') === 'HIT') return { first, firstBody, hit }
    await hit.arrayBuffer()
  }
  throw new Error(`no anonymous view of ${path} came from the cache in 10 tries`)
}

async function startThread(client: HttpClient, title: string) {
  const response = await client.post('/discussions/new', { category: 'testing-and-go-live', title, body: unique('Opening post') })
  expect(response.status).toBe(302)
  return response.headers.get('location')!
}

describe('page cache', () => {
  it('serves a repeated anonymous view from memory, byte for byte, with the security headers', async () => {
    const reader = new HttpClient()
    const probe = unique('p')
    // An address of its own per try: a try whose second view missed leaves its page cached.
    const { first, firstBody, hit: second } = await cachedView(reader, (attempt) => `/discussions?sort=newest&probe=${probe}-${attempt}`)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-cache')).toBe('MISS')
    expect(await second.text()).toBe(firstBody)
    for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options']) {
      expect(second.headers.get(header), header).toBe(first.headers.get(header))
    }
    expect(second.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('a new thread shows to anonymous readers at once: the write empties the cache', async () => {
    const reader = new HttpClient()
    const path = `/discussions?sort=newest&probe=${unique('w')}`
    await cachedView(reader, path)

    const title = unique('Cache invalidation thread')
    await startThread((await signedIn(db)).client, title)

    const after = await reader.get(path)
    expect(after.headers.get('x-cache')).toBe('MISS')
    expect(await after.text()).toContain(title)
  })

  it('a reply shows on the anonymous thread page right after it is posted', async () => {
    const author = await signedIn(db)
    const path = await startThread(author.client, unique('Thread for a cached reply'))
    const reader = new HttpClient()
    await cachedView(reader, path)

    const reply = unique('A reply every reader must see')
    const id = path.split('/')[2]
    const replier = await signedIn(db)
    expect((await replier.client.post(`/discussions/${id}`, { intent: 'reply', body: reply })).status).toBe(302)

    expect(await (await reader.get(path)).text()).toContain(reply)
  })

  it("retires a copy when another process commits to the database (SQLite's data_version)", async () => {
    // This test's own connection to the server's file stands for a second server process.
    const author = await signedIn(db)
    const path = await startThread(author.client, unique('Thread renamed by another process'))
    const reader = new HttpClient()
    await cachedView(reader, path)

    const title = unique('Renamed elsewhere')
    await db.run(sql`update threads set title = ${title} where id = ${Number(path.split('/')[2])}`)

    const after = await reader.get(path)
    expect(after.headers.get('x-cache')).toBe('MISS')
    expect(await after.text()).toContain(title)
  })

  it("never serves a member's page to anyone else, nor another's page to a member", async () => {
    const first = await signedIn(db)
    const second = await signedIn(db)
    const path = `/discussions?probe=${unique('m')}`
    const views = async (person: typeof first) => {
      const html = await (await person.client.get(path)).text()
      expect(html).toContain(`/members/${person.handle}`)
      return html
    }
    // Each member's page, twice (the second may come from their own cached copy).
    for (const person of [first, second, first, second]) {
      const html = await views(person)
      const other = person === first ? second : first
      expect(html).not.toContain(`/members/${other.handle}`)
    }

    for (let i = 0; i < 2; i++) {
      const anonymous = await new HttpClient().get(path)
      const html = await anonymous.text()
      expect(html).not.toContain('Sign out')
      expect(html).not.toContain(first.handle)
      expect(html).not.toContain(second.handle)
    }
    await views(first)
  })

  it("a member's own copy is retired by their next write, such as the read marker a thread view moves", async () => {
    const author = await signedIn(db)
    const reader = await signedIn(db)
    const path = await startThread(author.client, unique('Thread for unread counts'))
    const list = `/discussions?sort=newest&probe=${unique('u')}`
    const rowOf = (html: string) => {
      const at = html.indexOf(`href="${path}"`)
      expect(at).toBeGreaterThan(-1)
      return html.slice(html.lastIndexOf('<li', at), html.indexOf('</li>', at))
    }
    // Viewed twice, so the second view can come from the member's own cached copy.
    for (let i = 0; i < 2; i++) expect(rowOf(await (await reader.client.get(list)).text())).toContain('badge--new')
    await (await reader.client.get(path)).arrayBuffer()
    // Having read the thread, the member's list no longer calls it new.
    expect(rowOf(await (await reader.client.get(list)).text())).not.toContain('badge--new')
  })

  it('keeps nothing that sets a cookie, is private, or is not a 200', async () => {
    const reader = new HttpClient()
    const missing = `/discussions/999999999/${unique('nope').replace(/\s/g, '-')}`
    await (await reader.get(missing)).arrayBuffer()
    const notFound = await reader.get(missing)
    expect(notFound.status).toBe(404)
    expect(notFound.headers.get('x-cache')).not.toBe('HIT')

    await (await reader.get('/healthz')).arrayBuffer()
    expect((await reader.get('/healthz')).headers.get('x-cache')).not.toBe('HIT')
  })

  it('answers gzip-accepting readers with the same page, compressed', async () => {
    const reader = new HttpClient()
    const path = `/cases?probe=${unique('g')}`
    for (let attempt = 0; attempt < 10; attempt++) {
      const plain = await (await reader.get(path)).text()
      const response = await fetch(new URL(path, reader.baseUrl), { headers: { 'Accept-Encoding': 'gzip' } })
      if (response.headers.get('x-cache') !== 'HIT') continue
      expect(response.headers.get('content-encoding')).toBe('gzip')
      expect(await response.text()).toBe(plain)
      return
    }
    throw new Error('no gzip view came from the cache in 10 tries')
  })
})
