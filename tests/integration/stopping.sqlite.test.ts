// A clean stop (SIGTERM) on SQLite: afterwards the `.db` file alone, copied without its -wal,
// holds every acknowledged write, the one in flight during the stop included.
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { stopWithRequestInFlight, stopWithRequestNeverFinished } from '../helpers/slow-post'
import { type RunningServer, startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'

const walIsEmpty = (server: RunningServer) => {
  const walPath = `${server.databasePath}-wal`
  return !existsSync(walPath) || statSync(walPath).size === 0
}

describe('stopping the server with SIGTERM, on SQLite', () => {
  it('leaves every write, the one in flight included, in the .db file itself', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '10000', PAGE_CACHE_TTL_MS: '0' })
    await threadByNewMember(server.baseUrl, 'Written just before the stop')
    expect((await stopWithRequestInFlight(server, 'Written during the stop')).status).toBe(302)

    expect(walIsEmpty(server)).toBe(true)
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

  it('still checkpoints and closes when a request is cut off after SHUTDOWN_GRACE_MS', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '800' })
    expect((await stopWithRequestNeverFinished(server)).outcome).toBe('cut off')
    expect(server.output()).toMatch(/checkpointed and closed/)
    expect(walIsEmpty(server)).toBe(true)
  }, 60_000)
})
