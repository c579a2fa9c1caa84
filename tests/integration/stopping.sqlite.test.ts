// A clean stop (SIGTERM) loses nothing: the request in flight finishes, and afterwards the
// `.db` file alone, copied without its -wal, holds every acknowledged write.
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A form POST whose body arrives in two halves, `pause` apart: a request still in flight. */
function slowPost(baseUrl: string, client: HttpClient, path: string, fields: Record<string, string>, pause: Promise<void>) {
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

describe('stopping the server with SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and leaves every write in the .db file itself', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '10000', PAGE_CACHE_TTL_MS: '0' })
    await threadByNewMember(server.baseUrl, 'Written just before the stop')

    const another = new HttpClient(undefined, server.baseUrl)
    await joinAsNewMember(another)
    let sendRest!: () => void
    const inFlight = slowPost(
      server.baseUrl,
      another,
      '/discussions/new',
      { category: 'testing-and-go-live', title: 'Written during the stop', body: 'Half sent when SIGTERM arrived.' },
      new Promise<void>((resolve) => (sendRest = resolve)),
    )
    await sleep(300)
    const stopped = server.stop()
    await sleep(500)
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow()
    sendRest()
    expect((await inFlight).status).toBe(302)
    await stopped
    expect(server.exitCode()).toBe(0)

    const walPath = `${server.databasePath}-wal`
    expect(!existsSync(walPath) || statSync(walPath).size === 0).toBe(true)
    const copy = join(mkdtempSync(join(tmpdir(), 'sectorpulse-copy-')), 'copy.db')
    copyFileSync(server.databasePath, copy)
    const file = new Database(copy, { readonly: true })
    const titles = (file.prepare('select title from threads').all() as { title: string }[]).map((row) => row.title)
    expect(titles).toContain('Written just before the stop')
    expect(titles).toContain('Written during the stop')
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
    file.close()
    expect(server.output()).toMatch(/checkpointed and closed/)
  }, 60_000)

  it('cuts off a request still running after SHUTDOWN_GRACE_MS, and still checkpoints, closes and exits', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '800' })
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
    expect(Date.now() - began).toBeLessThan(5000)
    expect(await outcome).toBe('cut off')
    expect(server.exitCode()).toBe(0)
    expect(server.output()).toMatch(/cut off/)
    expect(server.output()).toMatch(/checkpointed and closed/)
    const walPath = `${server.databasePath}-wal`
    expect(!existsSync(walPath) || statSync(walPath).size === 0).toBe(true)
  }, 60_000)
})

