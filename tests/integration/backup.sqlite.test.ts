// `npm run db:backup -- PATH` while members write: every write acknowledged before the backup
// began is in the copy, the copy passes integrity_check, and it serves as a restored database.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { insertEvent, insertMembers } from './events-support'
import { HttpClient } from '../helpers/http-client'
import { withServerDatabase } from '../helpers/server-database'
import { type RunningServer, startServer } from '../helpers/start-server'
import { missingWrites, startWriteLoad, threadByNewMember } from '../helpers/write-load'

const ROOT = resolve(import.meta.dirname, '../..')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function runBackup(databasePath: string, destination: string) {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn('npm', ['run', '--silent', 'db:backup', '--', destination], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => done({ code, output }))
  })
}

const servers: RunningServer[] = []
afterAll(() => Promise.all(servers.map((server) => server.stop())))

describe('npm run db:backup', () => {
  it('copies every write acknowledged before it began, under a write load, into a sound file that a server can run on', async () => {
    const server = await startServer({ PAGE_CACHE_TTL_MS: '0' })
    servers.push(server)
    const threadPath = await threadByNewMember(server.baseUrl, 'A thread that many reply to')
    const { members, events } = await withServerDatabase(server, async (live) => ({
      members: await insertMembers(live.kysely, 400),
      events: [await insertEvent(live.kysely, { capacity: 5 }), await insertEvent(live.kysely, { capacity: null })],
    }))

    const load = startWriteLoad(server.baseUrl, members, { threadPath: threadPath, events })
    await sleep(1500)
    const destination = join(mkdtempSync(join(tmpdir(), 'sectorpulse-backup-')), 'backup.db')
    const backupBegan = Date.now()
    const backup = await runBackup(server.databasePath, destination)
    await sleep(500)
    await load.stop()

    expect(backup.output).toMatch(/integrity_check ok/)
    expect(backup.code).toBe(0)
    const before = load.acknowledged.filter((write) => write.at < backupBegan)
    expect(new Set(before.map((write) => write.kind))).toEqual(new Set(['reply', 'thread', 'rsvp', 'draft']))
    expect(load.acknowledged.length).toBeGreaterThan(before.length) // the load went on while it copied
    expect(load.serverErrors).toEqual([])

    const copy = new Database(destination)
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(copy.pragma('foreign_key_check')).toEqual([])
    copy.close()
    expect(existsSync(`${destination}-wal`)).toBe(false)
    expect(await withServerDatabase({ databasePath: destination }, (restored) => missingWrites(restored, before))).toEqual([])

    // Restoring is starting a server on the copy.
    const restored = await startServer({ DATABASE_PATH: destination })
    servers.push(restored)
    const thread = await new HttpClient(undefined, restored.baseUrl).get(threadPath)
    expect(thread.status).toBe(200)
    expect(await thread.text()).toContain(before.find((write) => write.kind === 'reply')!.key)
  }, 90_000)

  it('refuses, with a message and without creating anything, when there is no database to copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sectorpulse-backup-'))
    const backup = await runBackup(join(dir, 'missing.db'), join(dir, 'copy.db'))
    expect(backup.code).not.toBe(0)
    expect(backup.output).toMatch(/no database at/)
    expect(existsSync(join(dir, 'missing.db'))).toBe(false)
    expect(existsSync(join(dir, 'copy.db'))).toBe(false)
  })
})
