// Notification email end to end: a reply on a server configured with a real SMTP server
// (smtp-server on loopback) arrives as a multipart message with threading headers, links that
// lead to the post, and a one-click unsubscribe that works from a mail client without a cookie.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { type MailingServer, startMailingServer } from '../helpers/mailing-server'
import type { ServerDatabase } from '../helpers/server-database'
import type { TestSmtpServer } from '../helpers/smtp-server'
import type { RunningServer } from '../helpers/start-server'

let smtp: TestSmtpServer
let server: RunningServer
let db: ServerDatabase
let mailing: MailingServer

beforeAll(async () => {
  ;({ smtp, server, db } = mailing = await startMailingServer())
})

afterAll(() => mailing?.stop())

async function member() {
  const client = new HttpClient(undefined, server.baseUrl)
  const fields = await joinAsNewMember(client)
  return { client, ...fields }
}

// Joining mails each member a confirmation link first; these tests are about the mail after it.
const CONFIRMATION_SUBJECT = 'Confirm your email address for SectorPulse'
const notificationMails = (mails: TestSmtpServer['accepted']) => mails.filter((mail) => mail.parsed.subject !== CONFIRMATION_SUBJECT)

/** Waits until the SMTP server has accepted `n` notification messages (it records one just after receiving it). */
async function accepted(n: number) {
  const deadline = Date.now() + 15_000
  while (notificationMails(smtp.accepted).length < n) {
    if (Date.now() > deadline) throw new Error(`only ${notificationMails(smtp.accepted).length} of ${n} messages arrived`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return notificationMails(smtp.accepted)[n - 1]
}

/** A header of the message as sent (folded lines unfolded). */
const header = (mail: TestSmtpServer['accepted'][number], name: string) => {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ')
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1].trim()
}

describe('a notification email', () => {
  it('arrives threaded, in both parts, with links to the post and a one-click unsubscribe', async () => {
    const [author, first, second] = [await member(), await member(), await member()]
    const started = await author.client.post('/discussions/new', {
      category: 'testing-and-go-live',
      title: 'Who signs off the go-live weekend?',
      body: 'We need one accountable owner for the go/no-go call.',
    })
    const threadPath = started.headers.get('location')!
    const threadId = Number(threadPath.split('/')[2])
    expect((await first.client.post(threadPath, { intent: 'reply', body: 'The program owner, with IT evidence in hand.' })).status).toBe(302)

    const mail = await accepted(1)
    expect(mail.parsed.to && 'text' in mail.parsed.to ? mail.parsed.to.text : '').toBe(author.email)
    expect(mail.parsed.subject).toBe(`${first.displayName} replied in “Who signs off the go-live weekend?”`)
    expect(mail.parsed.text).toContain('> The program owner, with IT evidence in hand.')
    expect(mail.parsed.text).toContain('You started this thread.')
    expect(mail.parsed.html).toContain('<html lang="en-US">')
    expect(mail.parsed.html).toContain('<h1')
    expect(mail.parsed.html).not.toContain('<img')
    const host = new URL(server.baseUrl).hostname
    expect(mail.parsed.inReplyTo).toBe(`<thread-${threadId}@${host}>`)
    expect(header(mail, 'References')).toContain(`<thread-${threadId}@${host}>`)
    expect(header(mail, 'Auto-Submitted')).toBe('auto-generated')
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')

    // The link goes to this site (SITE_URL, here the server's own address), to the exact post.
    const link = /Open it on SectorPulse: (\S+)/.exec(mail.parsed.text ?? '')?.[1]
    expect(link).toBe(`${server.baseUrl}${threadPath}#post-2`)
    const page = await author.client.get(new URL(link!).pathname)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('The program owner, with IT evidence in hand.')

    // A second reply's email threads under the same root in the member's mail client.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await second.client.post(threadPath, { intent: 'reply', body: 'Agreed, and write it down before the weekend.' })).status).toBe(302)
    const next = await accepted(2)
    expect(next.messageId).not.toBe(mail.messageId)
    expect(next.parsed.inReplyTo).toBe(`<thread-${threadId}@${host}>`)

    // One click from the mail client: no cookie, no Origin. That kind of email stops.
    const unsubscribe = /<(http[^>]+\/email\/unsubscribe\/[^>]+)>/.exec(header(mail, 'List-Unsubscribe') ?? '')?.[1]
    expect(unsubscribe).toBeDefined()
    // Opened in a browser, the link asks first and changes nothing.
    const asked = await fetch(unsubscribe!)
    expect(asked.status).toBe(200)
    expect(await asked.text()).toContain('emails about “replies in threads you started or watch”')
    const authorRow = (await db.one(sql`select id from users where handle = ${author.handle}`)) as { id: number }
    expect(await db.one(sql`select count(*) as n from email_preferences where user_id = ${authorRow.id}`)).toEqual({ n: 0 })
    const response = await fetch(unsubscribe!, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(200)
    const authorId = ((await db.one(sql`select id from users where handle = ${author.handle}`)) as { id: number }).id
    expect(await db.all(sql`select kind, delivery from email_preferences where user_id = ${authorId}`)).toEqual([{ kind: 'reply', delivery: 'never' }])

    // Later replies still notify on the site, but no longer by email.
    await new Promise((resolve) => setTimeout(resolve, 10_100))
    expect((await first.client.post(threadPath, { intent: 'reply', body: 'One more thought on the sign-off.' })).status).toBe(302)
    const deadline = Date.now() + 5_000
    let notified = 0
    while (notified < 3 && Date.now() < deadline) {
      notified = ((await db.one(sql`select sum(count) as n from notifications where user_id = ${authorId} and kind = 'reply'`)) as { n: number }).n
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(notified).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(notificationMails(smtp.transmitted)).toHaveLength(2)
  }, 40_000)
})
