import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { constants as zlibConstants } from 'node:zlib'
import type { ServerBuild } from '@remix-run/node'
import { createRequestHandler } from '@remix-run/express'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import cluster from 'node:cluster'
import { prepareDatabase } from './db/startup'
import { runsBackgroundJobs, superviseWorkers, supervisesWorkers } from './server-cluster'
import { createPageCache } from './app/lib/page-cache.server'
import type { ChangeFeed } from './db/change-feed'
import { siteUrl } from './app/lib/site-url'
import { newPageDependencies, type PageDependencies } from './db/page-tags'

const production = process.env.NODE_ENV === 'production'
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '0.0.0.0'
// The biggest legitimate form, a case submission at every field's limit, is about 65,000
// characters: under 600 KB even if every character is non-ASCII and percent-encoded.
const maxBodyBytes = Number(process.env.MAX_BODY_BYTES || 1024 * 1024)
if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) throw new Error('MAX_BODY_BYTES must be a whole number of bytes.')

declare module '@remix-run/node' {
  interface AppLoadContext {
    cspNonce: string
    clientIp: string
    /** The HTTP method the browser sent: Remix hands loaders a GET even after a form post. */
    requestMethod: string
    /** What the page shows, declared by its routes (db/page-tags.ts) for the page cache. */
    pageDependencies: PageDependencies
  }
}

// Read once at start, so a malformed SITE_URL stops the server instead of failing per request.
const site = new URL(siteUrl())

// The first process prepares the database once. With more than one worker it then forks the
// workers (which run the rest of this file) and only supervises them: it never gets past here.
if (cluster.isPrimary) await prepareDatabase()
if (supervisesWorkers()) await superviseWorkers()

const viteDevServer = production
  ? undefined
  : await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true } }))

