import { describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'

// server.ts serves the built assets and the files copied from public/; every other path is a page.
describe('static files', () => {
  it('serves the favicon from public/ with an hour of caching', async () => {
    const response = await new HttpClient().get('/favicon.svg')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600')
    expect(await response.text()).toContain('<svg')
  })

  it('serves the fingerprinted stylesheet a page links to as immutable for a year', async () => {
    const client = new HttpClient()
    const html = await (await client.get('/')).text()
    const stylesheet = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1]
    expect(stylesheet).toBeTruthy()
    const response = await client.get(stylesheet!)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('answers a path that is not a file with the not-found page, and never serves what lies outside', async () => {
    const client = new HttpClient()
    for (const path of ['/favicon.svg.bak', '/..%2fpackage.json', '/%2e%2e/server.ts', '/assets/../../package.json']) {
      const response = await client.get(path)
      expect(response.status, path).toBe(404)
      expect(await response.text(), path).not.toMatch(/"name":\s*"sectorpulse"|createServer/)
    }
  })
})
