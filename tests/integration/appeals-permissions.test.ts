// Member standing and appeals over real HTTP: who may open each new page and make each new
// write (anonymous, a member, the affected member, a moderator, the deciding moderator against
// another moderator, an admin), what a suspended member is told at sign-in, and the appeal link
// that works without signing in.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, mainOf, makeEstablished, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let counter = 0
const unique = (text: string) => `${text} ${Date.now().toString(36)}-${++counter}-${process.pid}`

async function hiddenPostOf(moderator: Person) {
  const author = await signedIn(db)
  const started = await author.client.post('/discussions/new', {
    category: 'governance-and-sponsorship',
    title: unique('Who signs off on go-live'),
    body: unique('Our steering committee never agreed'),
  })
  expect(started.status).toBe(302)
  const path = started.headers.get('location')!
  const post = (await db.one(sql`select p.id from posts p join threads t on t.id = p.thread_id where t.author_id = ${author.id} order by p.id desc`)) as { id: number }
  const hidden = await moderator.client.post(path, { intent: 'hide', postId: String(post.id), reason: 'Names a colleague' })
  expect(hidden.status).toBe(302)
  const decision = (await db.one(sql`select id from moderation_log where member_id = ${author.id} and action = 'hide' order by id desc`)) as { id: number }
  return { author, path, postId: post.id, decisionId: decision.id }
}

/** The appeal link the member is given, read from their /appeals page. */
async function appealLinkOf(member: Person): Promise<string> {
  const html = await (await member.client.get('/appeals')).text()
  const href = /href="(\/appeal\/[^"]+)"/.exec(html)?.[1]
  expect(href, 'an appeal link on /appeals').toBeDefined()
  return decodeHtml(href!)
}

/** What a reader sees: entities decoded, React's text separators gone. */
const readable = (html: string) => decodeHtml(html).replace(/<!-- -->/g, '')

const STATEMENT = 'The person named is me: I wrote about my own project and nobody else.'

describe('pages for moderators only', () => {
  it.each(['/admin/members', '/moderation/appeals'])('%s: anonymous is sent to sign in, a member is refused, moderators and admins see it', async (path) => {
    const anonymous = await new HttpClient().get(path)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?/)
    expect((await (await signedIn(db)).client.get(path)).status).toBe(403)
    expect((await (await signedIn(db, 'moderator')).client.get(path)).status).toBe(200)
    expect((await (await signedIn(db, 'admin')).client.get(path)).status).toBe(200)
  })

  it('/admin/members finds a member by handle and filters by standing', async () => {
    const moderator = await signedIn(db, 'moderator')
    const member = await signedIn(db)
    const found = mainOf(await (await moderator.client.get(`/admin/members?q=${member.handle}`)).text())
    expect(readable(found)).toContain(`@${member.handle}`)
    expect(mainOf(await (await moderator.client.get(`/admin/members?q=${member.handle}&standing=suspended`)).text())).toContain('No members match.')
    expect((await moderator.client.get('/admin/members?role=nonsense&after=x')).status).toBe(200)
  })
})

