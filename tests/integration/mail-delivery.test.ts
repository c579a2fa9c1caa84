// The outbox's delivery against a real SMTP server on a loopback port, and real sender
// processes (as `npm run mailer` runs them) on this file's SQLite database.
process.env.SITE_URL = 'https://pulse.example.org'
process.env.MAIL_FROM = 'SectorPulse <mail@pulse.example.org>'

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { sql } from 'kysely'
import { simpleParser } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databasePath, db, writeTransaction } from '../../db/client'
import { outgoingMail, sendDueMail } from '../../app/jobs/mail-sender.server'
import { createMailTransport } from '../../app/lib/mail-transport.server'
import {
  claimDueMail,
  countOutboxByStatus,
  enqueueMail,
  holdMailLease,
  listOutbox,
  MAIL_LEASE_MS,
  MAX_MAIL_ATTEMPTS,
  type NewMail,
  retryDelayMs,
  retryMail,
} from '../../app/models/mail-outbox.server'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server'
import { type DatabaseAddress, openServerDatabase } from '../helpers/server-database'
import { databaseEnv, freePort, startServer } from '../helpers/start-server'

const ROOT = resolve(import.meta.dirname, '../..')
const MINUTE = 60_000

let queuedCount = 0

async function queue(count = 1, mail: Partial<NewMail> = {}) {
  return writeTransaction(async (trx) => {
    const queued = []
    for (let i = 0; i < count; i++) {
      const n = ++queuedCount
      queued.push(
        await enqueueMail(trx, {
          userId: null,
          toAddress: `reader-${n}@agency.example.gov`,
          kind: 'test',
          subject: `Message ${n}`,
          text: `Plain text of message ${n}`,
          html: `<p>HTML of message ${n}</p>`,
          ...mail,
        }),
      )
    }
    return queued
  })
}

const row = (id: number) => db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const rows = () => db.selectFrom('mail_outbox').selectAll().orderBy('id').execute()
const later = (ms: number) => new Date(Date.now() + ms)

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A sender process as `npm run mailer` starts it, on this test file's database unless another is named. */
function startMailer(smtpUrl: string, database: DatabaseAddress = { databasePath: databasePath(), databaseUrl: process.env.DATABASE_URL }) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'app/jobs/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...databaseEnv(database), SMTP_URL: smtpUrl, MAIL_POLL_MS: '50' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const ready = new Promise<void>((resolveReady, reject) => {
    const record = (chunk: Buffer) => {
      output += chunk
      if (output.includes('[jobs] running mail')) resolveReady()
    }
    child.stdout!.on('data', record)
    child.stderr!.on('data', record)
    child.once('exit', (code) => reject(new Error(`mailer exited with ${code} before it was ready:\n${output}`)))
  })
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return { child, ready, exited, output: () => output }
}

let smtp: TestSmtpServer | undefined
const mailers: ReturnType<typeof startMailer>[] = []

beforeEach(async () => {
  await db.deleteFrom('mail_outbox').execute()
})

afterEach(async () => {
  for (const mailer of mailers.splice(0)) {
    if (mailer.child.exitCode === null && mailer.child.signalCode === null) mailer.child.kill('SIGKILL')
  }
  await smtp?.close()
  smtp = undefined
})

