import { randomBytes } from 'node:crypto'
import { PassThrough, Transform } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { RequestInfoProvider } from './components/request-info'
import { prefixTitleInHtml } from './lib/error-title'
import { jobTasks, startJobs } from './jobs/scheduler.server'
import { changesAfter, databaseVersion, latestChangeId } from '../db/client'

const ABORT_DELAY = 5_000

// The id a failed request was logged under, so the error page can show it to the member.
const errorIds = new WeakMap<Request, string>()

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  const errorId = randomBytes(4).toString('hex')
  errorIds.set(request, errorId)
  console.error(`[error ${errorId}] ${request.method} ${new URL(request.url).pathname}`, error)
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce
  // Crawlers and no-JavaScript readers get the whole document at once; browsers get a stream.
  const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <RequestInfoProvider value={{ nonce, errorId: errorIds.get(request) ?? null }}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </RequestInfoProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true
          const body = refusedSubmission(request, responseStatusCode) ? titleAsError() : new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}
/** A form the action refused (400, 403, 409, 429...): the page shows why, and its title says so. */
const refusedSubmission = (request: Request, status: number) => request.method !== 'GET' && status >= 400 && status < 500

/** Passes the document through, with "Error: " added to its <title> (which is in the first chunks, the head). */
function titleAsError(): Transform {
  const decoder = new StringDecoder('utf8')
  let head = ''
  let done = false
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (done) return callback(null, chunk)
      head += decoder.write(chunk)
      if (!head.includes('</title>') && head.length < 65_536) return callback()
      done = true
      callback(null, prefixTitleInHtml(head))
    },
    flush(callback) {
      callback(null, done ? undefined : prefixTitleInHtml(head + decoder.end()))
    },
  })
}

/** The database's change log, for server.ts's page cache (app/lib/page-cache.server.ts). */
export const pageChanges = {
  version: () => databaseVersion(),
  latestId: () => latestChangeId(),
  after: (id: number) => changesAfter(id),
}

/** Starts the background jobs (mail, ...) on this build's database connection; server.ts calls it. */
export function startBackgroundJobs() {
  return startJobs(jobTasks())
}
export { closeDatabase } from '../db/client'
export { answeringDatabaseUnavailable } from './lib/database-unavailable.server'
