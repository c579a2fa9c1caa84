// Recovering and proving an account by email, end to end against a server that mails through a
// real SMTP server: forgotten password, confirming the address on join, change of address and
// its undo, and the "verified public servant" mark. Every link is read from the mail as sent.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { followMailedLink, HttpClient, joinAsNewMember, joinUnconfirmed, memberFields } from '../helpers/http-client'
import { type MailingServer, recipientOf, startMailingServer, waitForMail } from '../helpers/mailing-server'
import type { ServerDatabase } from '../helpers/server-database'
import type { TestSmtpServer } from '../helpers/smtp-server'
import type { RunningServer } from '../helpers/start-server'
import { postFields } from './events-support'
import { caseForm, errorSummary, fieldError, mainOf, readinessForm, sha256Hex, signIn, uniqueIp } from './support'

let smtp: TestSmtpServer
let server: RunningServer
let db: ServerDatabase
let mailing: MailingServer

beforeAll(async () => {
  ;({ smtp, server, db } = mailing = await startMailingServer())
})

afterAll(() => mailing?.stop())

const client = (ip?: string) => new HttpClient(ip, server.baseUrl)

type Mail = TestSmtpServer['accepted'][number]

const mailTo = (address: string, subject: string, after = 0) => waitForMail(smtp, address, subject, after)

const mailsTo = (address: string) => smtp.accepted.filter((mail) => recipientOf(mail) === address)

/** The site path of the link in a mail, checking it is absolute on the configured site. */
function linkIn(mail: Mail, path: string): string {
  const link = new RegExp(`${server.baseUrl.replace(/[.]/g, '\\.')}(${path}/[a-z2-7]+)`).exec(mail.parsed.text ?? '')
  if (!link) throw new Error(`no ${path} link in:\n${mail.parsed.text}`)
  return link[1]
}

const userRow = async (email: string) =>
  (await db.one(sql`select * from users where email = ${email}`)) as
    | { id: number; email: string; handle: string; email_verified_at: string | null; public_servant_verified_by: string | null }
    | undefined

const RESET_SUBJECT = 'Reset your SectorPulse password'
const CONFIRM_SUBJECT = 'Confirm your email address for SectorPulse'
const HOUR_MS = 60 * 60 * 1000
const CHANGE_SUBJECT = 'Confirm your new email address for SectorPulse'
const CHANGED_SUBJECT = 'Your SectorPulse email address was changed'

/** The mailed link with its token's last character changed: a link nobody was sent. */
const tampered = (path: string) => path.slice(0, -1) + (path.endsWith('a') ? 'b' : 'a')

const setTokenExpiry = async (path: string, at: Date) =>
  await db.run(sql`update email_tokens set expires_at = ${at.toISOString()} where token_hash = ${sha256Hex(path.split('/').pop()!)}`)

/** Moves the link's token a second past its expiry, as if its lifetime had gone by. */
const expire = (path: string) => setTokenExpiry(path, new Date(Date.now() - 1000))

/** The link's page and its button both answer 410 with these words, and the button does nothing. */
async function expectRefusedLink(path: string, words: string, fields: Record<string, string> = {}) {
  const page = await client().get(path)
  expect(page.status).toBe(410)
  expect(mainOf(await page.text())).toContain(words)
  const pressed = await client().post(path, fields)
  expect(pressed.status).toBe(410)
  expect(mainOf(await pressed.text())).toContain(words)
}

async function confirmedMember(overrides: Record<string, string> = {}) {
  const member = client()
  const fields = await joinAsNewMember(member, overrides)
  return { client: member, ...fields }
}