describe('silence and suspend over HTTP', () => {
  it('a member cannot act; a moderator cannot act on a moderator or an admin; an admin can act on a moderator', async () => {
    const target = await signedIn(db)
    const moderator = await signedIn(db, 'moderator')
    const otherModerator = await signedIn(db, 'moderator')
    const admin = await signedIn(db, 'admin')
    const silence = { intent: 'restrict', measure: 'silence', duration: '1', reason: 'Cooling off' }
    expect((await (await signedIn(db)).client.post(`/admin/members/${target.id}`, silence)).status).toBe(403)
    expect((await target.client.post(`/admin/members/${target.id}`, silence)).status).toBe(403)
    expect((await new HttpClient().post(`/admin/members/${target.id}`, silence)).status).toBe(302)
    expect(await db.userByHandle(target.handle)).toMatchObject({ silenced_until: null })
    expect((await moderator.client.post(`/admin/members/${otherModerator.id}`, silence)).status).toBe(403)
    expect((await moderator.client.post(`/admin/members/${admin.id}`, silence)).status).toBe(403)
    expect((await moderator.client.post(`/admin/members/${moderator.id}`, silence)).status).toBe(403)
    expect((await admin.client.post(`/admin/members/${otherModerator.id}`, silence)).status).toBe(302)
    expect((await moderator.client.post(`/admin/members/${target.id}`, { intent: 'role', role: 'admin', reason: 'No' })).status).toBe(403)
    expect((await admin.client.post(`/admin/members/${target.id}`, { intent: 'role', role: 'moderator', reason: 'Trusted' })).status).toBe(302)
  })

  it('a missing reason is a 400 with the message next to the field, and nothing changes', async () => {
    const moderator = await signedIn(db, 'moderator')
    const target = await signedIn(db)
    const response = await moderator.client.post(`/admin/members/${target.id}`, { intent: 'restrict', measure: 'suspend', duration: '7', reason: '' })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(errorSummary(html)).toContain('Give the reason the member will be told')
    expect(html).toContain('id="restrict-reason-error"')
    expect(((await db.one(sql`select suspended_until from users where id = ${target.id}`)) as { suspended_until: string | null }).suspended_until).toBeNull()
    expect((await moderator.client.post('/admin/members/999999999', { intent: 'lift', measure: 'silence', reason: 'x' })).status).toBe(404)
  })

  it('a silenced member reads every page with the reason and a link to appeal', async () => {
    const moderator = await signedIn(db, 'moderator')
    const member = await signedIn(db)
    expect((await moderator.client.post(`/admin/members/${member.id}`, { intent: 'restrict', measure: 'silence', duration: '3', reason: 'Heated thread' })).status).toBe(302)
    for (const path of ['/', '/discussions', '/cases']) {
      const html = readable(await (await member.client.get(path)).text())
      expect(html).toContain('A moderator has made your account read-only until')
      expect(html).toContain('Reason: Heated thread.')
      expect(html).toMatch(/href="\/appeal\/[^"]+">Appeal this decision/)
    }
  })

  it('a suspended member is signed out at once; after the right password they are told until when, why, and how to appeal', async () => {
    const moderator = await signedIn(db, 'moderator')
    const member = await signedIn(db)
    expect((await moderator.client.post(`/admin/members/${member.id}`, { intent: 'restrict', measure: 'suspend', duration: 'indefinitely', reason: 'Posted residents’ case records' })).status).toBe(302)
    expect(await db.sessionsOfUser(member.id)).toEqual([])
    expect((await member.client.get('/settings')).status).toBe(302)

    const wrong = await new HttpClient().post('/login', { email: member.email, password: 'not the password at all' })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('suspended')

    const client = new HttpClient()
    const refused = await client.post('/login', { email: member.email, password: 'correct horse battery staple' })
    expect(refused.status).toBe(403)
    expect(client.cookies.has('sp_session')).toBe(false)
    const html = readable(await refused.text())
    expect(html).toContain('Your account is suspended indefinitely')
    expect(html).toContain('Reason: Posted residents’ case records')
    const appealHref = /href="(\/appeal\/[^"]+)"/.exec(html)?.[1]
    expect(appealHref).toBeDefined()

    // The appeal works without signing in.
    const appealed = await client.post(decodeHtml(appealHref!), { statement: STATEMENT })
    expect(appealed.status).toBe(302)
    expect(await db.one(sql`select status from appeals where member_id = ${member.id}`)).toEqual({ status: 'open' })
  })
})

