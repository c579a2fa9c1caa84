// The Discussions pages over HTTP: addresses and redirects, what readers of each role see,
// the moderation queue and log, post history, and member profiles.
import { sql } from 'kysely'
import { writeTransaction } from '../../db/client'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, mainOf, makeEstablished, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let n = 0
const uniqueText = (text: string) => `${text} ${Date.now().toString(36)}x${++n}x${process.pid}`
const CATEGORY = 'workforce-and-talent'

interface ThreadRef {
  id: number
  slug: string
  path: string
  title: string
}

async function startThread(client: HttpClient, title = uniqueText('Pages test thread'), body = uniqueText('Opening post')): Promise<ThreadRef> {
  const response = await client.post('/discussions/new', { category: CATEGORY, title, body })
  expect(response.status).toBe(302)
  const path = response.headers.get('location')!
  const [, id, slug] = path.split('/').slice(1)
  return { id: Number(id), slug, path, title }
}

/** Moves a member's posts and threads into the past, as if they had waited out the limits. */
async function waitOutLimits(userId: number) {
  const past = new Date(Date.now() - 10 * 60_000).toISOString()
  await db.run(sql`update posts set created_at = ${past} where author_id = ${userId}`)
  await db.run(sql`update threads set created_at = ${past} where author_id = ${userId}`)
}

async function replyTo(person: Person, thread: ThreadRef, body = uniqueText('A reply')) {
  await waitOutLimits(person.id)
  const response = await person.client.post(thread.path, { intent: 'reply', body })
  expect(response.status, await response.clone().text()).toBe(302)
  return (await db.one(sql`select * from posts where thread_id = ${thread.id} and author_id = ${person.id} order by id desc`)) as {
    id: number
    number: number
    body_md: string
  }
}

const openingOf = async (thread: ThreadRef) =>
  (await db.one(sql`select * from posts where thread_id = ${thread.id} and number = 1`)) as { id: number; body_md: string }

/** A page's <main>, with React's text separators (<!-- -->) removed and entities decoded. */
async function page(client: HttpClient, path: string) {
  const response = await client.get(path)
  const main = decodeHtml(mainOf(await response.text()).replaceAll('<!-- -->', ''))
  return { status: response.status, main }
}

describe('thread addresses', () => {
  it('redirects a wrong or missing slug to the right one with 301, keeping the query', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const reader = new HttpClient()

    const wrong = await reader.get(`/discussions/${thread.id}/not-the-title`)
    expect(wrong.status).toBe(301)
    expect(wrong.headers.get('location')).toBe(thread.path)

    const missing = await reader.get(`/discussions/${thread.id}`)
    expect(missing.status).toBe(301)
    expect(missing.headers.get('location')).toBe(thread.path)

    const withPage = await reader.get(`/discussions/${thread.id}/old-slug?page=2`)
    expect(withPage.status).toBe(301)
    expect(withPage.headers.get('location')).toBe(`${thread.path}?page=2`)

    const right = await page(reader, thread.path)
    expect(right.status).toBe(200)
    expect(right.main).toContain(thread.title)
  })

  it.each(['/discussions/99999999/anything', '/discussions/99999999', '/discussions/not-a-number/slug', '/discussions/0/slug'])(
    'answers 404 for %s',
    async (path) => {
      expect((await new HttpClient().get(path)).status).toBe(404)
    },
  )

  it('answers 404 for a deleted thread', async () => {
    const author = await signedIn(db)
    const thread = await startThread(author.client)
    const deleted = await author.client.post(thread.path, { intent: 'delete', postId: String((await openingOf(thread)).id), number: '1' })
    expect(deleted.status).toBe(302)
    expect((await new HttpClient().get(thread.path)).status).toBe(404)
  })
})

