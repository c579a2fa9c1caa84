// writeTransaction on PostgreSQL (its SQLite twin is write-transaction.sqlite.test.ts): all or
// nothing, and one writer at a time across every process, as the models' rules expect.
import { afterEach, describe, expect, it } from 'vitest'
import { db, isUniqueViolation, openDatabase, writeTransaction } from '../../db/client'

let n = 0
function category(slug = `pg-wt-${++n}`) {
  return { slug, name: slug, description_md: '', description_html: '', position: n, source_hash: 'x' }
}

/** Another app server's connection pool on the same database. */
const opened: ReturnType<typeof openDatabase>[] = []
function anotherServer() {
  const other = openDatabase(undefined, process.env.DATABASE_URL!)
  opened.push(other)
  return other
}
afterEach(async () => {
  for (const other of opened.splice(0)) await other.destroy()
})

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const countOf = async (database: typeof db, slugs: string[]) =>
  Number((await database.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', 'in', slugs).executeTakeFirstOrThrow()).n)

describe('writeTransaction on PostgreSQL', () => {
  it('commits what the work wrote, seen by another server, and rolls back all of it when the work throws', async () => {
    const [a, b, c] = [category(), category(), category()]
    expect(await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      await trx.insertInto('categories').values(b).execute()
      return 'done'
    })).toBe('done')
    expect(await countOf(anotherServer(), [a.slug, b.slug])).toBe(2)

    const boom = new Error('boom')
    await expect(writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(c).execute()
      throw boom
    })).rejects.toBe(boom)
    expect(await countOf(db, [c.slug])).toBe(0)
  })

  it('rolls back when a statement fails half-way (a unique violation), and the pool goes on', async () => {
    const a = category()
    const failure = await writeTransaction(async (trx) => {
      await trx.insertInto('categories').values(a).execute()
      await trx.insertInto('categories').values({ ...category(), slug: a.slug }).execute()
    }).catch((error: unknown) => error)
    expect(isUniqueViolation(failure)).toBe(true)
    expect(await countOf(db, [a.slug])).toBe(0)
    await writeTransaction((trx) => trx.insertInto('categories').values(a).execute())
    expect(await countOf(db, [a.slug])).toBe(1)
  })

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

  it('another server never sees a half-written transaction', async () => {
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
