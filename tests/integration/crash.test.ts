// kill -9 of the production server under a mixed write load, then a restart on the same file,
// three times: no acknowledged write is missing, the file is sound, every counter agrees.
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { insertEvent, insertMembers } from './events-support'
import { HttpClient } from '../helpers/http-client'
import { type RunningServer, startServer } from '../helpers/start-server'
import { type AcknowledgedWrite, counterMismatches, missingWrites, startWriteLoad, threadByNewMember } from '../helpers/write-load'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const CRASHES = 3

let server: RunningServer | undefined
afterAll(() => server?.stop())

describe('kill -9 under a write load', () => {
  it(`loses no acknowledged write and leaves a sound file with true counters, ${CRASHES} times over`, async () => {
    server = await startServer({ PAGE_CACHE_TTL_MS: '0' })
    const databasePath = server.databasePath
    const threadPath = await threadByNewMember(server.baseUrl, 'A thread written to while the server dies')
    const setup = new Database(databasePath)
    setup.pragma('busy_timeout = 5000')
    const postId = (setup.prepare('select id from posts where thread_id = ? and number = 1').get(Number(threadPath.split('/')[2])) as { id: number }).id
    const caseSlug = (setup.prepare(`select slug from cases where status = 'published' limit 1`).get() as { slug: string }).slug
    const events = [insertEvent(setup, { capacity: 3 }), insertEvent(setup, { capacity: null })]
    const members = insertMembers(setup, 1500)
    setup.close()

    const acknowledged: AcknowledgedWrite[] = []
    const serverErrors: string[] = []
    let unused = members
    for (let crash = 0; crash < CRASHES; crash++) {
      const load = startWriteLoad(server.baseUrl, unused, { threadPath, events, postId, caseSlug }, 8)
      await sleep(1500 + crash * 500)
      await server.kill()
      await load.stop()
      acknowledged.push(...load.acknowledged)
      serverErrors.push(...load.serverErrors)
      unused = unused.slice(load.membersTaken)

      server = await startServer({ DATABASE_PATH: databasePath, PAGE_CACHE_TTL_MS: '0' })
      expect((await new HttpClient(undefined, server.baseUrl).get(threadPath)).status).toBe(200)
    }
    await server.stop()

    expect(serverErrors).toEqual([])
    expect(acknowledged.length).toBeGreaterThan(100)
    expect(new Set(acknowledged.map((write) => write.kind))).toEqual(
      new Set(['reply', 'thread', 'rsvp', 'draft', 'helpful-post', 'case-reaction']),
    )
    const file = new Database(databasePath, { readonly: true })
    try {
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(file.pragma('foreign_key_check')).toEqual([])
      expect(missingWrites(file, acknowledged)).toEqual([])
      expect(counterMismatches(file)).toEqual([])
    } finally {
      file.close()
    }
  }, 120_000)
})
