import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

/**
 * A short-lived in-process cache of the pages anonymous readers get, the way Discourse serves
 * logged-out visitors: the rendered bytes, served before Express and Remix run.
 *
 * - Only requests with no cookie at all are anonymous. A member (or anyone holding a flash
 *   message) always gets a fresh render, so one member's view never reaches anyone else.
 * - Only a 200 that sets no cookie and is not marked private or no-store is kept.
 * - Every state-changing request (anything but GET/HEAD) empties the cache when it finishes,
 *   and a render that was under way during a write is not kept: a page never outlives a
 *   write that changed it. The time limit covers what changes by itself (relative dates,
 *   "upcoming" becoming "past") and writes made by another server process.
 * - The CSP nonce is cached with its page. That is safe: injected markup can only enter a
 *   page through a write, which empties the cache, and a nonce is created after the markup it
 *   protects, so no stored content can know it.
 */
export interface AnonymousCacheOptions {
  ttlMs: number
  maxEntries: number
  maxEntryBytes: number
}

interface Entry {
  status: number
  headers: OutgoingHttpHeaders
  body: Buffer
  gzipped: Buffer | null
  expiresAt: number
}

const CACHEABLE_TYPES = /^(text\/html|application\/json|application\/atom\+xml)\b/i
const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'connection', 'date', 'keep-alive', 'x-cache'])
const SAFE_METHODS = new Set(['GET', 'HEAD'])

export function createAnonymousCache({ ttlMs, maxEntries, maxEntryBytes }: AnonymousCacheOptions) {
  const entries = new Map<string, Entry>()
  let generation = 0
  const stats = { hits: 0, misses: 0, stored: 0, invalidations: 0 }

  const keyOf = (req: IncomingMessage) => `${req.headers.host ?? ''} ${req.url ?? ''}`
  const isAnonymousRead = (req: IncomingMessage) =>
    ttlMs > 0 && SAFE_METHODS.has(req.method ?? '') && !req.headers.cookie && !req.headers.authorization

  function invalidate() {
    generation++
    stats.invalidations++
    entries.clear()
  }

  /** Answers from the cache when it can; returns false to let the app render. */
  function serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (!isAnonymousRead(req)) return false
    const key = keyOf(req)
    const entry = entries.get(key)
    if (!entry) return false
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key)
      return false
    }
    stats.hits++
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && entry.body.length > 1024
    if (gzip) entry.gzipped ??= gzipSync(entry.body)
    const body = gzip ? entry.gzipped! : entry.body
    res.writeHead(entry.status, {
      ...entry.headers,
      'Content-Length': body.length,
      Vary: 'Accept-Encoding, Cookie',
      'X-Cache': 'HIT',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  }

  /**
   * Express middleware placed right before the app's handler: remembers anonymous renders and
   * empties the cache after every write.
   */
  function remember(req: IncomingMessage, res: ServerResponse, next: () => void) {
    if (!SAFE_METHODS.has(req.method ?? '')) {
      res.once('close', invalidate)
      return next()
    }
    if (!isAnonymousRead(req)) return next()
    stats.misses++
    res.setHeader('X-Cache', 'MISS')
    const startedIn = generation
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    const write = res.write.bind(res) as (...args: unknown[]) => boolean
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || tooBig) return
      const buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array)
      size += buffer.length
      if (size > maxEntryBytes) tooBig = true
      else chunks.push(buffer)
    }
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0])
      return write(chunk, ...rest)
    }) as typeof res.write
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0])
      const result = end(chunk, ...rest)
      store(req, res, startedIn, tooBig ? null : Buffer.concat(chunks))
      return result
    }) as typeof res.end
    next()
  }

  function store(req: IncomingMessage, res: ServerResponse, startedIn: number, body: Buffer | null) {
    if (!body || startedIn !== generation || res.statusCode !== 200 || req.method !== 'GET') return
    if (res.hasHeader('set-cookie')) return
    if (/\b(private|no-store)\b/i.test(String(res.getHeader('cache-control') ?? ''))) return
    if (!CACHEABLE_TYPES.test(String(res.getHeader('content-type') ?? ''))) return
    const headers: OutgoingHttpHeaders = {}
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) headers[name] = value
    }
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!)
    entries.set(keyOf(req), { status: 200, headers, body, gzipped: null, expiresAt: Date.now() + ttlMs })
    stats.stored++
  }

  return { serve, remember, invalidate, stats, size: () => entries.size }
}
