// closeDatabase, the last step of a clean stop: afterwards the .db file alone holds every
// committed write, even when a cut-off request left its transaction open.
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase, sqliteConnection } from '../../db/client'

describe('closeDatabase', () => {
  it('checkpoints committed writes into the .db file and drops a transaction left open', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sectorpulse-close-')), 'close.db')
    const database = openDatabase(path)
    await sql`create table notes (text text not null)`.execute(database)
    await sql`insert into notes values ('committed')`.execute(database)
    sqliteConnection(database).exec(`begin immediate; insert into notes values ('never acknowledged')`)

    await closeDatabase(database)

    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true)
    const copy = `${path}.copy`
    copyFileSync(path, copy)
    const file = new Database(copy, { readonly: true })
    expect(file.prepare('select text from notes').pluck().all()).toEqual(['committed'])
    file.close()
  })
})