describe('the thread page', () => {
  it('shows a hidden post as a placeholder to members and anonymous readers, and its text to moderators', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const secret = uniqueText('Text a moderator hid')
    const reply = await replyTo(await signedIn(db), thread, secret)
    const moderator = await signedIn(db, 'moderator')
    expect((await moderator.client.post(thread.path, { intent: 'hide', postId: String(reply.id), reason: 'Names a caseworker' })).status).toBe(302)

    for (const reader of [new HttpClient(), (await signedIn(db)).client]) {
      const response = await reader.get(thread.path)
      const html = await response.text()
      expect(decodeHtml(mainOf(html))).toContain('This post was hidden by a moderator.')
      expect(html).not.toContain(secret) // not in the page, nor in its hydration data
      expect(html).not.toContain('Names a caseworker')
    }
    const asModerator = await page(moderator.client, thread.path)
    expect(asModerator.main).toContain(secret)
    expect(asModerator.main).toContain('Reason: Names a caseworker')
    expect(asModerator.main).toContain('Only moderators see the text below.')
  })

  it('shows a deleted reply as a placeholder to everyone', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const replier = await signedIn(db)
    const secret = uniqueText('Words I took back')
    const reply = await replyTo(replier, thread, secret)
    expect((await replier.client.post(thread.path, { intent: 'delete', postId: String(reply.id), number: '2' })).status).toBe(302)
    for (const reader of [new HttpClient(), replier.client, (await signedIn(db, 'moderator')).client]) {
      const html = await (await reader.get(thread.path)).text()
      expect(decodeHtml(mainOf(html))).toContain('This post was deleted by its author.')
      expect(html).not.toContain(secret)
    }
  })

  it('pages long threads 50 posts at a time', async () => {
    const thread = await startThread((await signedIn(db)).client)
    // Posts written straight into the database: 60 members replying would take minutes of limits.
    const author = (await db.userByHandle((await signedIn(db)).handle))!
    const at = new Date().toISOString()
    await writeTransaction(async (trx) => {
      for (let number = 2; number <= 60; number++) {
        await sql`insert into posts (thread_id, author_id, number, body_md, body_html, created_at) values (${thread.id}, ${author.id}, ${number}, ${`Post ${number}`}, ${`<p>Post number ${number}.</p>`}, ${at})`.execute(trx)
      }
      await sql`update threads set last_post_number = 60, reply_count = 59 where id = ${thread.id}`.execute(trx)
    }, db.kysely)

    const first = await page(new HttpClient(), thread.path)
    expect(first.main).toContain('Post number 50.')
    expect(first.main).not.toContain('Post number 51.')
    expect(first.main).toContain('?page=2"')
    const second = await page(new HttpClient(), `${thread.path}?page=2`)
    expect(second.main).toContain('Post number 51.')
    expect(second.main).toContain('Post number 60.')
    expect(second.main).not.toContain('Post number 50.')
  })

  it('moves the reader past what they have read: ?unread goes to the first unread post', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const reader = await signedIn(db)
    expect((await reader.client.get(thread.path)).status).toBe(200)
    const reply = await replyTo(await signedIn(db), thread)
    const response = await reader.client.get(`${thread.path}?unread=1`)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${thread.path}#post-${reply.number}`)
  })
})

