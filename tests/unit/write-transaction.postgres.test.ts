// One writer at a time across app servers on PostgreSQL, from the start of each write
// transaction, as the models' rules expect. SQLite's twin (write-transaction.sqlite.test.ts)
// shows its lock with a connection that does not wait: better-sqlite3 waits synchronously, so a
// waiting connection in the holder's own process would stop the holder as well.
import { describe, expect, it } from 'vitest'
import { writeTransaction } from '../../db/client'
import { anotherServer, category, countOf, deferred } from './write-transaction-support'

describe('writeTransaction on PostgreSQL', () => {
  it('lets one write run at a time across servers, from its start, while readers read', async () => {
    const started = deferred()
    const gate = deferred()
    const [first, second] = [category(), category()]
    const order: string[] = []
    const holding = writeTransaction(async (trx) => {
      started.resolve()
      await gate.promise
      await trx.insertInto('categories').values(first).execute()
      order.push('first')
    })
    await started.promise

    const other = anotherServer()
    // Nothing written yet, and the other server's write already waits for this one...
    const waiting = writeTransaction(async (trx) => {
      // It starts after the first committed, and sees its row.
      order.push(`second saw ${await countOf(trx, [first.slug])}`)
      await trx.insertInto('categories').values(second).execute()
    }, other)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(order).toEqual([])
    // ...while reading goes on.
    expect(await countOf(other, [first.slug, second.slug])).toBe(0)

    gate.resolve()
    await Promise.all([holding, waiting])
    expect(order).toEqual(['first', 'second saw 1'])
  })

})
