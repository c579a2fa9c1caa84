import { sql } from 'kysely'
// What people see when a page does not exist or the server fails, and what the log keeps.
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { mainOf, openServerDatabase } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

/** The site's own header and footer are around the content. */
function expectSiteLayout(html: string) {
  expect(html).toContain('<header class="site-header">')
  expect(html).toContain('<nav aria-label="Main"')
  expect(html).toContain('<footer class="site-footer">')
  expect(html).toContain('href="/accessibility"')
}

async function waitForLog(text: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const log = readFileSync(inject('server').logPath, 'utf8')
    if (log.includes(text) || Date.now() > deadline) return log
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('not found', () => {
  it.each(['/no-such-page', '/cases/no/such/case/here', '/members/no-such-member-here'])('%s answers 404 with the friendly page inside the layout', async (path) => {
    const response = await new HttpClient().get(path)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).toContain('<title>Page not found · SectorPulse</title>')
    const main = mainOf(html)
    expect(main).toContain('<h1>Page not found</h1>')
    expect(main).toContain('href="/"')
    expectSiteLayout(html)
  })
})

// What the database itself says of the table the test takes away.
const MISSING_CATEGORIES = inject('server').databaseUrl ? 'relation "categories" does not exist' : 'no such table: categories'

describe('a server failure', () => {
  it('answers 500 with an apology and an error reference that is in the log, and no internals', async () => {
    await db.run(sql`ALTER TABLE categories RENAME TO categories_broken`)
    let response: Response
    let html: string
    try {
      // An address of its own, so no page rendered before the fault (and cached) answers.
      response = await new HttpClient().get(`/discussions?fault=${Date.now()}`)
      html = await response.text()
    } finally {
      await db.run(sql`ALTER TABLE categories_broken RENAME TO categories`)
    }

    expect(response.status).toBe(500)
    const main = mainOf(html)
    expect(main).toContain('<h1>Sorry, there is a problem with the service</h1>')
    expectSiteLayout(html)

    const errorId = /data-error-id="([^"]*)"/.exec(main)?.[1]
    expect(errorId).toMatch(/^[0-9a-f]{8}$/)
    expect(main).toContain(`<strong class="error-id">${errorId}</strong>`)

    // Nothing about the server's insides reaches the browser, in the page or its hydration data.
    expect(html).not.toMatch(/^\s+at /m)
    expect(html).not.toMatch(/\bat [\w$.<>]+ \(/)
    expect(html).not.toMatch(/\w\.(?:js|ts|tsx):\d+:\d+/)
    for (const leak of ['/work/', 'node_modules', 'SqliteError', 'no such table', 'does not exist', 'categories', 'SQLITE_']) {
      expect(html, leak).not.toContain(leak)
    }

    const log = await waitForLog(`[error ${errorId}]`)
    expect(log).toContain(`[error ${errorId}] GET /discussions`)
    // The log has what the page hides, for whoever investigates.
    expect(log.slice(log.indexOf(`[error ${errorId}]`))).toContain(MISSING_CATEGORIES)
  })

  it('the site works again once the fault is gone', async () => {
    const response = await new HttpClient().get('/discussions')
    expect(response.status).toBe(200)
    expect(mainOf(await response.text())).toContain('<h1>Discussions</h1>')
  })
})