describe('forgotten password', () => {
  it('answers a known and an unknown address the same, and mails only the known one', async () => {
    const member = await confirmedMember()
    const unknown = memberFields().email
    const known = await client().post('/forgot-password', { email: member.email })
    const nobody = await client().post('/forgot-password', { email: unknown })
    expect(known.status).toBe(302)
    expect(nobody.status).toBe(302)
    expect(known.headers.get('location')).toBe('/forgot-password/sent')
    expect(nobody.headers.get('location')).toBe('/forgot-password/sent')
    expect(await known.text()).toBe(await nobody.text())

    const mail = await mailTo(member.email, RESET_SUBJECT)
    expect(mail.parsed.text).toContain('within 1 hour')
    expect(mail.parsed.text).toContain('If you did not ask for this, you do not need to do anything')
    expect(mail.parsed.html).toContain('<html lang="en-US">')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(mailsTo(unknown)).toEqual([])
  })

  it('sets the new password from the link, signs out every session, signs in fresh, and works once', async () => {
    const member = await confirmedMember()
    const elsewhere = client()
    expect((await signIn(elsewhere, member.email, member.password)).status).toBe(302)
    await client().post('/forgot-password', { email: member.email })
    const path = linkIn(await mailTo(member.email, RESET_SUBJECT), '/reset-password')
    const token = path.split('/').pop()!
    // Only the token's SHA-256 is stored, and it carries at least 128 bits (32 base32 characters = 160).
    expect(token.length).toBeGreaterThanOrEqual(26)
    expect(await db.one(sql`select count(*) as n from email_tokens where token_hash = ${sha256Hex(token)}`)).toEqual({ n: 1 })
    expect(await db.one(sql`select count(*) as n from email_tokens where token_hash = ${token}`)).toEqual({ n: 0 })

    const browser = client()
    const refused = await followMailedLink(browser, path, { newPassword: 'a new passphrase here', confirmPassword: 'something else entirely' })
    expect(refused.status).toBe(400)
    expect(fieldError(await refused.text(), 'confirmPassword')).toContain('do not match')

    const reset = await browser.post(path, { newPassword: 'a new passphrase here', confirmPassword: 'a new passphrase here' })
    expect(reset.status).toBe(302)
    expect(browser.cookies.has('sp_session')).toBe(true)
    expect((await browser.get('/settings')).status).toBe(200)
    expect((await elsewhere.get('/settings')).status).toBe(302)
    expect((await signIn(client(), member.email, member.password)).status).toBe(401)
    expect((await signIn(client(), member.email, 'a new passphrase here')).status).toBe(302)

    const again = await client().post(path, { newPassword: 'yet another passphrase', confirmPassword: 'yet another passphrase' })
    expect(again.status).toBe(410)
    expect(mainOf(await again.text())).toContain('This link has already been used')
    expect((await client().get(path)).status).toBe(410)
  })

  it('keeps a link for one hour, refuses it past its hour, and never takes a tampered one', async () => {
    const member = await confirmedMember()
    const asked = Date.now()
    await client().post('/forgot-password', { email: member.email })
    const path = linkIn(await mailTo(member.email, RESET_SUBJECT), '/reset-password')
    const tokenHash = sha256Hex(path.split('/').pop()!)
    const stored = (await db.one(sql`select expires_at from email_tokens where token_hash = ${tokenHash}`)) as { expires_at: string }
    expect(Date.parse(stored.expires_at)).toBeGreaterThanOrEqual(asked + HOUR_MS)
    expect(Date.parse(stored.expires_at)).toBeLessThanOrEqual(Date.now() + HOUR_MS)

    const newPassword = { newPassword: 'a new passphrase here', confirmPassword: 'a new passphrase here' }
    await expectRefusedLink(tampered(path), 'This link does not work', newPassword)

    // 59 minutes after it was sent the link still opens; a second past its hour it is refused.
    await setTokenExpiry(path, new Date(Date.parse(stored.expires_at) - 59 * 60_000))
    expect((await client().get(path)).status).toBe(200)
    await expire(path)
    await expectRefusedLink(path, 'This link has run out', newPassword)
    expect((await signIn(client(), member.email, member.password)).status).toBe(302)
    expect((await signIn(client(), member.email, newPassword.newPassword)).status).toBe(401)
  })

  it('limits requests per address (known or not) and per network address', async () => {
    const email = memberFields().email
    for (let i = 0; i < 5; i++) expect((await client().post('/forgot-password', { email })).status).toBe(302)
    const limited = await client().post('/forgot-password', { email })
    expect(limited.status).toBe(429)
    expect(errorSummary(await limited.text())[0]).toMatch(/^Too many reset requests\. Wait \d+ minutes? and try again\.$/)

    const ip = uniqueIp()
    for (let i = 0; i < 20; i++) expect((await client(ip).post('/forgot-password', { email: memberFields().email })).status).toBe(302)
    expect((await client(ip).post('/forgot-password', { email: memberFields().email })).status).toBe(429)
  })
})

