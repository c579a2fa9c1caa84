/**
 * The benchmark's reference: a bare node:http server answering every request with the same
 * bytes (a page the app rendered), so the app's requests/s can be read as a share of what this
 * machine's HTTP stack alone can do. Started by tests/bench/run.ts as its own process.
 *
 *   BARE_BODY_FILE=page.html BARE_CONTENT_TYPE='text/html; charset=utf-8' PORT=4109 node --import tsx tests/bench/bare-server.ts
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const body = readFileSync(process.env.BARE_BODY_FILE ?? '')
const contentType = process.env.BARE_CONTENT_TYPE || 'text/html; charset=utf-8'
const port = Number(process.env.PORT ?? 4109)
const host = process.env.HOST ?? '127.0.0.1'

const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length })
  response.end(body)
})
server.listen(port, host, () => console.log(`bare server on http://${host}:${port} (${body.length} bytes)`))

const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
