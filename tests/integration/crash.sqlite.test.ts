// kill -9 of the production server under a mixed write load, restarting on the same SQLite
// file: the file SQLite is left with is sound.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { crashUnderWriteLoad } from '../helpers/write-load'

describe('kill -9 under a write load, on SQLite', () => {
  it('leaves a file that passes integrity_check and foreign_key_check', async () => {
    const { database, acknowledged } = await crashUnderWriteLoad(3)

    expect(acknowledged.length).toBeGreaterThan(100)
    const file = new Database(database.databasePath, { readonly: true })
    try {
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(file.pragma('foreign_key_check')).toEqual([])
    } finally {
      file.close()
    }
  }, 120_000)
})
