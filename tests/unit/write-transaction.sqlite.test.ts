// What only SQLite has: the write lock taken at BEGIN (IMMEDIATE), and a full disk. The rules
// both databases share are in write-transaction.test.ts.
import Database from 'better-sqlite3'
import { afterEach, describe, it, expect } from 'vitest'
import { sql } from 'kysely'
import { db, isDatabaseUnavailable, recentWriteFailure, writeTransaction } from '../../db/client'
import { category, deferred } from './write-transaction-support'

const opened: Database.Database[] = []
function secondConnection(): Database.Database {
  const conn = new Database(process.env.DATABASE_PATH!, { timeout: 0 })
  opened.push(conn)
  return conn
}
afterEach(() => {
  for (const conn of opened.splice(0)) {
    if (conn.inTransaction) conn.exec('rollback')
    conn.close()
  }
})

function busyError(fn: () => unknown): { code?: string } | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return error as { code?: string }
  }
}

const slugsIn = async () => (await db.selectFrom('categories').select('slug').execute()).map((r) => r.slug)

describe('writeTransaction on SQLite', () => {
  it('takes the write lock at BEGIN, before writing anything (BEGIN IMMEDIATE)', async () => {
    const started = deferred()
    const gate = deferred()
    const a = category()
    const other = secondConnection()

    const transaction = writeTransaction(async (trx) => {
      started.resolve()
      await gate.promise
      await trx.insertInto('categories').values(a).execute()
      return 'written'
    })
    await started.promise

    // Nothing written yet, but another writer is already locked out...
    const error = busyError(() => other.exec('begin immediate'))
    expect(error?.code).toBe('SQLITE_BUSY')
    expect(other.inTransaction).toBe(false)
    // ...while readers still read (WAL).
    expect(other.prepare('select count(*) as n from categories').get()).toBeDefined()

    gate.resolve()
    expect(await transaction).toBe('written')

    other.exec('begin immediate')
    expect(other.inTransaction).toBe(true)
    other.exec('rollback')
  })

  it('on a full disk, rethrows SQLite\'s own error (SQLITE_FULL), leaves nothing half-written and records the failure', async () => {
    const a = category()
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0].page_count
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db)
    try {
      const failure = await writeTransaction(async (trx) => {
        await trx.insertInto('categories').values(a).execute()
        await trx
          .insertInto('categories')
          .values({ ...category(), description_md: 'x'.repeat(200_000) })
          .execute()
      }).catch((error: unknown) => error)
      expect(failure).toMatchObject({ code: 'SQLITE_FULL' })
      expect(isDatabaseUnavailable(failure)).toBe(true)
      expect(recentWriteFailure()).toMatchObject({ code: 'SQLITE_FULL' })
    } finally {
      await sql.raw('pragma max_page_count = 4294967294').execute(db)
    }
    expect(await slugsIn()).not.toContain(a.slug)
    await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
    })
    expect(await slugsIn()).toContain(a.slug)
  })
})
