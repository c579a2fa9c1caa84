// The one scheduler of background work, a sender that stops mid-batch, and the outbox's query
// plans (the sender polls every few seconds, forever, over a table that only grows).
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { db, dialectOf, recordQueries, writeTransaction } from '../../db/client'
import { planOf, sortsRows, tablesReadWhole } from '../helpers/query-plans'
import { sendDueMail } from '../../app/jobs/mail-sender.server'
import { type JobTask, startJobs, wakeJobs } from '../../app/jobs/scheduler.server'
import { createMailTransport, type MailTransport } from '../../app/lib/mail-transport.server'
import { claimDueMail, enqueueMail, listOutbox } from '../../app/models/mail-outbox.server'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the scheduler', () => {
  it('never runs a task over itself, and keeps running it after a failure', async () => {
    let running = 0
    let mostAtOnce = 0
    let runs = 0
    const task: JobTask = {
      name: 'slow-and-flaky',
      everyMs: 5,
      run: async () => {
        runs++
        running++
        mostAtOnce = Math.max(mostAtOnce, running)
        await sleep(30)
        running--
        if (runs === 1) throw new Error('the first run fails')
      },
    }
    const jobs = startJobs([task])
    await sleep(250)
    await jobs.stop()
    expect(mostAtOnce).toBe(1)
    expect(runs).toBeGreaterThanOrEqual(3)
  })

  it('stop() waits for a running task and nothing runs after it', async () => {
    let finished = false
    let runs = 0
    const jobs = startJobs([
      {
        name: 'long',
        everyMs: 1,
        run: async () => {
          runs++
          await sleep(100)
          finished = true
        },
      },
    ])
    await sleep(20)
    await jobs.stop()
    expect(finished).toBe(true)
    const runsAtStop = runs
    await sleep(50)
    expect(runs).toBe(runsAtStop)
  })

  it('wakeJobs runs a task now instead of at its next turn, and again after a run it interrupted', async () => {
    let runs = 0
    const jobs = startJobs([
      {
        name: 'hourly',
        everyMs: 60 * 60_000,
        run: async () => {
          runs++
          await sleep(40)
        },
      },
    ])
    await sleep(60)
    expect(runs).toBe(1)
    wakeJobs('hourly')
    await sleep(10)
    expect(runs).toBe(2)
    // Woken while running: one more run right after this one, not one on top of it.
    wakeJobs('hourly')
    wakeJobs('hourly')
    await sleep(120)
    expect(runs).toBe(3)
    wakeJobs('some-other-task')
    await sleep(20)
    expect(runs).toBe(3)
    await jobs.stop()
    wakeJobs('hourly')
    await sleep(20)
    expect(runs).toBe(3)
  })
})

describe('a sender that is stopping', () => {
  it('finishes the message in hand and gives the rest of its batch back to the queue', async () => {
    await db.deleteFrom('mail_outbox').execute()
    const queued = await writeTransaction(async (trx) => {
      const ids = []
      for (let i = 0; i < 4; i++) ids.push(await enqueueMail(trx, { userId: null, toAddress: `r${i}@agency.example.gov`, kind: 'test', subject: `S${i}` }))
      return ids
    })
    const mailDir = mkdtempSync(join(tmpdir(), 'sectorpulse-mail-'))
    const files = createMailTransport({ smtpUrl: '', mailDir })
    const stopping = new AbortController()
    // The process is told to stop while the first message is being written.
    const transport: MailTransport = {
      send: async (message) => {
        stopping.abort()
        await files.send(message)
      },
      close: files.close,
    }
    expect(await sendDueMail({ owner: 'stopping', transport, signal: stopping.signal })).toMatchObject({ claimed: 4, sent: 1 })
    expect(readdirSync(mailDir)).toHaveLength(1)
    const rows = await db.selectFrom('mail_outbox').select(['id', 'status', 'attempts', 'lease_owner']).orderBy('id').execute()
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ])
    // Another sender takes them at once, without waiting for a lease to run out.
    expect((await claimDueMail('next', 10)).map((r) => r.id)).toEqual(queued.slice(1).map((q) => q.id))
  })
})

describe('query plans', () => {
  async function plans(work: () => Promise<unknown>): Promise<string[]> {
    const { queries } = await recordQueries(work)
    const selects = queries.filter((q) => /^\s*select\b/i.test(q.sql))
    return (await Promise.all(selects.map(planOf))).flat()
  }

  it('an idle poll, a claim and each admin page read the outbox through an index, without sorting it', async () => {
    for (const work of [
      () => claimDueMail('plans', 10),
      () => listOutbox({ before: '100' }),
      () => listOutbox({ status: 'failed' }),
      () => listOutbox({ status: 'sent', before: '2026-01-01T00:00:00.000Z~100' }),
    ]) {
      const steps = await plans(work)
      expect(steps.length).toBeGreaterThan(0)
      expect(tablesReadWhole(steps).filter((table) => table === 'mail_outbox'), `${String(work)}\n${steps.join('\n')}`).toEqual([])
      expect(sortsRows(steps), `${String(work)}\n${steps.join('\n')}`).toBe(false)
    }
    // The first page of everything walks the table backwards by its key and stops after one page.
    const firstPage = await plans(() => listOutbox({}))
    expect(sortsRows(firstPage), firstPage.join('\n')).toBe(false)
    if (dialectOf() === 'sqlite') expect(firstPage).toEqual(['SCAN mail_outbox'])
    else expect(firstPage.join('\n')).toMatch(/Index Scan Backward using mail_outbox_pkey on mail_outbox/)
  })
})
