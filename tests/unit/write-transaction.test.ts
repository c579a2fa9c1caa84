// writeTransaction on either database: all or nothing, seen whole or not at all by another
// connection. How each database keeps writes one at a time (BEGIN IMMEDIATE, an advisory lock)
// is tested in write-transaction.sqlite.test.ts and write-transaction.postgres.test.ts.
import { describe, expect, it } from 'vitest'
import { db, isUniqueViolation, writeTransaction } from '../../db/client'
import { anotherServer, category, countOf, deferred } from './write-transaction-support'

describe('writeTransaction', () => {
  it('commits what the work wrote, seen by another connection, and returns its result', async () => {
    const [a, b] = [category(), category()]
    const result = await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      await trx.insertInto('categories').values(b).execute()
      return 'done'
    })
    expect(result).toBe('done')
    expect(await countOf(anotherServer(), [a.slug, b.slug])).toBe(2)
  })

  it('rolls everything back when the work throws, and rethrows the error', async () => {
    const [a, b] = [category(), category()]
    const boom = new Error('boom')
    await expect(
      writeTransaction(async (trx) => {
        await trx.insertInto('categories').values(a).execute()
        await trx.insertInto('categories').values(b).execute()
        await trx.updateTable('categories').set({ name: 'changed' }).execute()
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await countOf(db, [a.slug, b.slug])).toBe(0)
    expect(await db.selectFrom('categories').select('name').where('name', '=', 'changed').execute()).toEqual([])
  })

  it('rolls back when a statement fails half-way (a unique violation), and the connection goes on', async () => {
    const a = category()
    const failure = await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      await trx.insertInto('categories').values({ ...category(), slug: a.slug }).execute()
    }).catch((error: unknown) => error)
    expect(isUniqueViolation(failure)).toBe(true)
    expect(await countOf(db, [a.slug])).toBe(0)
    // No transaction was left open.
    await writeTransaction((trx) => trx.insertInto('categories').values(a).execute())
    expect(await countOf(db, [a.slug])).toBe(1)
  })

  it('another connection never sees a half-written transaction', async () => {
    const wrote = deferred()
    const gate = deferred()
    const [a, b] = [category(), category()]
    const other = anotherServer()
    const transaction = writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      wrote.resolve()
      await gate.promise
      await trx.insertInto('categories').values(b).execute()
    })
    await wrote.promise
    expect(await countOf(other, [a.slug, b.slug])).toBe(0)
    gate.resolve()
    await transaction
    expect(await countOf(other, [a.slug, b.slug])).toBe(2)
  })
})
