// A suspension told by email, end to end through a real SMTP server: the suspended member's mail
// says who decided, until when and why, and carries a signed appeal link on the configured site
// that works without signing in (a suspended member cannot); the appeal reaches the moderators.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { type MailingServer, startMailingServer, waitForMail } from '../helpers/mailing-server'
import { decodeHtml, mainOf, signIn } from './support'

let mailing: MailingServer

beforeAll(async () => {
  mailing = await startMailingServer()
})

afterAll(() => mailing?.stop())

describe('the suspension email', () => {
  it('arrives with the reason and an appeal link that works signed out', async () => {
    const { server, smtp, db } = mailing
    const member = await joinAsNewMember(new HttpClient(undefined, server.baseUrl))
    const { id } = (await db.one(sql`select id from users where handle = ${member.handle}`)) as { id: number }
    const moderator = new HttpClient(undefined, server.baseUrl)
    expect((await signIn(moderator, server.adminEmail, server.adminPassword)).status).toBe(302)
    const suspended = await moderator.post(`/admin/members/${id}`, { intent: 'restrict', measure: 'suspend', duration: '7', reason: 'Posted residents’ case records' })
    expect(suspended.status).toBe(302)

    const mail = await waitForMail(smtp, member.email, /a moderator, suspended your account until /)
    expect(mail.parsed.text).toContain('Reason: Posted residents’ case records')
    expect(mail.parsed.html).toContain('Posted residents’ case records')
    const link = new RegExp(`${server.baseUrl.replace(/[.]/g, '\\.')}(/appeal/[^\\s"<>)]+)`).exec(mail.parsed.text ?? '')?.[1]
    expect(link, mail.parsed.text).toBeDefined()
    expect(mail.parsed.html).toContain(`${server.baseUrl}${link}`)

    const signedOut = new HttpClient(undefined, server.baseUrl)
    const page = decodeHtml(mainOf(await (await signedOut.get(link!)).text()))
    expect(page).toContain('Posted residents’ case records')
    const statement = 'The records were already published by the county court.'
    expect((await signedOut.post(link!, { statement })).status).toBe(302)
    expect(await db.one(sql`select status from appeals where member_id = ${id}`)).toEqual({ status: 'open' })
    expect(decodeHtml(await (await moderator.get('/moderation/appeals')).text())).toContain(statement)
  })
})
