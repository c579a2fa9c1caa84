// The account is the member's, over real HTTP: the settings profile and a handle change that keeps
// old links and mentions working, the data export, and deleting the account (posts kept as "a
// former member" or removed), with the permission matrix of every new route.
import { type RawBuilder, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import { type Fields, insertEvent, postFields } from './events-support'
import {
  caseForm,
  clearsCookie,
  decodeHtml,
  errorSummary,
  eventually,
  fieldError,
  mainOf,
  openServerDatabase,
  type Person,
  readinessForm,
  type Role,
  signedIn,
  signIn,
} from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const PASSWORD = 'correct horse battery staple'
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** Moves a member's posts and threads into the past, as if they had waited out the posting limits. */
async function waitOutLimits(userId: number) {
  const past = new Date(Date.now() - 10 * 60_000).toISOString()
  await db.run(sql`update posts set created_at = ${past} where author_id = ${userId}`)
  await db.run(sql`update threads set created_at = ${past} where author_id = ${userId}`)
}

async function startThread(person: Person, body = `Opening post ${unique()}`) {
  await waitOutLimits(person.id)
  const response = await person.client.post('/discussions/new', { category: 'testing-and-go-live', title: `Account thread ${unique()}`, body })
  expect(response.status, await response.clone().text()).toBe(302)
  const path = response.headers.get('location')!
  return { id: Number(path.split('/')[2]), path }
}

async function reply(person: Person, thread: { path: string }, body: string) {
  await waitOutLimits(person.id)
  const response = await person.client.post(thread.path, { intent: 'reply', body })
  expect(response.status, await response.clone().text()).toBe(302)
}

function profileFields(person: { handle: string; displayName: string }, overrides: Fields = {}): Fields {
  return {
    intent: 'profile',
    displayName: person.displayName,
    handle: person.handle,
    memberType: 'practitioner',
    organization: 'A mid-size county human services agency',
    governmentLevel: 'local',
    listed: 'yes',
    ...overrides,
  }
}

async function publishedAnonymousCase(author: Person, moderator: Person, title: string) {
  const submitted = await postFields(author.client, '/cases/new', { ...caseForm({ title, isAnonymous: 'on' }), intent: 'submit' })
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  const { id } = (await db.one(sql`select id from cases where author_id = ${author.id} and status = 'submitted'`)) as { id: number }
  const published = await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish', feedback: '' })
  expect(published.status).toBe(302)
  return (await db.one(sql`select id, slug, anonymous_label from cases where id = ${id}`)) as { id: number; slug: string; anonymous_label: string }
}

const userRow = async (id: number) => (await db.one(sql`select * from users where id = ${id}`)) as Record<string, unknown>
const count = async (query: RawBuilder<unknown>) => ((await db.one(query)) as { n: number }).n

describe('who may open the account pages', () => {
  const people: Partial<Record<Role | 'anonymous', Person | null>> = {}
  beforeAll(async () => {
    people.anonymous = null
    for (const role of ['member', 'moderator', 'admin'] as const) people[role] = await signedIn(db, role)
  })

  it.each(['/settings/export', '/settings/export.json', '/settings/delete'])('%s sends an anonymous visitor to sign in', async (path) => {
    const response = await new HttpClient().get(path)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
  })

  it('deleting needs a session: an anonymous POST deletes nothing', async () => {
    const response = await new HttpClient().post('/settings/delete', { posts: 'keep', password: PASSWORD })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fsettings%2Fdelete/)
  })

  it.each(['member', 'moderator', 'admin'] as const)('a %s opens the pages and downloads only their own data', async (role) => {
    const person = people[role]!
    for (const path of ['/settings/export', '/settings/delete']) expect((await person.client.get(path)).status).toBe(200)
    const download = await person.client.get('/settings/export.json')
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toContain('application/json')
    const today = new Date().toISOString().slice(0, 10)
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="sectorpulse-${person.handle}-${today}.json"`)
    expect(download.headers.get('cache-control')).toContain('no-store')
    const data = await download.json()
    expect(data.profile.email).toBe(person.email)
    for (const other of Object.values(people)) if (other && other !== person) expect(JSON.stringify(data)).not.toContain(other.email)
  })

  it('the directory is public', async () => {
    const response = await new HttpClient().get('/members')
    expect(response.status).toBe(200)
    expect(mainOf(await response.text())).toContain('<h1>Members</h1>')
  })

  it("another member's password deletes nothing: only the signed-in account can go, and only with its own password", async () => {
    const owner = await signedIn(db)
    const other = await signedIn(db)
    const response = await other.client.post('/settings/delete', { posts: 'keep', password: PASSWORD.toUpperCase() })
    expect(response.status).toBe(400)
    expect(fieldError(await response.text(), 'password')).toBe('Your password is not correct')
    expect((await userRow(owner.id)).deleted_at).toBeNull()
    expect((await userRow(other.id)).deleted_at).toBeNull()
  })
})

describe('settings: profile, experience and directory listing', () => {
  it('saves bio (Markdown, rendered and sanitized when saved), job title and experience, shown on the profile', async () => {
    const member = await signedIn(db)
    const response = await postFields(
      member.client,
      '/settings',
      profileFields(member, {
        jobTitle: 'Deputy CIO',
        bio: 'I ran the **payroll** replacement. <script>alert(1)</script>',
        experience: ['unmanaged-risks', 'benefits-and-eligibility'],
      }),
    )
    expect(response.status, await response.clone().text()).toBe(302)
    const html = mainOf(await (await new HttpClient().get(`/members/${member.handle}`)).text())
    expect(html).toContain('I ran the <strong>payroll</strong> replacement.')
    expect(html).not.toContain('<script')
    expect(html).toContain('Deputy CIO')
    expect(html).toContain('href="/cases/themes/unmanaged-risks"')
    expect(decodeHtml(html)).toContain('Benefits')
  })

  it('refuses an unknown experience term and a malformed handle next to the field, keeping what was typed', async () => {
    const member = await signedIn(db)
    const response = await postFields(member.client, '/settings', profileFields(member, { handle: 'No Spaces!', experience: ['not-a-term'] }))
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(errorSummary(html).length).toBeGreaterThan(0)
    expect(fieldError(html, 'handle')).toMatch(/letters, numbers, hyphens and underscores/)
    const term = await postFields(member.client, '/settings', profileFields(member, { experience: ['not-a-term'] }))
    expect(term.status).toBe(400)
    expect(await term.text()).toContain('Choose areas of experience from the lists')
    expect(await db.userByHandle(member.handle)).toBeDefined()
  })

  it('opting out of the directory takes the member off it', async () => {
    const member = await signedIn(db)
    const find = async () => mainOf(await (await new HttpClient().get(`/members?q=${encodeURIComponent(member.displayName)}`)).text())
    expect(await find()).toContain(`/members/${member.handle}`)
    const { listed: _, ...unlisted } = profileFields(member)
    expect((await postFields(member.client, '/settings', unlisted)).status).toBe(302)
    expect(await find()).not.toContain(`/members/${member.handle}`)
  })
})

describe('changing handle', () => {
  let member: Person
  let oldHandle: string
  let newHandle: string
  let mentionBefore: { path: string }

  beforeAll(async () => {
    member = await signedIn(db)
    oldHandle = member.handle
    newHandle = `renamed-${unique()}`
    const mentioner = await signedIn(db)
    mentionBefore = await startThread(mentioner, `Ask @${oldHandle} about the payroll cutover.`)
    const response = await postFields(member.client, '/settings', profileFields(member, { handle: newHandle }))
    expect(response.status, await response.clone().text()).toBe(302)
  })

  it('answers the old profile address with a permanent redirect to the new one', async () => {
    const response = await new HttpClient().get(`/members/${oldHandle}`)
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(`/members/${newHandle}`)
    expect((await new HttpClient().get(`/members/${newHandle}`)).status).toBe(200)
  })

  it('keeps a mention written before the change working: its link leads to the member through the redirect', async () => {
    const html = await (await new HttpClient().get(mentionBefore.path)).text()
    const href = /<a class="mention" href="([^"]+)"/.exec(html)?.[1]
    expect(href).toBe(`/members/${oldHandle}`)
    const followed = await new HttpClient().get(href!)
    expect(followed.headers.get('location')).toBe(`/members/${newHandle}`)
  })

  it('makes a new mention of the old handle name the member: a link to their profile, and a mention they hear about', async () => {
    const writer = await signedIn(db)
    const thread = await startThread(writer, `Thanks @${oldHandle} for the runbook.`)
    const html = await (await new HttpClient().get(thread.path)).text()
    expect(html).toContain(`<a class="mention" href="/members/${newHandle}" rel="nofollow ugc noopener">@${oldHandle}</a>`)
    expect(await count(sql`select count(*) as n from post_mentions m join posts p on p.id = m.post_id where p.thread_id = ${thread.id} and m.user_id = ${member.id}`)).toBe(1)
  })

  it('keeps the old handle from anyone else, in settings and at joining', async () => {
    const squatter = await signedIn(db)
    const taken = await postFields(squatter.client, '/settings', profileFields(squatter, { handle: oldHandle }))
    expect(taken.status).toBe(409)
    expect(fieldError(await taken.text(), 'handle')).toBe('That handle is taken. Choose another.')
    const joining = await new HttpClient().post('/join', memberFields({ handle: oldHandle }))
    expect(joining.status).toBe(409)
    expect(await db.one(sql`select id from users where handle = ${oldHandle}`)).toBeUndefined()
  })

  it('lets the member take their old handle back', async () => {
    const back = await postFields(member.client, '/settings', profileFields({ ...member, handle: newHandle }, { handle: oldHandle }))
    expect(back.status).toBe(302)
    expect((await new HttpClient().get(`/members/${oldHandle}`)).status).toBe(200)
    expect((await new HttpClient().get(`/members/${newHandle}`)).headers.get('location')).toBe(`/members/${oldHandle}`)
  })
})

describe('export', () => {
  it("holds the member's anonymous case, posts, drafts, RSVPs and preferences, and no other member's data", async () => {
    const author = await signedIn(db)
    const moderator = await signedIn(db, 'moderator')
    const other = await signedIn(db)
    const title = `An anonymous export case ${unique()}`
    const published = await publishedAnonymousCase(author, moderator, title)
    const draftTitle = `A draft case ${unique()}`
    expect((await postFields(author.client, '/cases/new', { ...caseForm({ title: draftTitle }), intent: 'save' })).status).toBe(302)
    const thread = await startThread(author, `My own words ${unique()}`)
    const event = await insertEvent(db.kysely, { title: `Export event ${unique()}` })
    expect((await author.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await other.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await author.client.post('/settings', { intent: 'timezone', timeZone: 'America/Chicago' })).status).toBe(302)

    const data = await (await author.client.get('/settings/export.json')).json()
    const anonymous = data.cases.find((c: { title: string }) => c.title === title)
    expect(anonymous).toMatchObject({ anonymous: true, status: 'published', anonymousLabel: published.anonymous_label })
    expect(data.cases.find((c: { title: string }) => c.title === draftTitle)).toMatchObject({ status: 'draft' })
    expect(data.threads.map((t: { id: number }) => t.id)).toContain(thread.id)
    expect(data.posts.find((p: { threadId: number }) => p.threadId === thread.id).markdown).toMatch(/^My own words/)
    expect(data.rsvps).toEqual([expect.objectContaining({ eventId: event.id, answer: 'going' })])
    expect(data.profile.timeZone).toBe('America/Chicago')
    expect(data.emailPreferences.reply).toBe('immediately')
    const text = JSON.stringify(data)
    for (const secret of [other.email, other.handle, moderator.email, moderator.handle]) expect(text).not.toContain(secret)
    expect(text).not.toContain('password')

    // Nowhere else: not in another member's export, not on the case page they can read.
    const theirs = JSON.stringify(await (await other.client.get('/settings/export.json')).json())
    expect(theirs).not.toContain(title)
    const page = await (await other.client.get(`/cases/${published.slug}`)).text()
    expect(page).toContain(published.anonymous_label)
    for (const trace of [author.handle, author.displayName, author.email]) expect(page).not.toContain(trace)
  })

  it('holds their readiness assessments with the answers, flags, helpful marks, case reactions and follows', async () => {
    const member = await signedIn(db)
    const other = await signedIn(db)
    const project = `Payroll replacement ${unique()}`
    const saved = await member.client.post('/readiness', await readinessForm(db, 'mostly', { project, intent: 'save' }))
    expect(saved.status, await saved.clone().text()).toBe(302)
    const thread = await startThread(other)
    const post = (await db.one(sql`select id from posts where thread_id = ${thread.id} and number = 1`)) as { id: number }
    expect((await member.client.post(thread.path, { intent: 'helpful', postId: String(post.id) })).status).toBe(302)
    expect((await member.client.post(`/discussions/posts/${post.id}/flag`, { reason: 'other', note: 'Names a vendor it should not' })).status).toBe(302)
    const published = (await db.one(sql`select slug, title from cases where status = 'published' and (author_id is null or author_id != ${member.id}) order by id limit 1`)) as { slug: string; title: string }
    expect((await member.client.post(`/cases/${published.slug}`, { intent: 'seen' })).status).toBe(302)
    const category = (await db.one(sql`select id from categories where slug = 'testing-and-go-live'`)) as { id: number }
    expect((await member.client.post('/follow', { targetType: 'category', targetId: String(category.id), level: 'watching' })).status).toBe(302)

    const data = await (await member.client.get('/settings/export.json')).json()
    expect(data.readinessAssessments).toEqual([expect.objectContaining({ projectName: project })])
    expect(data.readinessAssessments[0].answers.map((a: { question: string }) => a.question).sort()).toEqual(
      ((await db.all(sql`select slug from readiness_questions order by slug`)) as { slug: string }[]).map((q) => q.slug),
    )
    // Answers as the member chose them, with the question's words, not stored numbers.
    const question = (await db.one(sql`select slug, area, question from readiness_questions order by position limit 1`)) as { slug: string; area: string; question: string }
    expect(data.readinessAssessments[0].answers).toContainEqual({ question: question.slug, area: question.area, questionText: question.question, answer: 'Mostly', note: null })
    expect(data.helpfulMarks).toEqual([expect.objectContaining({ postId: post.id })])
    expect(data.flags).toEqual([expect.objectContaining({ postId: post.id, reason: 'other', note: 'Names a vendor it should not' })])
    expect(data.caseReactions).toEqual([expect.objectContaining({ caseSlug: published.slug, kind: 'seen this too' })])
    expect(data.follows).toContainEqual(expect.objectContaining({ targetType: 'category', targetId: category.id, level: 'watching' }))

    // None of it is in the export of the member whose post they marked and flagged.
    const theirs = await (await other.client.get('/settings/export.json')).json()
    expect(theirs.readinessAssessments).toEqual([])
    expect(theirs.flags).toEqual([])
    expect(theirs.helpfulMarks).toEqual([])
  })
})

describe('deleting an account', () => {
  it('needs a choice and the password; a refusal changes nothing', async () => {
    const member = await signedIn(db)
    const missing = await member.client.post('/settings/delete', { password: PASSWORD })
    expect(missing.status).toBe(400)
    const html = await missing.text()
    expect(fieldError(html, 'posts')).toBe('Choose what happens to your posts')
    const wrong = await member.client.post('/settings/delete', { posts: 'remove', password: 'not my password at all' })
    expect(wrong.status).toBe(400)
    expect(await userRow(member.id)).toMatchObject({ deleted_at: null, email: member.email })
    expect((await member.client.get('/settings')).status).toBe(200)
  })

  it('keeping posts: they stay as "A former member", personal fields and tokens are erased, the place goes to the waitlist, and a replay does nothing', async () => {
    const member = await signedIn(db, 'member', { organization: 'A very identifiable county office' })
    const moderator = await signedIn(db, 'moderator')
    const replier = await signedIn(db)
    const waiting = await signedIn(db)
    expect(
      (await postFields(member.client, '/settings', profileFields(member, { bio: 'My bio', jobTitle: 'CIO', experience: ['unmanaged-risks'] }))).status,
    ).toBe(302)
    const words = `Words worth keeping ${unique()}`
    const thread = await startThread(member, words)
    await reply(replier, thread, `A reply that must stay readable ${unique()}`)
    const caseTitle = `A case that stays anonymous ${unique()}`
    const anonymousCase = await publishedAnonymousCase(member, moderator, caseTitle)
    const event = await insertEvent(db.kysely, { title: `Full event ${unique()}`, capacity: 1 })
    expect((await member.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect((await waiting.client.post(event.path, { intent: 'going' })).status).toBe(302)
    expect(await db.one(sql`select status from rsvps where event_id = ${event.id} and user_id = ${waiting.id}`)).toEqual({ status: 'waitlisted' })
    expect((await member.client.post('/settings', { intent: 'calendar-new' })).status).toBe(200)
    // A spent confirmation link from joining and an unspent reset link: both go with the account.
    expect((await new HttpClient().post('/forgot-password', { email: member.email })).status).toBe(302)
    expect(await count(sql`select count(*) as n from email_tokens where user_id = ${member.id} and used_at is null`)).toBe(1)
    expect(await count(sql`select count(*) as n from email_tokens where user_id = ${member.id} and used_at is not null`)).toBe(1)

    const deleted = await member.client.post('/settings/delete', { posts: 'keep', password: PASSWORD })
    expect(deleted.status).toBe(302)
    expect(deleted.headers.get('location')).toBe('/')
    expect(clearsCookie(deleted, 'sp_session')).toBe(true)

    const row = await userRow(member.id)
    expect(row).toMatchObject({
      display_name: 'A former member',
      password_hash: null,
      organization: null,
      job_title: null,
      bio_md: '',
      bio_html: '',
      time_zone: null,
      listed_in_directory: 0,
    })
    expect(row.deleted_at).toBeTruthy()
    for (const value of Object.values(row)) {
      for (const trace of [member.email, member.handle, member.displayName, 'A very identifiable county office']) expect(String(value)).not.toContain(trace)
    }
    for (const table of ['sessions', 'calendar_tokens', 'email_tokens', 'member_experience', 'follows', 'notifications', 'rsvps', 'readiness_assessments']) {
      expect(await count(sql`select count(*) as n from ${sql.table(table)} where user_id = ${member.id}`), table).toBe(0)
    }
    expect(await db.one(sql`select status from rsvps where event_id = ${event.id} and user_id = ${waiting.id}`)).toEqual({ status: 'going' })

    // Their posts stay, credited to a former member with no link; others' replies stay.
    const page = await (await new HttpClient().get(thread.path)).text()
    expect(page).toContain(words)
    expect(page).toContain('A former member')
    expect(page).not.toContain('/members/~deleted')
    expect(page).toContain('A reply that must stay readable')
    expect((await new HttpClient().get(`/members/${member.handle}`)).status).toBe(404)

    // The anonymous case stays published and anonymous; moderators see no one behind it either.
    const casePage = await (await moderator.client.get(`/cases/${anonymousCase.slug}`)).text()
    expect(casePage).toContain(anonymousCase.anonymous_label)
    for (const trace of [member.handle, member.displayName, member.email]) expect(casePage).not.toContain(trace)
    const log = await (await moderator.client.get('/moderation/log')).text()
    for (const trace of [member.handle, member.displayName]) expect(log).not.toContain(trace)

    // A replay finds no session and no account; signing in no longer works.
    const before = JSON.stringify(await userRow(member.id))
    const replay = await member.client.post('/settings/delete', { posts: 'remove', password: PASSWORD })
    expect(replay.status).toBe(302)
    expect(replay.headers.get('location')).toMatch(/^\/login/)
    expect(JSON.stringify(await userRow(member.id))).toBe(before)
    expect(await (await new HttpClient().get(thread.path)).text()).toContain(words)
    const signInAgain = await signIn(new HttpClient(), member.email, PASSWORD)
    expect(signInAgain.status).toBe(401)

    // A new reply in the thread they started reaches nobody behind the tombstone: no notification, no mail.
    await reply(replier, thread, `A reply after they left ${unique()}`)
    const activity = (await db.one(sql`select id from activities where thread_id = ${thread.id} and kind = 'post_created' order by id desc`)) as { id: number }
    await eventually(
      async () => (await db.one(sql`select processed_at from activities where id = ${activity.id}`)) as { processed_at: string | null },
      (row) => row.processed_at !== null,
    )
    expect(await count(sql`select count(*) as n from notifications where user_id = ${member.id}`)).toBe(0)
    expect(await count(sql`select count(*) as n from mail_outbox where user_id = ${member.id} or to_address like '~deleted-%'`)).toBe(0)
  })

  it("removing posts: their text is erased, a thread with others' replies stays for them, one without goes", async () => {
    const member = await signedIn(db)
    const replier = await signedIn(db)
    const host = await signedIn(db)
    const lonelyWords = `A lonely thread ${unique()}`
    const lonely = await startThread(member, lonelyWords)
    const answeredWords = `An answered thread ${unique()}`
    const answered = await startThread(member, answeredWords)
    const theirReply = `Reply by the leaving member ${unique()}`
    const othersReply = `Reply by someone staying ${unique()}`
    await reply(replier, answered, othersReply)
    const hosted = await startThread(host, `A host's thread ${unique()}`)
    await reply(member, hosted, theirReply)

    const deleted = await member.client.post('/settings/delete', { posts: 'remove', password: PASSWORD })
    expect(deleted.status).toBe(302)

    expect((await new HttpClient().get(lonely.path)).status).toBe(404)
    const answeredPage = await (await new HttpClient().get(answered.path)).text()
    expect(answeredPage).not.toContain(answeredWords)
    expect(answeredPage).toContain(othersReply)
    const hostedPage = await (await new HttpClient().get(hosted.path)).text()
    expect(hostedPage).not.toContain(theirReply)
    expect(hostedPage).toContain('deleted by its author')
    expect(await count(sql`select count(*) as n from posts where author_id = ${member.id} and (body_md != '' or is_deleted = 0)`)).toBe(0)
    expect(await count(sql`select count(*) as n from post_revisions r join posts p on p.id = r.post_id where p.author_id = ${member.id}`)).toBe(0)
    expect(((await db.one(sql`select reply_count from threads where id = ${hosted.id}`)) as { reply_count: number }).reply_count).toBe(0)
    const search = await (await new HttpClient().get(`/search?q=${encodeURIComponent(theirReply)}`)).text()
    expect(decodeHtml(mainOf(search))).toContain(`Nothing matches “${theirReply}”`)
  })

  it('frees the handle for nobody: it stays reserved after the account is gone', async () => {
    const member = await signedIn(db)
    expect((await member.client.post('/settings/delete', { posts: 'keep', password: PASSWORD })).status).toBe(302)
    const joining = await new HttpClient().post('/join', memberFields({ handle: member.handle }))
    expect(joining.status).toBe(409)
    expect((await new HttpClient().get(`/members/${member.handle}`)).status).toBe(404)
  })
})