describe('what a recipient receives', () => {
  it('is multipart, threaded by discussion, marked automatic, with the Message-ID fixed at queue time', async () => {
    smtp = await startSmtpServer()
    const transport = createMailTransport({ smtpUrl: smtp.url })
    const [first, second] = await queue(2, { threadKey: 'thread-42' })
    const [unthreaded] = await queue(1)

    expect(await sendDueMail({ owner: 'test', transport })).toMatchObject({ claimed: 3, sent: 3 })

    expect(smtp.accepted.map((m) => m.messageId)).toEqual([first.messageId, second.messageId, unthreaded.messageId])
    expect(first.messageId).toMatch(/^<[0-9a-f]{32}@pulse\.example\.org>$/)
    const [a, b, c] = smtp.accepted
    for (const mail of [a, b]) {
      expect(mail.parsed.inReplyTo).toBe('<thread-42@pulse.example.org>')
      expect(mail.parsed.references).toBe('<thread-42@pulse.example.org>')
    }
    expect(c.parsed.inReplyTo).toBeUndefined()
    expect(c.parsed.references).toBeUndefined()
    expect(a.parsed.from?.value).toEqual([{ name: 'SectorPulse', address: 'mail@pulse.example.org' }])
    expect(a.parsed.to && 'text' in a.parsed.to ? a.parsed.to.text : '').toBe((await row(first.id)).to_address)
    expect(a.parsed.subject).toBe((await row(first.id)).subject)
    expect(a.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(a.raw).toMatch(/Content-Type: multipart\/alternative/i)
    expect(a.parsed.text?.trim()).toBe((await row(first.id)).text_body)
    expect(a.parsed.html).toContain((await row(first.id)).html_body)
    // No unsubscribe address was given, so none is offered.
    expect(a.raw).not.toMatch(/^List-Unsubscribe/im)

    expect(await row(first.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null })
    expect((await row(first.id)).sent_at).not.toBeNull()
  })

  it('offers one-click unsubscribe (RFC 8058) when the message has an unsubscribe address', async () => {
    smtp = await startSmtpServer()
    const [queued] = await queue(1)
    const url = 'https://pulse.example.org/email/unsubscribe?token=abc'
    const message = outgoingMail(await row(queued.id), { subject: 'Hello', text: 'Hi', html: '<p>Hi</p>', unsubscribeUrl: url })
    await createMailTransport({ smtpUrl: smtp.url }).send(message)
    const [mail] = smtp.accepted
    expect(mail.raw).toMatch(new RegExp(`^List-Unsubscribe: <${url.replace(/[.?]/g, '\\$&')}>`, 'im'))
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im)
  })

  it('writes an .eml file under the data folder when no SMTP server is configured', async () => {
    const mailDir = join(dirname(resolve(databasePath())), 'mail')
    const before = existsSync(mailDir) ? readdirSync(mailDir) : []
    const [queued] = await queue(1, { threadKey: 'case-7' })
    expect(await sendDueMail({ owner: 'test', transport: createMailTransport({ smtpUrl: '' }) })).toMatchObject({ sent: 1 })
    const written = readdirSync(mailDir).filter((file) => !before.includes(file))
    expect(written).toHaveLength(1)
    expect(written[0]).toMatch(/\.eml$/)
    const parsed = await simpleParser(readFileSync(join(mailDir, written[0])))
    expect(parsed.messageId).toBe(queued.messageId)
    expect(parsed.inReplyTo).toBe('<case-7@pulse.example.org>')
    expect(await row(queued.id)).toMatchObject({ status: 'sent' })
  })
})