const app = express()
app.disable('x-powered-by')
// Behind a reverse proxy, TRUST_PROXY=1 makes req.ip the client's address, not the proxy's.
if (process.env.TRUST_PROXY) app.set('trust proxy', Number(process.env.TRUST_PROXY) || process.env.TRUST_PROXY)

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString('base64')
  res.locals.cspNonce = nonce
  const scriptSrc = `'self' 'nonce-${nonce}'`
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src ${scriptSrc}`,
      // Vite injects CSS as <style> elements while developing; the built app uses files only.
      production ? "style-src 'self'" : "style-src 'self' 'unsafe-inline'",
      // Markdown shows images from elsewhere as links (tracking pixels), so nothing loads from other hosts.
      "img-src 'self' data:",
      production ? "connect-src 'self'" : "connect-src 'self' ws: wss:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  )
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
  next()
})

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses any state-changing request that a page of another site could have sent. */
function requireSameOrigin(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next()
  // RFC 8058 one-click unsubscribe comes from a mail provider's server, with no Origin; its
  // signed token is the only authority it needs, and all it can do is turn email off.
  if (req.method === 'POST' && req.path.startsWith('/email/unsubscribe/')) return next()
  const origin = req.get('Origin')
  const fetchSite = req.get('Sec-Fetch-Site')
  // The whole origin: scheme and port too, so http://host is not accepted for https://host.
  const sameSite = origin ? origin === site.origin : fetchSite === 'same-origin'
  if (sameSite) return next()
  res.status(403).type('text/plain').send(`Forbidden: this request did not come from SectorPulse at ${site.origin}.`)
}
app.use(requireSameOrigin)

// Compression is a large share of a page's CPU. Brotli at quality 1 makes pages as small as
// gzip's default level at a fifth of its cost (measured on a 100 KB thread page: 0.3 ms and
// 13.0 KB against 1.5 ms and 12.8 KB); gzip level 1, for clients without brotli, halves gzip's cost.
app.use(compression({ level: 1, brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } } }))

if (viteDevServer) {
  app.use(viteDevServer.middlewares)
} else {
  // Vite fingerprints everything under /assets, so those files never change.
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
  // The few files copied from public/ (the favicon...), listed once: asking the disk for every
  // page's path first cost a failed stat and an error object per page.
  const publicFiles = new Set(
    readdirSync('build/client', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => '/' + relative('build/client', join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/')),
  )
  const servePublicFile = express.static('build/client', { maxAge: '1h' })
  app.use((req, res, next) => (publicFiles.has(req.path) ? servePublicFile(req, res, next) : next()))
}

/** What server.ts needs from the app's bundle, which holds the process's database connection. */
interface AppEntry {
  pageChanges: ChangeFeed
  closeDatabase: () => Promise<void>
  answeringDatabaseUnavailable: (build: ServerBuild) => ServerBuild
  startBackgroundJobs: () => { stop: () => Promise<void> }
}
const unavailableChanges: ChangeFeed = {
  version: async () => {
    throw new Error('No page cache while developing')
  },
  latestId: async () => 0,
  after: async () => ({ version: '', rows: [] }),
}
const appEntry = (serverBuild: ServerBuild) => serverBuild.entry.module as unknown as AppEntry
const wired = (serverBuild: ServerBuild) => appEntry(serverBuild).answeringDatabaseUnavailable(serverBuild)

const loadDevBuild = () => viteDevServer!.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
const build = viteDevServer
  ? async () => wired(await loadDevBuild())
  : wired((await import(new URL('./build/server/index.js', import.meta.url).href)) as ServerBuild)

// Recently rendered pages are answered from memory until a commit changes what they show (see
// page-cache.server.ts). Off while developing, so every edit shows at once.
const pageCache = createPageCache({
  ttlMs: typeof build === 'function' ? 0 : Number(process.env.PAGE_CACHE_TTL_MS ?? (production ? 10_000 : 0)),
  maxBytes: 32 * 1024 * 1024,
  maxEntryBytes: 512 * 1024,
  changes: typeof build === 'function' ? unavailableChanges : appEntry(build).pageChanges,
  dependenciesOf: (res) => (res as Response).locals?.pageDependencies as PageDependencies | undefined,
})
app.use(pageCache.remember)

app.all(
  '*',
  createRequestHandler({
    build,
    mode: production ? 'production' : 'development',
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce as string,
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      requestMethod: req.method,
      pageDependencies: (res.locals.pageDependencies = newPageDependencies()),
    }),
  }),
)

let stopping = false
const inFlight = new Set<ServerResponse>()

/**
 * Every request reaches the cache and the app as if addressed to SITE_URL. Remix builds
 * request.url from Host and X-Forwarded-Host (it takes the latter's port even without
 * TRUST_PROXY), so without this a sender could choose the origin a page is rendered for, and
 * the page cache, keyed on what a page may depend on (its URL and cookies), would keep that
 * page for everyone. X-Forwarded-For stays: Express reads it only under TRUST_PROXY.
 */
function addressToSite(req: IncomingMessage) {
  req.headers.host = site.host
  delete req.headers['x-forwarded-host']
  delete req.headers['x-forwarded-proto']
  delete req.headers.forwarded
}

/**
 * Refuses a body too big to be a form before a byte of it is parsed. Node stops reading a body at
 * its declared Content-Length, so with the length checked here nothing larger reaches a parser.
 * A chunked body declares no length and would be read whole to learn it: browsers never send
 * forms that way, so it is refused too, and its connection closed.
 *
 * The rest of a declared body is read and thrown away after the answer (Node does that for a
 * body nobody read) rather than the connection closed under it: a client still sending when the
 * connection closes meets a broken pipe and never sees the 413. Only a body past
 * `discardableBodyBytes` is not worth receiving to say so.
 */
const discardableBodyBytes = 64 * 1024 * 1024

function refuseOversizedBody(req: IncomingMessage, res: ServerResponse): boolean {
  const declared = req.headers['content-length']
  const chunked = req.headers['transfer-encoding'] !== undefined
  let refusal: [number, string] | null = null
  if (chunked) refusal = [411, 'Length Required: send the form with a Content-Length header.']
  else if (declared !== undefined && Number(declared) > maxBodyBytes) {
    refusal = [413, `Payload Too Large: SectorPulse accepts at most ${Math.floor(maxBodyBytes / 1024)} KB in one request.`]
  }
  if (!refusal) return false
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }
  if (chunked || Number(declared) > discardableBodyBytes) headers.Connection = 'close'
  res.writeHead(refusal[0], headers)
  res.end(refusal[1])
  return true
}

// The cache answers before Express runs at all: a hit costs a map lookup and a write.
const server = createServer((req, res) => {
  if (stopping) {
    // A request on a kept-alive connection after the stop began: refused whole, never cut.
    res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '5', Connection: 'close' })
    res.end('SectorPulse is restarting. Try again in a few seconds.')
    return
  }
  if (refuseOversizedBody(req, res)) return
  addressToSite(req)
  inFlight.add(res)
  // An answer sent before the app read the whole body (a sign-in redirect for an anonymous
  // post) leaves the rest on the connection, paused by the app's unread stream, where it would
  // hold up the next request. It is at most maxBodyBytes: read it and throw it away, so the
  // client, perhaps still sending, gets its answer instead of a broken pipe.
  res.once('finish', () => {
    if (req.complete) return
    req.removeAllListeners('data')
    req.resume()
  })
  res.once('close', () => {
    inFlight.delete(res)
    // Its connection is idle now; while stopping, nothing more may arrive on it.
    if (stopping) setImmediate(() => server.closeIdleConnections())
  })
  void pageCache.serve(req, res).then((served) => {
    if (!served) app(req, res)
  })
})
// Background jobs (notifications, mail, ...) run on the build's own database connection, in one
// process only (the first worker under WEB_CONCURRENCY); with JOBS_IN_SERVER=false they are
// left to `npm run mailer`.
const jobsEntry = appEntry(typeof build === 'function' ? await build() : build)
let jobs: { stop: () => Promise<void> } | null = null

server.listen(port, host, () => {
  console.log(`SectorPulse is listening on ${host}:${port}; open it at ${site.origin} (SITE_URL)`)
  if (process.env.JOBS_IN_SERVER !== 'false' && runsBackgroundJobs()) jobs = jobsEntry.startBackgroundJobs()
})

const shutdownGraceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000)

/**
 * Stops without losing anything: no new connections, idle keep-alive connections closed, the
 * requests in flight given SHUTDOWN_GRACE_MS to finish (each answered with Connection: close),
 * then the WAL checkpointed into the database file and the database closed.
 */
function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  // No job starts a new run from now on; the one running finishes before the database closes.
  const jobsStopped = jobs?.stop() ?? Promise.resolve()
  console.log(`${signal}: finishing requests in flight (up to ${shutdownGraceMs} ms), then closing the database.`)
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close')
  const cutOff = setTimeout(() => {
    console.error(`Requests still running after SHUTDOWN_GRACE_MS (${shutdownGraceMs} ms) were cut off.`)
    server.closeAllConnections()
  }, shutdownGraceMs)
  server.close(async () => {
    clearTimeout(cutOff)
    try {
      await jobsStopped
      await appEntry(typeof build === 'function' ? await loadDevBuild() : build).closeDatabase()
      await viteDevServer?.close()
      console.log('Stopped: the database is checkpointed and closed.')
      process.exit(0)
    } catch (error) {
      console.error('Closing the database failed:', error)
      process.exit(1)
    }
  })
  server.closeIdleConnections()
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