describe('thread lists', () => {
  it('lists a new thread in its category and under its tag, and pinned threads first in the category', async () => {
    const member = await signedIn(db)
    const title = uniqueText('Listed thread')
    const body = new URLSearchParams({ category: CATEGORY, title, body: 'Listed body' })
    body.append('tags', 'capability-gaps')
    const created = await member.client.request('/discussions/new', {
      method: 'POST',
      body,
      headers: { Origin: member.client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(created.status).toBe(302)

    expect((await page(new HttpClient(), `/discussions/c/${CATEGORY}?sort=newest`)).main).toContain(title)
    expect((await page(new HttpClient(), `/discussions?sort=newest&tag=capability-gaps`)).main).toContain(title)
    expect((await page(new HttpClient(), `/discussions?sort=newest&category=ai-in-government`)).main).not.toContain(title)

    const pinned = await startThread((await signedIn(db)).client, uniqueText('Pinned thread'))
    // Push the soon-pinned thread to the back of the "latest" order.
    await db.run(sql`update threads set last_posted_at = '2000-01-01T00:00:00.000Z' where id = ${pinned.id}`)
    expect((await (await signedIn(db, 'moderator')).client.post(pinned.path, { intent: 'pin' })).status).toBe(302)
    const category = (await page(new HttpClient(), `/discussions/c/${CATEGORY}`)).main
    const firstTitle = /class="thread-row__title">[\s\S]*?<a [^>]*>([^<]*)<\/a>/.exec(category)?.[1]
    expect(firstTitle).toBe(pinned.title)
  })

  it('answers 404 for an unknown category page', async () => {
    expect((await new HttpClient().get('/discussions/c/no-such-category')).status).toBe(404)
  })

  it('never lists a deleted thread', async () => {
    const author = await signedIn(db)
    const thread = await startThread(author.client)
    await author.client.post(thread.path, { intent: 'delete', postId: String((await openingOf(thread)).id), number: '1' })
    expect((await page(new HttpClient(), `/discussions/c/${CATEGORY}?sort=newest`)).main).not.toContain(thread.title)
  })
})

describe('the moderation queue', () => {
  it('sends an anonymous visitor to sign in and refuses a member with 403', async () => {
    const anonymous = await new HttpClient().get('/moderation')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe('/login?redirectTo=%2Fmoderation')
    expect((await (await signedIn(db)).client.get('/moderation')).status).toBe(403)
  })

  it('lists flagged posts for a moderator and an admin, with each flag, and hides the third-flagged post', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const reply = await replyTo(await signedIn(db), thread, uniqueText('A post members object to'))
    const flaggers = [await signedIn(db), await signedIn(db), await signedIn(db)]
    for (const flagger of flaggers) await makeEstablished(db, flagger)
    const reasons = ['spam', 'off-topic', 'other'] as const
    for (const [i, flagger] of flaggers.entries()) {
      const response = await flagger.client.post(`/discussions/posts/${reply.id}/flag`, { reason: reasons[i], note: `Note ${i} ${thread.id}` })
      expect(response.status).toBe(302)
    }

    for (const role of ['moderator', 'admin'] as const) {
      const queue = await page((await signedIn(db, role)).client, '/moderation')
      expect(queue.status).toBe(200)
      expect(queue.main).toContain(`Post #${reply.number} in “${thread.title}”`)
      expect(queue.main).toContain(reply.body_md)
      expect(queue.main).toContain('hidden until reviewed')
      for (const [i, flagger] of flaggers.entries()) expect(queue.main).toContain(`from @${flagger.handle}: “Note ${i} ${thread.id}”`)
    }

    // Hidden from members now; a moderator's "disagree" shows it again and empties the queue.
    expect((await page(new HttpClient(), thread.path)).main).toContain('This post was hidden after members flagged it.')
    const moderator = await signedIn(db, 'moderator')
    const resolved = await moderator.client.post('/moderation', { postId: String(reply.id), decision: 'disagree', reason: 'Fair comment' })
    expect(resolved.status).toBe(302)
    expect(resolved.headers.get('location')).toBe('/moderation')
    expect((await page(moderator.client, '/moderation')).main).not.toContain(thread.title)
    expect((await page(new HttpClient(), thread.path)).main).toContain(reply.body_md)
  })
})

describe('the rules linked where members meet them', () => {
  const footerOf = (html: string) => /<footer class="site-footer">[\s\S]*<\/footer>/.exec(html)?.[0] ?? ''
  /** The address of the link with these words, as a browser would follow it. */
  const hrefOf = (html: string, words: string) => new RegExp(`<a [^>]*href="([^"]+)"[^>]*>${words}</a>`).exec(html)?.[1]

  async function expectPage(href: string | undefined, title: string) {
    expect(href, `a link to the ${title}`).toBeDefined()
    const response = await new HttpClient().get(href!)
    expect(response.status, href).toBe(200)
    expect(mainOf(await response.text())).toContain(`<h1>${title}</h1>`)
  }

  it('the footer of an ordinary page and of the flag form links the guidelines, privacy notice and terms; the flag form links the guidelines in its text', async () => {
    const author = await signedIn(db)
    const thread = await startThread(author.client)
    const post = (await db.one(sql`select id from posts where thread_id = ${thread.id} and number = 1`)) as { id: number }
    const flagForm = await (await signedIn(db)).client.get(`/discussions/posts/${post.id}/flag`)
    expect(flagForm.status).toBe(200)
    const flagHtml = await flagForm.text()
    await expectPage(hrefOf(mainOf(flagHtml), 'community guidelines'), 'Community guidelines')
    for (const html of [await (await new HttpClient().get('/cases')).text(), flagHtml]) {
      const footer = footerOf(html)
      for (const title of ['Community guidelines', 'Privacy notice', 'Terms of use']) await expectPage(hrefOf(footer, title), title)
    }
  })
})

describe('the moderation log', () => {
  it('sends an anonymous visitor to sign in and refuses a member with 403', async () => {
    const anonymous = await new HttpClient().get('/moderation/log')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe('/login?redirectTo=%2Fmoderation%2Flog')
    expect((await (await signedIn(db)).client.get('/moderation/log')).status).toBe(403)
  })

  it('shows who did what, where and why', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const moderator = await signedIn(db, 'moderator')
    const why = uniqueText('Pinned because it answers a common question')
    expect((await moderator.client.post(thread.path, { intent: 'pin', reason: why })).status).toBe(302)

    const log = await page(moderator.client, '/moderation/log')
    expect(log.status).toBe(200)
    const row = /<tr>(?:(?!<\/tr>)[\s\S])*<\/tr>/g
    const entry = log.main.match(row)?.find((r) => r.includes(why))
    expect(entry).toBeDefined()
    expect(entry).toContain(moderator.displayName)
    expect(entry).toContain('Pinned thread')
    expect(entry).toContain(thread.title)
  })
})

describe('post history', () => {
  it('shows every version to readers, and none of a hidden post to members', async () => {
    const author = await signedIn(db)
    const thread = await startThread(author.client, uniqueText('History thread'), uniqueText('First version'))
    const opening = await openingOf(thread)
    const second = uniqueText('Second version')
    expect((await author.client.post(`/discussions/posts/${opening.id}/edit`, { body: second })).status).toBe(302)

    const history = await page(new HttpClient(), `/discussions/posts/${opening.id}/history`)
    expect(history.status).toBe(200)
    expect(history.main).toContain('2 versions')
    expect(history.main).toContain(opening.body_md)
    expect(history.main).toContain(second)
    expect(history.main.indexOf(second)).toBeLessThan(history.main.indexOf(opening.body_md)) // newest first
    expect((await page(new HttpClient(), thread.path)).main).toContain('edited')

    const moderator = await signedIn(db, 'moderator')
    expect((await moderator.client.post(thread.path, { intent: 'hide', postId: String(opening.id) })).status).toBe(302)
    for (const reader of [new HttpClient(), author.client]) {
      const hidden = await page(reader, `/discussions/posts/${opening.id}/history`)
      expect(hidden.main).toContain('its versions are not shown')
      expect(hidden.main).not.toContain(second)
    }
    expect((await page(moderator.client, `/discussions/posts/${opening.id}/history`)).main).toContain(second)
  })

  it('answers 404 for the history of a deleted post', async () => {
    const thread = await startThread((await signedIn(db)).client)
    const replier = await signedIn(db)
    const reply = await replyTo(replier, thread)
    await replier.client.post(thread.path, { intent: 'delete', postId: String(reply.id) })
    expect((await new HttpClient().get(`/discussions/posts/${reply.id}/history`)).status).toBe(404)
  })
})

describe('member profiles', () => {
  it("list the member's recent threads and replies, but not hidden or deleted ones", async () => {
    const member = await signedIn(db)
    const moderator = await signedIn(db, 'moderator')
    const host = await signedIn(db)
    const hostThread = await startThread(host.client, uniqueText('Somebody else’s thread'))

    const shownThread = await startThread(member.client, uniqueText('Visible thread by member'))
    await waitOutLimits(member.id)
    const hiddenThread = await startThread(member.client, uniqueText('Thread whose opening post is hidden'))
    await waitOutLimits(member.id)
    const deletedThread = await startThread(member.client, uniqueText('Thread the member deleted'))
    await member.client.post(deletedThread.path, { intent: 'delete', postId: String((await openingOf(deletedThread)).id) })
    await moderator.client.post(hiddenThread.path, { intent: 'hide', postId: String((await openingOf(hiddenThread)).id) })

    const shownReply = uniqueText('visiblereply')
    const hiddenReply = uniqueText('hiddenreply')
    const deletedReply = uniqueText('deletedreply')
    await replyTo(member, hostThread, shownReply)
    const toHide = await replyTo(member, hostThread, hiddenReply)
    const toDelete = await replyTo(member, hostThread, deletedReply)
    expect((await moderator.client.post(hostThread.path, { intent: 'hide', postId: String(toHide.id) })).status).toBe(302)
    expect((await member.client.post(hostThread.path, { intent: 'delete', postId: String(toDelete.id) })).status).toBe(302)

    const profile = await page(new HttpClient(), `/members/${member.handle}`)
    expect(profile.status).toBe(200)
    expect(profile.main).toContain(shownThread.title)
    expect(profile.main).not.toContain(hiddenThread.title)
    expect(profile.main).not.toContain(deletedThread.title)
    expect(profile.main).toContain(shownReply)
    expect(profile.main).toContain(`${hostThread.title}, post #2`)
    expect(profile.main).not.toContain(hiddenReply)
    expect(profile.main).not.toContain(deletedReply)
  })

  it('answers 404 for an unknown handle', async () => {
    expect((await new HttpClient().get('/members/nobody-has-this-handle')).status).toBe(404)
  })
})