describe('confirming the address on join', () => {
  it('mails a 24-hour link; until it is followed the member can sign in and read but not post', async () => {
    const browser = client()
    const fields = await joinUnconfirmed(browser)
    expect(browser.cookies.has('sp_session')).toBe(false)
    expect((await userRow(fields.email))?.email_verified_at).toBeNull()
    const mail = await mailTo(fields.email, CONFIRM_SUBJECT)
    expect(mail.parsed.text).toContain('24 hours')

    expect((await signIn(browser, fields.email, fields.password)).status).toBe(302)
    const home = await browser.get('/discussions')
    expect(home.status).toBe(200)
    const page = await home.text()
    expect(page).toContain('>Confirm your email address</h2>')
    expect(page).toContain('Resend the confirmation email')
    const refused = await browser.post('/discussions/new', { category: 'testing-and-go-live', title: 'A thread before confirming', body: 'Should not be posted.' })
    expect(refused.status).toBe(403)

    const path = linkIn(mail, '/verify-email')
    const confirmed = await followMailedLink(client(), path)
    expect(confirmed.status).toBe(302)
    expect((await userRow(fields.email))?.email_verified_at).not.toBeNull()
    const posted = await browser.post('/discussions/new', { category: 'testing-and-go-live', title: 'A thread after confirming', body: 'Now it may be posted.' })
    expect(posted.status).toBe(302)
    expect(await (await browser.get('/discussions')).text()).not.toContain('Resend the confirmation email')
    expect((await client().post(path, {})).status).toBe(410)
  })

  it('resends a new link that replaces the old one, and refuses to spam', async () => {
    const browser = client()
    const fields = await joinUnconfirmed(browser)
    const first = linkIn(await mailTo(fields.email, CONFIRM_SUBJECT), '/verify-email')
    await signIn(browser, fields.email, fields.password)
    const resent = await browser.post('/verify-email/resend', { redirectTo: '/cases' })
    expect(resent.status).toBe(302)
    expect(resent.headers.get('location')).toBe('/cases')
    const second = linkIn(await mailTo(fields.email, CONFIRM_SUBJECT, 1), '/verify-email')
    expect(second).not.toBe(first)
    expect((await client().get(first)).status).toBe(410)
    for (let i = 0; i < 4; i++) await browser.post('/verify-email/resend', { redirectTo: '/' })
    await browser.post('/verify-email/resend', { redirectTo: '/' })
    const page = await (await browser.get('/')).text()
    expect(page).toContain('We have sent several emails already')
    // The first mail and five resent: the sixth request sent nothing.
    const newest = linkIn(await mailTo(fields.email, CONFIRM_SUBJECT, 5), '/verify-email')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(mailsTo(fields.email)).toHaveLength(6)
    expect((await client().get(second)).status).toBe(410)
    expect((await followMailedLink(browser, newest)).status).toBe(302)
  })

  it('tells the owner of a known address that someone tried to join with it, without creating anything', async () => {
    const member = await confirmedMember()
    const attempt = await client().post('/join', memberFields({ email: member.email }))
    expect(attempt.headers.get('location')).toBe('/join/check-email')
    const mail = await mailTo(member.email, 'Someone tried to join SectorPulse with your address')
    expect(mail.parsed.text).toContain('We did not create one')
    expect(await db.one(sql`select count(*) as n from users where email = ${member.email}`)).toEqual({ n: 1 })
  })

  it('refuses a tampered confirmation link and an expired one, confirming nothing', async () => {
    const fields = await joinUnconfirmed(client())
    const path = linkIn(await mailTo(fields.email, CONFIRM_SUBJECT), '/verify-email')
    await expectRefusedLink(tampered(path), 'This link does not work')
    expect((await userRow(fields.email))?.email_verified_at).toBeNull()
    await expire(path)
    await expectRefusedLink(path, 'This link has run out')
    expect((await userRow(fields.email))?.email_verified_at).toBeNull()
  })
})

