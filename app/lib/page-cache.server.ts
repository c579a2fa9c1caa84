import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

/**
 * A short-lived in-process cache of rendered pages, served before Express and Remix run (the
 * way Discourse serves logged-out readers, extended to a member re-reading their own pages).
 *
 * - A page may depend only on its key: the URL and the cookies. The server hands every request
 *   on addressed to SITE_URL (server.ts), so Host and X-Forwarded-* cannot change a page and
 *   are not part of the key.
 * - A page is kept for exactly the cookies it was asked with: a visitor with no cookie shares
 *   the anonymous copy; a member's copy is keyed by their own session cookie, so one member's
 *   view never reaches anyone else.
 * - Only a 200 that sets no cookie and is not marked private or no-store is kept.
 * - Every copy carries the database version it was rendered at (`databaseVersion`: any write by
 *   this process, or a commit by another process on the same file). A page is served only while
 *   the version is unchanged, so no page outlives a write that could have changed it, including
 *   the read marker a thread view moves. The time limit covers what changes by itself: relative
 *   dates, "upcoming" becoming "past", a session reaching its expiry; past it, a copy answers
 *   for at most a few more seconds while one request renders its successor.
 * - A page's CSP nonce is cached with it. That is safe: injected markup can only enter a page
 *   through a write, which retires every copy, and a nonce is created after the markup it
 *   protects, so nothing stored can know it.
 */
export interface PageCacheOptions {
  ttlMs: number
  /** Memory held by all copies together; the oldest go first. */
  maxBytes: number
  maxEntryBytes: number
  /** The database version now, or null when it cannot be known (then nothing is cached). */
  version: () => string | null
}

interface Entry {
  headers: OutgoingHttpHeaders
  body: Buffer
  gzipped: Buffer | null
  version: string
  expiresAt: number
  /** When a request last set out to render a fresh copy of this expired one. */
  refreshingSince: number | null
}

/** How long a copy past its time may still be served while one request renders its successor. */
const REFRESH_GRACE_MS = 5_000

const CACHEABLE_TYPES = /^(text\/html|application\/json|application\/atom\+xml)\b/i
const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'connection', 'date', 'keep-alive', 'x-cache'])

export function createPageCache({ ttlMs, maxBytes, maxEntryBytes, version }: PageCacheOptions) {
  const entries = new Map<string, Entry>()
  let bytes = 0

  const cacheable = (req: IncomingMessage) => ttlMs > 0 && (req.method === 'GET' || req.method === 'HEAD') && !req.headers.authorization
  const keyOf = (req: IncomingMessage) => `${req.url ?? ''} ${req.headers.cookie ?? ''}`
  const currentVersion = () => {
    try {
      return version()
    } catch {
      return null
    }
  }

  function forget(key: string) {
    const entry = entries.get(key)
    if (!entry) return
    bytes -= entry.body.length + (entry.gzipped?.length ?? 0)
    entries.delete(key)
  }

  /** Answers from the cache when it can; returns false to let the app render. */
  function serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (!cacheable(req)) return false
    const key = keyOf(req)
    const entry = entries.get(key)
    if (!entry) return false
    // A write retires a copy at once; nothing stale is served after one.
    if (entry.version !== currentVersion()) {
      forget(key)
      return false
    }
    // A copy that merely timed out keeps answering while one request renders the next, so a
    // busy page does not have every waiting request render it at once.
    const now = Date.now()
    if (entry.expiresAt <= now) {
      const refreshing = entry.refreshingSince !== null && now - entry.refreshingSince < REFRESH_GRACE_MS
      if (!refreshing || now - entry.expiresAt > REFRESH_GRACE_MS) {
        entry.refreshingSince = now
        return false
      }
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && entry.body.length > 1024
    if (gzip && !entry.gzipped) {
      entry.gzipped = gzipSync(entry.body)
      bytes += entry.gzipped.length
    }
    const body = gzip ? entry.gzipped! : entry.body
    res.writeHead(200, {
      ...entry.headers,
      'Content-Length': body.length,
      Vary: 'Accept-Encoding, Cookie',
      'X-Cache': 'HIT',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  }

  /** Express middleware placed right before the app's handler: remembers what it renders. */
  function remember(req: IncomingMessage, res: ServerResponse, next: () => void) {
    if (!cacheable(req) || req.method !== 'GET') return next()
    const startedAt = currentVersion()
    if (startedAt === null) return next()
    res.setHeader('X-Cache', 'MISS')
    const chunks: Buffer[] = []
    let size = 0
    const write = res.write.bind(res) as (...args: unknown[]) => boolean
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > maxEntryBytes) return
      const buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array)
      size += buffer.length
      chunks.push(buffer)
    }
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0])
      return write(chunk, ...rest)
    }) as typeof res.write
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0])
      const result = end(chunk, ...rest)
      if (size <= maxEntryBytes) store(req, res, startedAt, Buffer.concat(chunks))
      return result
    }) as typeof res.end
    next()
  }

  function store(req: IncomingMessage, res: ServerResponse, renderedAt: string, body: Buffer) {
    // A write during the render (by this request or another) may not be in what was rendered.
    if (renderedAt !== currentVersion() || res.statusCode !== 200 || res.hasHeader('set-cookie')) return
    if (/\b(private|no-store)\b/i.test(String(res.getHeader('cache-control') ?? ''))) return
    if (!CACHEABLE_TYPES.test(String(res.getHeader('content-type') ?? ''))) return
    const headers: OutgoingHttpHeaders = {}
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) headers[name] = value
    }
    const key = keyOf(req)
    forget(key)
    entries.set(key, { headers, body, gzipped: null, version: renderedAt, expiresAt: Date.now() + ttlMs, refreshingSince: null })
    bytes += body.length
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break
      forget(oldest)
    }
  }

  return { serve, remember, size: () => entries.size, bytes: () => bytes }
}