describe('when the mail server refuses or is away', () => {
  it('retries a 451 with backoff and delivers the message exactly once', async () => {
    smtp = await startSmtpServer((index) => (index === 0 ? { code: 451, message: '4.3.0 Try again later' } : { accept: true }))
    const transport = createMailTransport({ smtpUrl: smtp.url })
    const [queued] = await queue(1)
    const now = new Date()

    expect(await sendDueMail({ owner: 'test', transport, now })).toMatchObject({ retrying: 1, sent: 0 })
    const waiting = await row(queued.id)
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, lease_owner: null })
    expect(waiting.last_error).toMatch(/451/)
    expect(new Date(waiting.due_at).getTime()).toBe(now.getTime() + MINUTE)

    // Not due yet: nothing is sent before the backoff has passed.
    expect(await sendDueMail({ owner: 'test', transport, now: new Date(now.getTime() + 30_000) })).toMatchObject({ claimed: 0 })
    expect(await sendDueMail({ owner: 'test', transport, now: new Date(now.getTime() + MINUTE + 1) })).toMatchObject({ sent: 1 })
    expect(await sendDueMail({ owner: 'test', transport, now: later(MAIL_LEASE_MS * 2) })).toMatchObject({ claimed: 0 })

    expect(smtp.transmitted).toHaveLength(2)
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId])
    expect(await row(queued.id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null })
  })

  it('marks a 550 failed with the server’s answer, shows it to admins, and sends it again on retry', async () => {
    smtp = await startSmtpServer((index) => (index === 0 ? { code: 550, message: '5.1.1 No such user here' } : { accept: true }))
    const transport = createMailTransport({ smtpUrl: smtp.url })
    const [queued] = await queue(1)

    expect(await sendDueMail({ owner: 'test', transport })).toMatchObject({ failed: 1 })
    expect(await sendDueMail({ owner: 'test', transport, now: later(24 * 60 * MINUTE) })).toMatchObject({ claimed: 0 })
    expect(await row(queued.id)).toMatchObject({ status: 'failed', attempts: 1 })
    expect((await row(queued.id)).last_error).toMatch(/^550 5\.1\.1 No such user here/)

    const { messages } = await listOutbox({ status: 'failed' })
    expect(messages).toEqual([expect.objectContaining({ id: queued.id, status: 'failed', lastError: expect.stringMatching(/550/) })])
    expect(await countOutboxByStatus()).toMatchObject({ failed: 1, queued: 0, sent: 0 })

    expect(await retryMail(queued.id)).toBe(true)
    expect(await retryMail(queued.id)).toBe(false)
    expect(await sendDueMail({ owner: 'test', transport })).toMatchObject({ sent: 1 })
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId])
    expect(await row(queued.id)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('retries when the connection is refused, and delivers once the server is back', async () => {
    const port = await freePort()
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}` })
    const [queued] = await queue(1)
    const now = new Date()

    expect(await sendDueMail({ owner: 'test', transport, now })).toMatchObject({ retrying: 1 })
    expect(await row(queued.id)).toMatchObject({ status: 'queued', attempts: 1 })
    expect((await row(queued.id)).last_error).toMatch(/ECONNREFUSED/)

    smtp = await startSmtpServer(undefined, port)
    expect(await sendDueMail({ owner: 'test', transport, now: new Date(now.getTime() + MINUTE) })).toMatchObject({ sent: 1 })
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId])
  })

  it('waits 1, 2, 4 ... minutes up to 6 hours, and gives up after the last attempt', async () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([1, 2, 4, 8].map((n) => n * MINUTE))
    expect(retryDelayMs(20)).toBe(6 * 60 * MINUTE)

    smtp = await startSmtpServer(() => ({ code: 421, message: '4.7.0 Too busy' }))
    const transport = createMailTransport({ smtpUrl: smtp.url })
    const [queued] = await queue(1)
    await db.updateTable('mail_outbox').set({ attempts: MAX_MAIL_ATTEMPTS - 1 }).where('id', '=', queued.id).execute()
    expect(await sendDueMail({ owner: 'test', transport })).toMatchObject({ failed: 1 })
    const failed = await row(queued.id)
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_MAIL_ATTEMPTS })
    expect(failed.last_error).toMatch(new RegExp(`Gave up after ${MAX_MAIL_ATTEMPTS} attempts.*421`))
  })
})

describe('leases: never lost, never sent twice', () => {
  it('leaves a claimed message alone until its sender’s lease runs out', async () => {
    smtp = await startSmtpServer()
    const transport = createMailTransport({ smtpUrl: smtp.url })
    const [queued] = await queue(1)
    const now = new Date()
    expect(await claimDueMail('crashed-sender', 10, now)).toHaveLength(1)

    expect(await sendDueMail({ owner: 'other', transport, now: new Date(now.getTime() + MAIL_LEASE_MS - 1000) })).toMatchObject({ claimed: 0 })
    expect(await sendDueMail({ owner: 'other', transport, now: new Date(now.getTime() + MAIL_LEASE_MS + 1000) })).toMatchObject({ sent: 1 })
    expect(await row(queued.id)).toMatchObject({ status: 'sent', attempts: 2, lease_owner: 'other' })
    // The first sender, should it wake up, finds the message is no longer its to send.
    expect(await holdMailLease(queued.id, 'crashed-sender')).toBe(false)
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId])
  })

  it('survives kill -9 of a sender mid-batch: nothing lost, only the message in flight sent twice, with the same Message-ID', async () => {
    // The server takes the third message but never answers, as if the sender died before the 250.
    smtp = await startSmtpServer((index) => (index === 2 ? { hold: true } : { accept: true }))
    const queued = await queue(6)
    const mailer = startMailer(smtp.url)
    mailers.push(mailer)
    await mailer.ready
    await smtp.waitForTransmitted(3)
    mailer.child.kill('SIGKILL')
    await mailer.exited

    const afterCrash = await rows()
    expect(afterCrash.map((r) => r.status)).toEqual(['sent', 'sent', 'sending', 'sending', 'sending', 'sending'])

    // Another sender (here, this process) takes over once the dead one's lease has run out.
    const report = await sendDueMail({ owner: 'recovery', transport: createMailTransport({ smtpUrl: smtp.url }), now: later(MAIL_LEASE_MS + 1000) })
    expect(report).toMatchObject({ claimed: 4, sent: 4 })
    expect((await rows()).map((r) => r.status)).toEqual(Array(6).fill('sent'))

    const inFlight = queued[2].messageId
    expect(smtp.transmitted[2].messageId).toBe(inFlight)
    const timesSent = (id: string) => smtp!.transmitted.filter((m) => m.messageId === id).length
    expect(queued.map((q) => timesSent(q.messageId))).toEqual([1, 1, 2, 1, 1, 1])
    const copies = smtp.transmitted.filter((m) => m.messageId === inFlight)
    expect(copies[1].parsed.subject).toBe(copies[0].parsed.subject)
  })

  it('two sender processes on one database never send one message twice', async () => {
    smtp = await startSmtpServer(async () => {
      await new Promise((r) => setTimeout(r, 20))
      return { accept: true }
    })
    const first = startMailer(smtp.url)
    const second = startMailer(smtp.url)
    mailers.push(first, second)
    await Promise.all([first.ready, second.ready])

    const queued = await queue(40)
    await waitUntil(async () => (await rows()).every((r) => r.status === 'sent'), 'every message is sent')

    const ids = smtp.accepted.map((m) => m.messageId)
    expect(ids).toHaveLength(40)
    expect(new Set(ids)).toEqual(new Set(queued.map((q) => q.messageId)))
    // Both processes did some of the sending, so the test did pit them against each other.
    expect(new Set((await rows()).map((r) => r.lease_owner)).size).toBe(2)

    // SIGTERM stops a sender cleanly.
    first.child.kill('SIGTERM')
    second.child.kill('SIGTERM')
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0])
  })
})

describe('where the sender runs', () => {
  it('with JOBS_IN_SERVER=false the server sends nothing and `npm run mailer` sends it', async () => {
    smtp = await startSmtpServer()
    const server = await startServer({ JOBS_IN_SERVER: 'false', SMTP_URL: smtp.url, MAIL_POLL_MS: '50' })
    const serverDb = openServerDatabase(server)
    try {
      const now = new Date().toISOString()
      const { id } = (await serverDb.one<{ id: number }>(
        sql`insert into mail_outbox (to_address, kind, message_id, subject, text_body, html_body, due_at, created_at, updated_at)
           values ('split@agency.example.gov', 'test', '<split-1@localhost>', 'Split deployment', 'Text', '<p>HTML</p>', ${now}, ${now}, ${now}) returning id`,
      ))!
      const status = async () => (await serverDb.one<{ status: string }>(sql`select status from mail_outbox where id = ${id}`))!.status

      await new Promise((r) => setTimeout(r, 500))
      expect(await status()).toBe('queued')
      expect(smtp.transmitted).toHaveLength(0)

      const mailer = startMailer(smtp.url, server)
      mailers.push(mailer)
      await mailer.ready
      await waitUntil(async () => (await status()) === 'sent', 'the mailer sent it')
      expect(smtp.accepted.map((m) => m.messageId)).toEqual(['<split-1@localhost>'])
    } finally {
      await serverDb.close()
      await server.stop()
    }
  })
})
