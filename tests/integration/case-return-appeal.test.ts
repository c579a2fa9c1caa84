// A returned case is a moderation decision like a hidden post, end to end against a server that
// mails through a real SMTP server: the author's email and notification name the moderator who
// returned it and why, with a signed appeal link; the appeal goes to the queue, the moderator who
// returned the case cannot decide it, another one does, the author hears the outcome by email,
// and every step is in the moderation log.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { type MailingServer, startMailingServer, waitForMail } from '../helpers/mailing-server'
import { postFields } from './events-support'
import { caseForm, decodeHtml, mainOf } from './support'

let mailing: MailingServer

beforeAll(async () => {
  mailing = await startMailingServer()
})

afterAll(() => mailing?.stop())

/** What a reader sees: entities decoded, React's text separators gone. */
const readable = (html: string) => decodeHtml(html).replace(/<!-- -->/g, '')

async function memberOf(role: 'member' | 'moderator', displayName: string) {
  const client = new HttpClient(undefined, mailing.server.baseUrl)
  const fields = await joinAsNewMember(client, { displayName })
  const { id } = (await mailing.db.one(sql`select id from users where handle = ${fields.handle}`)) as { id: number }
  if (role !== 'member') await mailing.db.run(sql`update users set role = ${role} where id = ${id}`)
  return { client, id, ...fields }
}

type Member = Awaited<ReturnType<typeof memberOf>>

const caseRow = async (id: number) => (await mailing.db.one(sql`select status, review_feedback from cases where id = ${id}`)) as { status: string; review_feedback: string | null }

/** A case the author submits and `moderator` returns with `feedback`: the author's email about it, and its appeal link. */
async function returnedCase(author: Member, moderator: Member, feedback: string) {
  const form = caseForm({ intent: 'submit' })
  const submitted = await postFields(author.client, '/cases/new', form)
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  const { id } = (await mailing.db.one(sql`select id from cases where author_id = ${author.id} order by id desc`)) as { id: number }
  expect((await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'return', feedback })).status).toBe(302)

  const title = form.title as string
  const mail = await waitForMail(mailing.smtp, author.email, `${moderator.displayName}, a moderator, returned your case “${title}” with feedback`)
  const site = mailing.server.baseUrl.replace(/[.]/g, '\\.')
  const appealLink = new RegExp(`${site}(/appeal/[^\\s"<>)]+)`).exec(mail.parsed.text ?? '')?.[1]
  expect(appealLink, mail.parsed.text).toBeDefined()
  return { id, title, mail, appealLink: appealLink! }
}

async function openAppealOf(memberId: number) {
  return (await mailing.db.one(sql`select id, status from appeals where member_id = ${memberId} order by id desc`)) as { id: number; status: string }
}