describe('the member directory', () => {
  const tag = unique()
  const people: Person[] = []
  beforeAll(async () => {
    const specs = [
      { memberType: 'leader', governmentLevel: 'state', organization: `Bluewater state agency ${tag}`, experience: ['unmanaged-risks'] },
      { memberType: 'practitioner', governmentLevel: 'local', organization: `Redhill county ${tag}`, experience: ['unmanaged-risks', 'benefits-and-eligibility'] },
      { memberType: 'practitioner', governmentLevel: 'state', organization: `Greenfield state office ${tag}`, experience: [] as string[] },
    ]
    for (const [index, spec] of specs.entries()) {
      const person = await signedIn(db, 'member', { displayName: `Directory ${tag} ${index}`, organization: spec.organization })
      const response = await postFields(
        person.client,
        '/settings',
        profileFields(person, { memberType: spec.memberType, governmentLevel: spec.governmentLevel, organization: spec.organization, experience: spec.experience }),
      )
      expect(response.status).toBe(302)
      people.push(person)
    }
    // Joined with government addresses, all three carry the mark: keep it on the first one only.
    await db.run(sql`update users set public_servant_verified_by = null where id in (${people[1].id}, ${people[2].id})`)
    await db.run(sql`update users set public_servant_verified_by = 'email' where id = ${people[0].id}`)
  })

  const listed = async (query: string) => {
    const html = mainOf(await (await new HttpClient().get(`/members?${query}`)).text())
    return people.filter((p) => html.includes(`href="/members/${p.handle}"`)).map((p) => people.indexOf(p))
  }

  it('searches by name and by organization', async () => {
    expect(await listed(`q=${encodeURIComponent(`Directory ${tag}`)}`)).toEqual([0, 1, 2])
    expect(await listed(`q=${encodeURIComponent(`Redhill ${tag}`)}`)).toEqual([1])
  })

  it('filters by member type, level of government, verified mark and experience, combined', async () => {
    const q = `q=${tag}`
    expect(await listed(`${q}&type=practitioner`)).toEqual([1, 2])
    expect(await listed(`${q}&level=state`)).toEqual([0, 2])
    expect(await listed(`${q}&verified=yes`)).toEqual([0])
    expect(await listed(`${q}&mode=unmanaged-risks`)).toEqual([0, 1])
    expect(await listed(`${q}&mode=unmanaged-risks&domain=benefits-and-eligibility`)).toEqual([1])
    expect(await listed(`${q}&type=practitioner&level=state`)).toEqual([2])
    expect(await listed(`${q}&mode=no-such-mode`)).toEqual([])
  })

  it('pages in a stable order, 20 a page, every member once', async () => {
    const seen: string[] = []
    const first = await (await new HttpClient().get('/members')).text()
    const total = Number(/([\d,]+) members?/.exec(decodeHtml(mainOf(first)))![1].replace(/,/g, ''))
    const pages = Math.ceil(total / 20)
    for (let page = 1; page <= Math.min(pages, 6); page++) {
      const html = mainOf(await (await new HttpClient().get(`/members?page=${page}`)).text())
      const handles = [...html.matchAll(/<h2 class="thread-row__title"><a [^>]*href="\/members\/([^"]+)"/g)].map((m) => m[1])
      expect(handles.length).toBe(page < pages ? 20 : total - 20 * (pages - 1))
      seen.push(...handles)
    }
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('shows members who have been there on the theme page, linking to the filtered directory', async () => {
    const html = mainOf(await (await new HttpClient().get('/cases/themes/unmanaged-risks')).text())
    expect(html).toContain('Members who have been there')
    expect(html).toContain(`href="/members/${people[0].handle}"`)
    expect(html).not.toContain(`href="/members/${people[2].handle}"`)
    expect(html).toContain('href="/members?mode=unmanaged-risks"')
  })

  it("shows them on readiness results, for each weak area's failure modes", async () => {
    const questions = (await db.all(sql`select q.slug from readiness_questions q join readiness_question_failure_modes m on m.question_id = q.id
         join taxonomy_terms t on t.id = m.term_id where t.slug = 'unmanaged-risks' order by q.position limit 1`)) as { slug: string }[]
    expect(questions).toHaveLength(1)
    const all = (await db.all(sql`select slug from readiness_questions`)) as { slug: string }[]
    const fields = Object.fromEntries(all.flatMap((q) => [[`answer-${q.slug}`, q.slug === questions[0].slug ? 'not-yet' : 'fully'], [`note-${q.slug}`, '']]))
    const response = await new HttpClient().post('/readiness', { ...fields, intent: 'score' })
    expect(response.status).toBe(200)
    const html = mainOf(await response.text())
    expect(html).toContain('Members who have been there')
    expect(html).toContain(`href="/members/${people[0].handle}"`)
  })
})
