// A request still in flight, for tests of stopping the server.
import { request as httpRequest } from 'node:http'
import { HttpClient, joinAsNewMember } from './http-client'
import type { RunningServer } from './start-server'

/** A form POST whose body arrives in two halves, `pause` apart: a request still in flight. */
export function slowPost(baseUrl: string, client: HttpClient, path: string, fields: Record<string, string>, pause: Promise<void>) {
  const body = Buffer.from(new URLSearchParams(fields).toString())
  return new Promise<{ status: number; location?: string }>((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), {
      method: 'POST',
      headers: {
        Origin: baseUrl,
        Cookie: client.cookieHeader(),
        'X-Forwarded-For': client.ip,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': body.length,
      },
    })
    req.on('response', (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode!, location: response.headers.location }))
    })
    req.on('error', reject)
    req.write(body.subarray(0, 10))
    void pause.then(() => req.end(body.subarray(10)))
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * SIGTERM while a new member's thread is half sent: whether a new connection was refused during
 * the stop, and what the request in flight was answered once its rest arrived.
 */
export async function stopWithRequestInFlight(server: RunningServer, title: string) {
  const member = new HttpClient(undefined, server.baseUrl)
  await joinAsNewMember(member)
  let sendRest!: () => void
  const inFlight = slowPost(
    server.baseUrl,
    member,
    '/discussions/new',
    { category: 'testing-and-go-live', title, body: 'Half sent when SIGTERM arrived.' },
    new Promise<void>((resolve) => (sendRest = resolve)),
  )
  await sleep(300)
  const stopped = server.stop()
  await sleep(500)
  const healthzDuringStop = await fetch(`${server.baseUrl}/healthz`).then(
    () => 'answered',
    () => 'refused',
  )
  sendRest()
  const { status } = await inFlight
  await stopped
  return { healthzDuringStop, status }
}

/** SIGTERM while a request never finishes sending: how it ended, and how long the stop took. */
export async function stopWithRequestNeverFinished(server: RunningServer) {
  const member = new HttpClient(undefined, server.baseUrl)
  await joinAsNewMember(member)
  const neverFinished = slowPost(server.baseUrl, member, '/discussions/new', { title: 'Never sent whole' }, new Promise(() => {}))
  const outcome = neverFinished.then(
    () => 'answered',
    () => 'cut off',
  )
  await sleep(300)
  const began = Date.now()
  await server.stop()
  return { stopMs: Date.now() - began, outcome: await outcome }
}