describe('appeals', () => {
  it('a tampered appeal link is a 404; a short statement is a 400 next to the field; a second appeal is refused', async () => {
    const moderator = await signedIn(db, 'moderator')
    const { author } = await hiddenPostOf(moderator)
    const link = await appealLinkOf(author)
    expect((await new HttpClient().get(`${link}x`)).status).toBe(404)
    expect((await new HttpClient().get('/appeal/1.AAAA')).status).toBe(404)
    const short = await author.client.post(link, { statement: 'No.' })
    expect(short.status).toBe(400)
    expect(await short.text()).toContain('id="statement-error"')
    expect((await author.client.post(link, { statement: STATEMENT })).status).toBe(302)
    expect((await author.client.post(link, { statement: STATEMENT })).status).toBe(409)
  })

  it('only a moderator other than the one who decided can decide; overturning shows the post again and tells the member', async () => {
    const deciding = await signedIn(db, 'moderator')
    const { author, postId } = await hiddenPostOf(deciding)
    expect((await author.client.post(await appealLinkOf(author), { statement: STATEMENT })).status).toBe(302)
    const appeal = (await db.one(sql`select id from appeals where member_id = ${author.id}`)) as { id: number }
    const decide = { appealId: String(appeal.id), outcome: 'overturn', reason: 'The name is the author’s own' }

    expect((await new HttpClient().post('/moderation/appeals', decide)).status).toBe(302)
    expect((await author.client.post('/moderation/appeals', decide)).status).toBe(403)
    expect((await (await signedIn(db)).client.post('/moderation/appeals', decide)).status).toBe(403)
    const byDecider = await deciding.client.post('/moderation/appeals', decide)
    expect(byDecider.status).toBe(403)
    expect(decodeHtml(await byDecider.text())).toContain('another moderator must decide its appeal')
    const queue = decodeHtml(await (await deciding.client.get('/moderation/appeals')).text())
    expect(queue).toContain('You made this decision, so another moderator must decide its appeal.')

    const other = await signedIn(db, 'moderator')
    expect((await other.client.post('/moderation/appeals', { ...decide, reason: '' })).status).toBe(400)
    expect((await other.client.post('/moderation/appeals', decide)).status).toBe(302)
    expect(((await db.one(sql`select hidden_at from posts where id = ${postId}`)) as { hidden_at: string | null }).hidden_at).toBeNull()
    expect((await (await signedIn(db, 'admin')).client.post('/moderation/appeals', decide)).status).toBe(409)
    const mine = readable(mainOf(await (await author.client.get('/appeals')).text()))
    expect(mine).toContain('Decided: the decision was reversed')
    expect(mine).toContain('The name is the author’s own')
  })

  it('/appeals needs a member; another member sees none of someone else’s decisions', async () => {
    expect((await new HttpClient().get('/appeals')).status).toBe(302)
    const moderator = await signedIn(db, 'moderator')
    await hiddenPostOf(moderator)
    expect(mainOf(await (await (await signedIn(db)).client.get('/appeals')).text())).toContain('No moderation decision has affected you.')
  })
})

describe('new-account flags over HTTP', () => {
  it('three new members cannot hide a post; three established members can', async () => {
    const author = await signedIn(db)
    const started = await author.client.post('/discussions/new', { category: 'governance-and-sponsorship', title: unique('Flag me'), body: unique('A post to flag') })
    expect(started.status).toBe(302)
    const post = (await db.one(sql`select p.id from posts p join threads t on t.id = p.thread_id where t.author_id = ${author.id}`)) as { id: number }
    for (let i = 0; i < 3; i++) expect((await (await signedIn(db)).client.post(`/discussions/posts/${post.id}/flag`, { reason: 'spam' })).status).toBe(302)
    expect(((await db.one(sql`select hidden_at from posts where id = ${post.id}`)) as { hidden_at: string | null }).hidden_at).toBeNull()
    for (let i = 0; i < 3; i++) {
      const flagger = await signedIn(db)
      await makeEstablished(db, flagger)
      expect((await flagger.client.post(`/discussions/posts/${post.id}/flag`, { reason: 'spam' })).status).toBe(302)
    }
    expect(((await db.one(sql`select hidden_at from posts where id = ${post.id}`)) as { hidden_at: string | null }).hidden_at).not.toBeNull()
  })
})

describe('guidelines, privacy and terms', () => {
  it('are served to anyone, and joining requires accepting the guidelines', async () => {
    for (const [path, title] of [['/guidelines', 'Community guidelines'], ['/privacy', 'Privacy notice'], ['/terms', 'Terms of use']]) {
      const response = await new HttpClient().get(path)
      expect(response.status).toBe(200)
      expect(mainOf(await response.text())).toContain(`<h1>${title}</h1>`)
    }
    const { memberFields } = await import('../helpers/http-client')
    const refused = await new HttpClient().post('/join', { ...memberFields(), acceptGuidelines: '' })
    expect(refused.status).toBe(400)
    expect(errorSummary(await refused.text())).toContain('Accept the community guidelines to join')
    const joined = await signedIn(db)
    expect(((await db.one(sql`select guidelines_accepted_at from users where id = ${joined.id}`)) as { guidelines_accepted_at: string | null }).guidelines_accepted_at).not.toBeNull()
  })
})
