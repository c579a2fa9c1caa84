// A clean stop (SIGTERM) loses nothing, on either database: the request in flight finishes and
// is stored, new connections are refused, and one still running past the grace is cut off.
// (stopping.sqlite.test.ts adds what SQLite's files must look like afterwards.)
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { withServerDatabase } from '../helpers/server-database'
import { stopWithRequestInFlight, stopWithRequestNeverFinished } from '../helpers/slow-post'
import { startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'

describe('stopping the server with SIGTERM', () => {
  it('finishes the request in flight, refuses new connections, and keeps every write', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '10000', PAGE_CACHE_TTL_MS: '0' })
    await threadByNewMember(server.baseUrl, 'Written just before the stop')

    expect(await stopWithRequestInFlight(server, 'Written during the stop')).toEqual({ healthzDuringStop: 'refused', status: 302 })
    expect(server.exitCode()).toBe(0)
    const titles = await withServerDatabase(server, async (database) =>
      (await database.all<{ title: string }>(sql`select title from threads`)).map((row) => row.title),
    )
    expect(titles).toContain('Written just before the stop')
    expect(titles).toContain('Written during the stop')
  }, 60_000)

  it('cuts off a request still running after SHUTDOWN_GRACE_MS and exits', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '800' })
    const { stopMs, outcome } = await stopWithRequestNeverFinished(server)
    expect(stopMs).toBeLessThan(5000)
    expect(outcome).toBe('cut off')
    expect(server.exitCode()).toBe(0)
    expect(server.output()).toMatch(/cut off/)
  }, 60_000)
})