describe('appealing a returned case', () => {
  it('the author is told who and why with an appeal link; the returning moderator cannot decide; another overturns and the case is back in review', async () => {
    const author = await memberOf('member', 'Alex Author')
    const returning = await memberOf('moderator', 'Rae Reviewer')
    const other = await memberOf('moderator', 'Olu Other')
    const { id, title, mail, appealLink } = await returnedCase(author, returning, 'Add a public source for the cost figures.')

    expect(mail.parsed.text).toContain('Feedback: Add a public source for the cost figures.')
    expect(mail.parsed.text).toContain('a different moderator from the one who decided will review it')
    expect(mail.parsed.html).toContain(`${mailing.server.baseUrl}${appealLink}`)

    // On the site too: the notification and the case page both say who returned it and lead to the appeal.
    const notifications = readable(mainOf(await (await author.client.get('/notifications')).text()))
    expect(notifications).toContain(`Rae Reviewer, a moderator, returned your case “${title}” with feedback`)
    const casePage = readable(mainOf(await (await author.client.get(`/cases/submissions/${id}`)).text()))
    expect(casePage).toContain('Returned by Rae Reviewer, a moderator:')
    expect(casePage).toContain(`href="${appealLink}">appeal this decision</a>`)

    // The signed link works without signing in and shows the decision in full.
    const appealPage = readable(mainOf(await (await new HttpClient(undefined, mailing.server.baseUrl).get(appealLink)).text()))
    expect(appealPage).toContain('Your case was returned with feedback')
    expect(appealPage).toContain('Rae Reviewer')
    expect(appealPage).toContain(`Case “${title}”`)
    const statement = 'The cost figures come from the state audit already listed as a source.'
    expect((await author.client.post(appealLink, { statement })).status).toBe(302)
    const appeal = await openAppealOf(author.id)
    expect(appeal.status).toBe('open')
    expect(readable(mainOf(await (await author.client.get('/appeals')).text()))).toContain('Waiting for a moderator')
    expect(readable(await (await other.client.get('/moderation/appeals')).text())).toContain(statement)

    const decide = { appealId: String(appeal.id), outcome: 'overturn', reason: 'The audit is cited; the case is ready for review' }
    const byReturning = await returning.client.post('/moderation/appeals', decide)
    expect(byReturning.status).toBe(403)
    expect(readable(await byReturning.text())).toContain('another moderator must decide its appeal')
    expect((await caseRow(id)).status).toBe('returned')

    expect((await other.client.post('/moderation/appeals', decide)).status).toBe(302)
    expect(await caseRow(id)).toEqual({ status: 'submitted', review_feedback: null })
    expect(readable(mainOf(await (await returning.client.get('/moderation/cases')).text()))).toContain(title)
    const outcome = await waitForMail(mailing.smtp, author.email, 'Olu Other, a moderator, accepted your appeal: the decision is reversed')
    expect(outcome.parsed.text).toContain('Reason: The audit is cited; the case is ready for review')
    expect(readable(mainOf(await (await author.client.get('/appeals')).text()))).toContain('Decided: the decision was reversed')

    const log = await mailing.db.all(sql`select action, actor_id, case_id, reason from moderation_log where member_id = ${author.id} order by id`)
    expect(log).toEqual([
      { action: 'case-return', actor_id: returning.id, case_id: id, reason: 'Add a public source for the cost figures.' },
      { action: 'appeal-overturned', actor_id: other.id, case_id: id, reason: 'The audit is cited; the case is ready for review' },
    ])
    const logPage = readable(mainOf(await (await other.client.get('/moderation/log')).text()))
    expect(logPage).toContain('Returned case to its author')
    expect(logPage).toContain('Overturned decision on appeal')
  })

  it('upheld: the case stays returned, the author is told by email and sees the outcome on the case', async () => {
    const author = await memberOf('member', 'Uma Upheld')
    const returning = await memberOf('moderator', 'Ren Returner')
    const other = await memberOf('moderator', 'Sam Second')
    const { id, appealLink } = await returnedCase(author, returning, 'Add the year of go-live.')
    expect((await author.client.post(appealLink, { statement: 'The years field already says when the system went live.' })).status).toBe(302)
    const appeal = await openAppealOf(author.id)
    const reason = 'The years field is a range; readers need the go-live year'
    expect((await other.client.post('/moderation/appeals', { appealId: String(appeal.id), outcome: 'uphold', reason })).status).toBe(302)

    expect(await caseRow(id)).toEqual({ status: 'returned', review_feedback: 'Add the year of go-live.' })
    const outcome = await waitForMail(mailing.smtp, author.email, 'Sam Second, a moderator, considered your appeal and upheld the decision')
    expect(outcome.parsed.text).toContain(`Reason: ${reason}`)
    const casePage = readable(mainOf(await (await author.client.get(`/cases/submissions/${id}`)).text()))
    expect(casePage).toContain('Your appeal of this decision: <strong>Decided: the decision stands</strong>')
    expect((await author.client.post(appealLink, { statement: 'Please look at it once more, the year is there.' })).status).toBe(409)
    expect(await mailing.db.one(sql`select action, actor_id from moderation_log where member_id = ${author.id} order by id desc`)).toEqual({
      action: 'appeal-upheld',
      actor_id: other.id,
    })
  })

  it('only the author is given the appeal link on the case page', async () => {
    const author = await memberOf('member', 'Ola Owner')
    const returning = await memberOf('moderator', 'Kai Keeper')
    const { id } = await returnedCase(author, returning, 'Say which agency this was.')
    const asModerator = readable(mainOf(await (await returning.client.get(`/cases/submissions/${id}`)).text()))
    expect(asModerator).toContain('Returned by Kai Keeper, a moderator:')
    expect(asModerator).not.toContain('/appeal/')
  })
})
