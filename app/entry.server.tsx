import { randomBytes } from 'node:crypto'
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { renderToString } from 'react-dom/server'
import { RequestInfoProvider } from './components/request-info'
import { prefixTitleInHtml, retitleHtml, titleFromActions } from './lib/document-title'
import { jobTasks, startJobs } from './jobs/scheduler.server'
import { changeFeedOf } from '../db/client'

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
  // No page defers data, so a stream would carry nothing earlier than the whole document does;
  // rendering to one string spares React's stream machinery and lets compression work on one
  // buffer instead of many small chunks (a third of the CPU of a page went to those).
  const document =
    '<!DOCTYPE html>' +
    renderToString(
      <RequestInfoProvider value={{ nonce, errorId: errorIds.get(request) ?? null }}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </RequestInfoProvider>,
    )
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  const actionTitle = titleFromActions(remixContext.staticHandlerContext.actionData, (id) => remixContext.routeModules[id]?.handle)
  const titled = actionTitle ? retitleHtml(document, actionTitle) : document
  const html = refusedSubmission(request, responseStatusCode) ? prefixTitleInHtml(titled) : titled
  // Bytes, not a string: undici would otherwise scan the whole string for lone surrogates first.
  return new Response(Buffer.from(html, 'utf8'), {
    headers: responseHeaders,
    status: responseStatusCode,
  })
}
/** A form the action refused (400, 403, 409, 429...): the page shows why, and its title says so. */
const refusedSubmission = (request: Request, status: number) => request.method !== 'GET' && status >= 400 && status < 500

/** The database's change log, for server.ts's page cache (app/lib/page-cache.server.ts). */
export const pageChanges = changeFeedOf()

/** Starts the background jobs (mail, ...) on this build's database connection; server.ts calls it. */
export function startBackgroundJobs() {
  return startJobs(jobTasks())
}
export { closeDatabase } from '../db/client'
export { answeringDatabaseUnavailable } from './lib/database-unavailable.server'
