import Database from 'better-sqlite3'
import { afterEach, describe, it, expect } from 'vitest'
import { sql } from 'kysely'
import { db, isDatabaseUnavailable, recentWriteFailure, writeTransaction } from '../../db/client'

let n = 0
function category(slug = `wt-${++n}`) {
  return { slug, name: slug, description_md: '', description_html: '', position: n, source_hash: 'x' }
}

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

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

function busyError(fn: () => unknown): { code?: string } | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return error as { code?: string }
  }
}

const slugsIn = async () => (await db.selectFrom('categories').select('slug').execute()).map((r) => r.slug)

describe('writeTransaction', () => {
  it('commits what the work wrote and returns its result', async () => {
    const a = category()
    const b = category()
    const result = await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      await trx.insertInto('categories').values(b).execute()
      return 'done'
    })
    expect(result).toBe('done')
    expect(await slugsIn()).toEqual(expect.arrayContaining([a.slug, b.slug]))
    // Durable and visible to another connection, not just cached in this one.
    const other = secondConnection()
    const seen = other.prepare('select slug from categories where slug in (?, ?)').all(a.slug, b.slug)
    expect(seen).toHaveLength(2)
  })

  it('rolls everything back when the work throws, and rethrows the error', async () => {
    const a = category()
    const b = category()
    const boom = new Error('boom')
    await expect(
      writeTransaction(async (trx) => {
        await trx.insertInto('categories').values(a).execute()
        await trx.insertInto('categories').values(b).execute()
        await trx.updateTable('categories').set({ name: 'changed' }).execute()
        throw boom
      }),
    ).rejects.toBe(boom)
    const slugs = await slugsIn()
    expect(slugs).not.toContain(a.slug)
    expect(slugs).not.toContain(b.slug)
    expect(await db.selectFrom('categories').select('name').where('name', '=', 'changed').execute()).toEqual([])
  })

  it('rolls back when a statement fails half-way (constraint violation)', async () => {
    const a = category()
    await expect(
      writeTransaction(async (trx) => {
        await trx.insertInto('categories').values(a).execute()
        await trx.insertInto('categories').values({ ...category(), slug: a.slug }).execute()
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
    expect(await slugsIn()).not.toContain(a.slug)
    // The connection is usable afterwards: no transaction was left open.
    await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
    })
    expect(await slugsIn()).toContain(a.slug)
  })

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

  it('another connection never sees a half-written transaction', async () => {
    const wrote = deferred()
    const gate = deferred()
    const a = category()
    const b = category()
    const other = secondConnection()
    const count = other.prepare('select count(*) as n from categories where slug in (?, ?)')

    const transaction = writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      wrote.resolve()
      await gate.promise
      await trx.insertInto('categories').values(b).execute()
    })
    await wrote.promise
    expect(count.get(a.slug, b.slug)).toEqual({ n: 0 })
    gate.resolve()
    await transaction
    expect(count.get(a.slug, b.slug)).toEqual({ n: 2 })
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