describe('changing the email address', () => {
  it('needs the current password, changes nothing until the new address confirms, then tells the old one with an undo link', async () => {
    const member = await confirmedMember({ email: `changer-${Date.now().toString(36)}@agency.example.gov` })
    expect((await userRow(member.email))?.public_servant_verified_by).toBe('email')
    const newEmail = `changer-${Date.now().toString(36)}@consultancy.example.com`

    const wrong = await member.client.post('/settings/email', { email: newEmail, currentPassword: 'not my password at all' })
    expect(wrong.status).toBe(401)
    expect(fieldError(await wrong.text(), 'currentPassword')).toContain('not correct')

    expect((await member.client.post('/settings/email', { email: newEmail, currentPassword: member.password })).status).toBe(302)
    const confirmMail = await mailTo(newEmail, 'Confirm your new email address for SectorPulse')
    expect(await userRow(member.email)).toBeDefined()
    expect(await userRow(newEmail)).toBeUndefined()

    const confirm = linkIn(confirmMail, '/settings/email/confirm')
    const confirmed = await followMailedLink(client(), confirm)
    expect(confirmed.status).toBe(200)
    expect(mainOf(await confirmed.text())).toContain('Your SectorPulse email address is now')
    const moved = (await userRow(newEmail))!
    expect(moved.public_servant_verified_by).toBeNull()
    expect((await signIn(client(), newEmail, member.password)).status).toBe(302)
    expect((await client().post(confirm, {})).status).toBe(410)

    const notice = await mailTo(member.email, 'Your SectorPulse email address was changed')
    expect(notice.parsed.text).toContain(newEmail)
    const undo = linkIn(notice, '/settings/email/undo')
    const undone = await followMailedLink(client(), undo)
    expect(undone.status).toBe(200)
    expect((await userRow(member.email))?.public_servant_verified_by).toBe('email')
    expect(await userRow(newEmail)).toBeUndefined()
    expect(await db.one(sql`select count(*) as n from sessions where user_id = ${moved.id}`)).toEqual({ n: 0 })
    expect((await member.client.get('/settings')).status).toBe(302)
    expect((await client().post(undo, {})).status).toBe(410)
  })

  it('answers an address that has an account as any other, and tells its owner instead of sending a link', async () => {
    const [member, other] = [await confirmedMember(), await confirmedMember()]
    const response = await member.client.post('/settings/email', { email: other.email, currentPassword: member.password })
    expect(response.status).toBe(302)
    const mail = await mailTo(other.email, 'Someone tried to use your address on SectorPulse')
    expect(mail.parsed.text).not.toMatch(/\/settings\/email\/confirm\//)
    expect(await userRow(member.email)).toBeDefined()
  })
})

describe('refused links for a change of address', () => {
  /** A member whose move to a new address waits for the link mailed there. */
  async function changeRequested() {
    const member = await confirmedMember()
    const newEmail = `moved-${member.email}`
    expect((await member.client.post('/settings/email', { email: newEmail, currentPassword: member.password })).status).toBe(302)
    return { member, newEmail, confirm: linkIn(await mailTo(newEmail, CHANGE_SUBJECT), '/settings/email/confirm') }
  }

  it('refuses a tampered confirmation link and an expired one: the address stays as it was', async () => {
    const { member, newEmail, confirm } = await changeRequested()
    await expectRefusedLink(tampered(confirm), 'This link does not work')
    await expire(confirm)
    await expectRefusedLink(confirm, 'This link has run out')
    expect(await userRow(member.email)).toBeDefined()
    expect(await userRow(newEmail)).toBeUndefined()
    expect((await signIn(client(), member.email, member.password)).status).toBe(302)
  })

  it('refuses a tampered undo link and an expired one: the new address stays, and so do its sessions', async () => {
    const { member, newEmail, confirm } = await changeRequested()
    expect((await followMailedLink(client(), confirm)).status).toBe(200)
    const undo = linkIn(await mailTo(member.email, CHANGED_SUBJECT), '/settings/email/undo')
    await expectRefusedLink(tampered(undo), 'This link does not work')
    await expire(undo)
    await expectRefusedLink(undo, 'This link has run out')
    expect(await userRow(newEmail)).toBeDefined()
    expect(await userRow(member.email)).toBeUndefined()
    expect((await member.client.get('/settings')).status).toBe(200)
  })
})

describe('the "verified government email" mark', () => {
  const MARK = 'Verified government email'
  /** The author line of post `number` on a thread page. */
  const authorLine = (html: string, number: number) =>
    new RegExp(`<article id="post-${number}"[\\s\\S]*?class="post__author">([\\s\\S]*?)</h[23]>`).exec(html)?.[1] ?? ''

  it('stands beside the posts of a member with a confirmed government address, and beside no one else', async () => {
    const official = await confirmedMember()
    const consultant = await confirmedMember({ email: `consultant-${Date.now().toString(36)}@firm.example.com` })
    const started = await official.client.post('/discussions/new', { category: 'testing-and-go-live', title: 'Who signs off the cutover?', body: 'Asking for a state agency.' })
    expect(started.status).toBe(302)
    const path = started.headers.get('location')!
    expect((await consultant.client.post(path, { intent: 'reply', body: 'The program sponsor, in our case.' })).status).toBe(302)
    const html = await (await client().get(path)).text()
    expect(authorLine(html, 1)).toContain(official.displayName)
    expect(authorLine(html, 1)).toContain(MARK)
    expect(authorLine(html, 2)).toContain(consultant.displayName)
    expect(authorLine(html, 2)).not.toContain(MARK)
  })

  it('is not earned by a government address until it is confirmed, on joining or on a change of address', async () => {
    const joined = await joinUnconfirmed(client())
    expect((await userRow(joined.email))?.public_servant_verified_by).toBeNull()
    const profile = await client().get(`/members/${joined.handle}`)
    expect(profile.status).toBe(200)
    expect(mainOf(await profile.text())).not.toContain(MARK)

    const consultant = await confirmedMember({ email: `consultant-${Date.now().toString(36)}@firm.example.com` })
    const agencyEmail = `joined-${Date.now().toString(36)}@agency.example.gov`
    expect((await consultant.client.post('/settings/email', { email: agencyEmail, currentPassword: consultant.password })).status).toBe(302)
    const confirm = linkIn(await mailTo(agencyEmail, CHANGE_SUBJECT), '/settings/email/confirm')
    expect(mainOf(await (await client().get(`/members/${consultant.handle}`)).text())).not.toContain(MARK)
    expect((await followMailedLink(client(), confirm)).status).toBe(200)
    expect(mainOf(await (await client().get(`/members/${consultant.handle}`)).text())).toContain(MARK)
  })
})

describe('permissions on the account routes', () => {
  it('sends an anonymous visitor to sign in for the change of address and the resend button', async () => {
    for (const path of ['/settings/email']) {
      const response = await client().get(path)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toMatch(/^\/login\?redirectTo=/)
    }
    expect((await client().post('/settings/email', { email: 'a@b.example.gov', currentPassword: 'x' })).status).toBe(302)
    expect((await client().post('/verify-email/resend', {})).headers.get('location')).toMatch(/^\/login/)
  })

  it('lets an unconfirmed member change their address (a typo on joining) but not post', async () => {
    const browser = client()
    const fields = await joinUnconfirmed(browser)
    await signIn(browser, fields.email, fields.password)
    expect((await browser.get('/settings/email')).status).toBe(200)
  })

  it('lets an unconfirmed member save a case draft and take and save the assessment, but not submit the case', async () => {
    const browser = client()
    const fields = await joinUnconfirmed(browser)
    await signIn(browser, fields.email, fields.password)
    const { id } = (await userRow(fields.email))!
    const title = `A draft before confirming ${Date.now().toString(36)}`
    const draft = await postFields(browser, '/cases/new', { ...caseForm({ title }), intent: 'save' })
    expect(draft.status, await draft.clone().text()).toBe(302)
    const drafts = (await db.all(sql`select status, draft_json from cases where author_id = ${id}`)) as { status: string; draft_json: string }[]
    expect(drafts).toEqual([{ status: 'draft', draft_json: expect.stringContaining(title) }])
    const submitted = await postFields(browser, '/cases/new', { ...caseForm({ title }), intent: 'submit' })
    expect(submitted.status).toBe(403)
    expect(await submitted.text()).toContain('Confirm your email address before you take part')
    expect(await db.one(sql`select count(*) as n from cases where author_id = ${id} and status != 'draft'`)).toEqual({ n: 0 })

    const scored = await browser.post('/readiness', await readinessForm(db, 'partly', { intent: 'score' }))
    expect(scored.status).toBe(200)
    expect(mainOf(await scored.text())).toContain('<h1>Your readiness results</h1>')
    const project = `Licensing portal ${Date.now().toString(36)}`
    const saved = await browser.post('/readiness', await readinessForm(db, 'partly', { project, intent: 'save' }))
    expect(saved.status).toBe(302)
    const results = await browser.get(saved.headers.get('location')!)
    expect(results.status).toBe(200)
    expect(mainOf(await results.text())).toContain(project)
    expect(await db.all(sql`select project_name from readiness_assessments where user_id = ${id}`)).toEqual([{ project_name: project }])
  })

  it('lets only moderators and admins verify a public servant by hand, with a note, logged', async () => {
    const subject = await confirmedMember({ email: `advisor-${Date.now().toString(36)}@firm.example.com` })
    const path = `/members/${subject.handle}`
    const anonymous = await client().post(path, { verified: 'yes', note: 'Checked' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login/)
    const member = await confirmedMember()
    expect((await member.client.post(path, { verified: 'yes', note: 'Checked' })).status).toBe(403)
    expect(await (await member.client.get(path)).text()).not.toContain('Mark as a verified public servant')
    expect((await userRow(subject.email))?.public_servant_verified_by).toBeNull()

    const moderator = await confirmedMember()
    await db.run(sql`update users set role = 'moderator' where email = ${moderator.email}`)
    expect(await (await moderator.client.get(path)).text()).toContain('Mark as a verified public servant')
    const noNote = await moderator.client.post(path, { verified: 'yes', note: '  ' })
    expect(noNote.status).toBe(400)
    expect(fieldError(await noNote.text(), 'note')).toContain('Say why')
    expect((await moderator.client.post(path, { verified: 'yes', note: 'Advisor to the state CIO council; checked their contract.' })).status).toBe(302)
    const subjectId = (await userRow(subject.email))!.id
    expect((await userRow(subject.email))?.public_servant_verified_by).toBe('moderator')
    expect(await db.one(sql`select action, reason from moderation_log where member_id = ${subjectId} order by id desc limit 1`)).toEqual({
      action: 'verify-public-servant',
      reason: 'Advisor to the state CIO council; checked their contract.',
    })
    expect(await (await client().get(path)).text()).toContain('Verified government email')

    const admin = await confirmedMember()
    await db.run(sql`update users set role = 'admin' where email = ${admin.email}`)
    expect((await admin.client.post(path, { verified: 'no', note: 'Contract ended.' })).status).toBe(302)
    expect((await userRow(subject.email))?.public_servant_verified_by).toBeNull()
  })
})
