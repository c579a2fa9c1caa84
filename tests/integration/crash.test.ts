// kill -9 of the production server under a mixed write load, then a restart on the same
// database, three times: no acknowledged write is missing, every counter agrees.
import { describe, expect, it } from 'vitest'
import { withServerDatabase } from '../helpers/server-database'
import { counterMismatches, crashUnderWriteLoad, missingWrites } from '../helpers/write-load'

const CRASHES = 3

describe('kill -9 under a write load', () => {
  it(`loses no acknowledged write and leaves true counters, ${CRASHES} times over`, async () => {
    const { database, acknowledged, serverErrors, threadStatuses } = await crashUnderWriteLoad(CRASHES)

    expect(threadStatuses).toEqual(Array(CRASHES).fill(200))
    expect(serverErrors).toEqual([])
    expect(acknowledged.length).toBeGreaterThan(100)
    expect(new Set(acknowledged.map((write) => write.kind))).toEqual(
      new Set(['reply', 'thread', 'rsvp', 'draft', 'helpful-post', 'case-reaction']),
    )
    await withServerDatabase(database, async (db) => {
      expect(await missingWrites(db, acknowledged)).toEqual([])
      expect(await counterMismatches(db)).toEqual([])
    })
  }, 120_000)
})
