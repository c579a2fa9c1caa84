// The change log every commit leaves for the page caches (db/client.ts), on a real SQLite file.
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { changeFeedOf, db, dialectOf, noteChanges, openDatabase, writeMemberBookkeeping, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import { takeToken } from '../../app/models/rate-limit.server'
import { insertMember } from '../helpers/model-fixtures'

let n = 0
const category = () => ({ slug: `log-${++n}`, name: `log ${n}`, description_md: '', description_html: '', position: 1000 + n, source_hash: 'x' })

/** The tags of the rows the work left, oldest first. */
const feed = changeFeedOf()

async function rowsLeftBy(work: () => Promise<unknown>): Promise<string[]> {
  const before = await feed.latestId()
  await work()
  return (await feed.after(before)).rows.map((row) => row.tags)
}

describe('the change log', () => {
  it('records what a write transaction noted, in one row per commit', async () => {
    const tags = await rowsLeftBy(() =>
      writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.thread(12), pageTags.threads])
        await trx.insertInto('categories').values(category()).execute()
        await trx.insertInto('categories').values(category()).execute()
      }),
    )
    expect(tags).toEqual(['thread:12 threads'])
  })

  it('records "*" (everything) for a write that noted nothing, inside a transaction or not', async () => {
    const inTransaction = await rowsLeftBy(() => writeTransaction((trx) => trx.insertInto('categories').values(category()).execute()))
    const onItsOwn = await rowsLeftBy(() => db.insertInto('categories').values(category()).execute())
    expect(inTransaction).toEqual(['*'])
    expect(onItsOwn).toEqual(['*'])
  })

  it('records nothing for a transaction that only read; for one rolled back after writing, "*" where a page may have seen its rows', async () => {
    expect(await rowsLeftBy(() => writeTransaction((trx) => trx.selectFrom('categories').select('id').execute()))).toEqual([])
    const rolledBack = await rowsLeftBy(() =>
      writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.thread(1)])
        await trx.insertInto('categories').values(category()).execute()
        throw new Error('refused after writing')
      }).catch(() => undefined),
    )
    // On SQLite's one connection a page rendered while it was open may show the row that was
    // undone; on PostgreSQL no other request reads through its connection.
    expect(rolledBack).toEqual(dialectOf() === 'sqlite' ? ['*'] : [])
  })

  it('joins the tags of a nested call to its outer transaction', async () => {
    const tags = await rowsLeftBy(() =>
      writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.cases])
        await writeTransaction(async (inner) => {
          noteChanges(inner, [pageTags.thread(3)])
          await inner.insertInto('categories').values(category()).execute()
        }, trx)
      }),
    )
    expect(tags).toEqual(['cases thread:3'])
  })

  it('tags a member’s bookkeeping with that member only, and leaves every other write waiting for the disk', async () => {
    const member = await insertMember()
    const tags = await rowsLeftBy(() =>
      writeMemberBookkeeping(pageTags.member(member.id), (trx) =>
        trx.updateTable('users').set({ updated_at: new Date().toISOString() }).where('id', '=', member.id).execute(),
      ),
    )
    expect(tags).toEqual([`member:${member.id}`])
    // The relaxed setting lasted only for the bookkeeping's own commit.
    if (dialectOf() === 'sqlite') expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0].synchronous).toBe(2)
    else expect((await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0].synchronous_commit).toBe('on')
  })

  it('tags the mail sender’s own writes as mail, and rate-limit writes as rate limits', async () => {
    const mail = await rowsLeftBy(() => db.updateTable('mail_outbox').set({ attempts: 0 }).where('id', '=', -1).execute())
    const limits = await rowsLeftBy(async () => takeToken({ limiter: 'change-log-test', capacity: 2, refillPerMs: 0.001 }, 'key', Date.now()))
    expect(mail).toEqual([pageTags.mail])
    expect(limits).toEqual(['rate-limits'])
  })

  it('moves the version on this connection’s commits and on another connection’s, and reads rows and version together', async () => {
    const before = await feed.version()
    await writeTransaction(async (trx) => {
      noteChanges(trx, [pageTags.events])
      await trx.insertInto('categories').values(category()).execute()
    })
    const afterOwn = await feed.version()
    expect(afterOwn).not.toBe(before)

    const other = openDatabase()
    try {
      await writeTransaction(async (trx) => {
        noteChanges(trx, [pageTags.thread(99)])
        await trx.insertInto('categories').values(category()).execute()
      }, other)
    } finally {
      await other.destroy()
    }
    const read = await feed.after((await feed.latestId()) - 1)
    expect(read.rows.map((row) => row.tags)).toEqual(['thread:99'])
    expect(read.version).not.toBe(afterOwn)
    expect(await feed.version()).toBe(read.version)
  })
})
