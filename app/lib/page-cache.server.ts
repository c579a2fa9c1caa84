import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import { type ChangeFeed, followChanges } from '../../db/change-feed'
import type { PageDependencies } from '../../db/page-tags'

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
 * - Every copy carries what it shows, as tags its routes declared (db/page-tags.ts), and
 *   every commit, in any process on the same file, logs what it changed in the same transaction
 *   (db/client.ts). Before answering, the cache catches up with that log (db/change-feed.ts
 *   `followChanges`, which says when what changed is unknown) and retires the copies showing
 *   what the new commits changed. An unknown change retires every copy, and any commit retires
 *   the pages that declared nothing. So no page outlives a write that could have changed it,
 *   and a reply to one thread leaves every other thread's copies alone. The time limit covers
 *   what changes by itself: relative dates, "upcoming" becoming "past", a session reaching its
 *   expiry; past it, a copy answers for at most a few more seconds while one request renders
 *   its successor.
 * - A page's CSP nonce is cached with it. That is safe: injected markup can only enter a page
 *   through a write, which retires the copies showing it, and a nonce is created after the
 *   markup it protects, so nothing stored can know it.
 */
export interface PageCacheOptions {
  ttlMs: number
  /** Memory held by all copies together; the oldest go first. */
  maxBytes: number
  maxEntryBytes: number
  /** The database's change log; a function that throws means it cannot be read (nothing is cached). */
  changes: ChangeFeed
  /** What the routes said the response's page shows (undefined: nothing declared). */
  dependenciesOf?: (res: ServerResponse) => PageDependencies | undefined
}

interface Entry {
  headers: OutgoingHttpHeaders
  body: Buffer
  gzipped: Buffer | null
  /** Null: the page declared nothing, so any commit retires it. */
  tags: ReadonlySet<string> | null
  expiresAt: number
  /** When a request last set out to render a fresh copy of this expired one. */
  refreshingSince: number | null
}

/** How long a copy past its time may still be served while one request renders its successor. */
const REFRESH_GRACE_MS = 5_000

const CACHEABLE_TYPES = /^(text\/html|application\/json|application\/atom\+xml)\b/i
/** How many processed commits the cache remembers, to judge a render that overlapped them. */
const RECENT_CHANGES = 256

const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'vary', 'connection', 'date', 'keep-alive', 'x-cache'])

export function createPageCache({ ttlMs, maxBytes, maxEntryBytes, changes, dependenciesOf }: PageCacheOptions) {
  const entries = new Map<string, Entry>()
  /** The keys of the copies showing each tag, and of those that declared nothing. */
  const byTag = new Map<string, Set<string>>()
  const undeclared = new Set<string>()
  let bytes = 0
  const changesSinceLastLook = followChanges(changes)
  // Commits processed so far, and the tags of the most recent ones (null: everything).
  let processed = 0
  const recent: (string[] | null)[] = []

  const cacheable = (req: IncomingMessage) => ttlMs > 0 && (req.method === 'GET' || req.method === 'HEAD') && !req.headers.authorization
  const keyOf = (req: IncomingMessage) => `${req.url ?? ''} ${req.headers.cookie ?? ''}`

  function forget(key: string) {
    const entry = entries.get(key)
    if (!entry) return
    bytes -= entry.body.length + (entry.gzipped?.length ?? 0)
    entries.delete(key)
    if (!entry.tags) undeclared.delete(key)
    else
      for (const tag of entry.tags) {
        const keys = byTag.get(tag)
        keys?.delete(key)
        if (keys?.size === 0) byTag.delete(tag)
      }
  }

  function forgetAll() {
    entries.clear()
    byTag.clear()
    undeclared.clear()
    bytes = 0
  }

  function retire(tags: string[] | null) {
    processed++
    recent.push(tags)
    if (recent.length > RECENT_CHANGES) recent.shift()
    if (!tags) return forgetAll()
    for (const key of undeclared) forget(key)
    for (const tag of tags) for (const key of byTag.get(tag) ?? []) forget(key)
  }

  /**
   * Catches up with the commits made since the last look, retiring what they changed. Returns
   * how many commits have been processed, or null when the database cannot be read.
   */
  async function catchUp(): Promise<number | null> {
    try {
      for (const tags of await changesSinceLastLook()) retire(tags)
      return processed
    } catch {
      forgetAll()
      return null
    }
  }

  /** Whether a commit processed after `since` changed something a page with `tags` shows. */
  function changedSince(since: number, tags: ReadonlySet<string> | null): boolean {
    const count = processed - since
    if (count === 0) return false
    if (count > recent.length || !tags) return true
    return recent.slice(-count).some((changed) => !changed || changed.some((tag) => tags.has(tag)))
  }

  /** Answers from the cache when it can; returns false to let the app render. */
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!cacheable(req)) return false
    const key = keyOf(req)
    if (!entries.has(key)) return false
    // A commit retires the copies it may have changed before anything is served after it.
    if ((await catchUp()) === null) return false
    const entry = entries.get(key)
    if (!entry) return false
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
  async function remember(req: IncomingMessage, res: ServerResponse, next: () => void) {
    if (!cacheable(req) || req.method !== 'GET') return next()
    const startedAt = await catchUp()
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
      if (size > maxEntryBytes) return end(chunk, ...rest)
      // The copy is kept before the answer leaves: storing checks the change log, which on
      // PostgreSQL is a round trip, and a reader who asks again once answered must be served it.
      void store(req, res, startedAt, Buffer.concat(chunks))
        .catch((error) => console.error('[page-cache] a copy could not be kept', error))
        .then(() => end(chunk, ...rest))
      return res
    }) as typeof res.end
    next()
  }

  async function store(req: IncomingMessage, res: ServerResponse, renderedAt: number, body: Buffer) {
    if (res.statusCode !== 200 || res.hasHeader('set-cookie')) return
    if (/\b(private|no-store)\b/i.test(String(res.getHeader('cache-control') ?? ''))) return
    if (!CACHEABLE_TYPES.test(String(res.getHeader('content-type') ?? ''))) return
    const headers: OutgoingHttpHeaders = {}
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) headers[name] = value
    }
    const dependencies = dependenciesOf?.(res)
    const tags = dependencies?.declared ? dependencies.tags : null
    // A commit during the render (by this request or another) may not be in what was rendered.
    const now = await catchUp()
    if (now === null || changedSince(renderedAt, tags)) return
    const key = keyOf(req)
    forget(key)
    entries.set(key, { headers, body, gzipped: null, tags, expiresAt: Date.now() + ttlMs, refreshingSince: null })
    if (!tags) undeclared.add(key)
    else
      for (const tag of tags) {
        let keys = byTag.get(tag)
        if (!keys) byTag.set(tag, (keys = new Set()))
        keys.add(key)
      }
    bytes += body.length
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break
      forget(oldest)
    }
  }

  return { serve, remember, size: () => entries.size, bytes: () => bytes }
}
