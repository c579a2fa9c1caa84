import { describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'

describe('security headers', () => {
  it('sends a CSP whose fresh per-render nonce is on every script in the page', async () => {
    const client = new HttpClient()
    const nonces: string[] = []
    for (let i = 0; i < 2; i++) {
      // Two addresses the page cache has never seen, so each of these is rendered.
      const response = await client.get(`/?render=${i}-${Date.now()}`)
      expect(response.status).toBe(200)
      const csp = response.headers.get('content-security-policy') ?? ''
      for (const directive of [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive)
      }
      const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1]
      expect(nonce).toBeTruthy()
      nonces.push(nonce!)

      const html = await response.text()
      const scripts = html.match(/<script\b[^>]*>/g) ?? []
      expect(scripts.length).toBeGreaterThan(0)
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
      expect(html).not.toMatch(/\son[a-z]+=/i)

      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('x-powered-by')).toBeNull()
    }
    expect(nonces[0]).not.toBe(nonces[1])
  })

  it('a page served from the page cache keeps the nonce its scripts were rendered with', async () => {
    const client = new HttpClient()
    for (let attempt = 0; attempt < 10; attempt++) {
      await (await client.get('/events')).arrayBuffer()
      const response = await client.get('/events')
      const html = await response.text()
      if (response.headers.get('x-cache') !== 'HIT') continue
      const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1]
      const scripts = html.match(/<script\b[^>]*>/g) ?? []
      expect(scripts.length).toBeGreaterThan(0)
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
      return
    }
    throw new Error('no view of /events came from the cache in 10 tries')
  })

  it('answers /healthz with {"ok":true} after querying the database', async () => {
    const response = await new HttpClient().get('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, writable: true })
  })
})
