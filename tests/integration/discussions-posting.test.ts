// Posting over HTTP: limits and validation answer with the member's text kept, stored HTML is
// safe, previews write nothing, and another site cannot post for a member.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, mainOf, openServerDatabase, signedIn, textareaValue } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let n = 0
const uniqueText = (text: string) => `${text} ${Date.now().toString(36)}-${++n}-${process.pid}`

async function startThread(client: HttpClient) {
  const response = await client.post('/discussions/new', {
    category: 'testing-and-go-live',
    title: uniqueText('Posting test thread'),
    body: uniqueText('The opening post'),
  })
  expect(response.status).toBe(302)
  const path = response.headers.get('location')!
  return { id: Number(path.split('/')[2]), path }
}

/** A thread by a member who is not the one replying in the test. */
async function someThread() {
  return startThread((await signedIn(db)).client)
}

const postsOf = async (threadId: number) =>
  (await db.all(sql`select * from posts where thread_id = ${threadId} order by number`)) as {
    id: number
    number: number
    author_id: number
    body_md: string
    body_html: string
  }[]
const postsBy = async (userId: number) => await db.all(sql`select id, body_md from posts where author_id = ${userId}`)

/** Moves a member's posts into the past, as if they had waited out the posting limit. */
const waitOutLimit = async (userId: number, seconds: number) =>
  await db.run(sql`update posts set created_at = ${new Date(Date.now() - seconds * 1000).toISOString()} where author_id = ${userId}`)


function fieldErrorText(html: string, name: string): string | undefined {
  const match = new RegExp(`<span class="field-error" id="${name}-error"><span class="visually-hidden">Error: </span>([^<]*)</span>`).exec(html)
  return match ? decodeHtml(match[1]) : undefined
}

describe('posting limits over HTTP', () => {
  it('answers a second reply within 10 seconds with 429, keeping the typed text in the textarea', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    expect((await member.client.post(thread.path, { intent: 'reply', body: uniqueText('My first reply') })).status).toBe(302)

    const typed = uniqueText('A second thought, with <angle> & "quotes"')
    const response = await member.client.post(thread.path, { intent: 'reply', body: typed })
    expect(response.status).toBe(429)
    const html = await response.text()
    expect(textareaValue(html, 'body')).toBe(typed)
    expect(errorSummary(html).join(' ')).toContain('one reply every 10 seconds')
    expect(await postsBy(member.id)).toHaveLength(1)
  })

  it('answers the same text twice within five minutes with 400, keeping the text', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const body = uniqueText('Exactly these words')
    expect((await member.client.post(thread.path, { intent: 'reply', body })).status).toBe(302)
    await waitOutLimit(member.id, 20)

    const response = await member.client.post(thread.path, { intent: 'reply', body })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(textareaValue(html, 'body')).toBe(body)
    expect(fieldErrorText(html, 'body')).toBe('You posted this exact text a moment ago. Change it or post something new.')
    expect(await postsBy(member.id)).toHaveLength(1)
  })

  it('answers a second thread within 30 seconds with 429, keeping what was typed', async () => {
    const member = await signedIn(db)
    await startThread(member.client)
    await waitOutLimit(member.id, 20) // past the reply limit, still inside the thread limit
    const title = uniqueText('Second thread too soon')
    const response = await member.client.post('/discussions/new', {
      category: 'testing-and-go-live',
      title,
      body: 'Second body',
    })
    expect(response.status).toBe(429)
    const html = await response.text()
    expect(textareaValue(html, 'body')).toBe('Second body')
    expect(html).toContain(`value="${title}"`)
    expect(await db.all(sql`select id from threads where author_id = ${member.id}`)).toHaveLength(1)
  })
})

describe('body length', () => {
  it('accepts a reply of 20,000 characters', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const body = `${uniqueText('Long')} ${'a'.repeat(20_000)}`.slice(0, 20_000)
    expect((await member.client.post(thread.path, { intent: 'reply', body })).status).toBe(302)
    expect(await postsBy(member.id)).toEqual([{ id: expect.any(Number), body_md: body }])
  })

  it('refuses a reply of 20,001 characters with 400 and stores nothing', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const response = await member.client.post(thread.path, { intent: 'reply', body: 'b'.repeat(20_001) })
    expect(response.status).toBe(400)
    expect(fieldErrorText(await response.text(), 'body')).toBe('Posts must be 20,000 characters or fewer')
    expect(await postsBy(member.id)).toEqual([])
  })

  it('refuses a new thread of 20,001 characters with 400', async () => {
    const member = await signedIn(db)
    const response = await member.client.post('/discussions/new', {
      category: 'testing-and-go-live',
      title: uniqueText('Very long opening post'),
      body: 'c'.repeat(20_001),
    })
    expect(response.status).toBe(400)
    expect(await db.all(sql`select id from threads where author_id = ${member.id}`)).toEqual([])
  })

  it('refuses an edit to 20,001 characters with 400 and keeps the post as it was', async () => {
    const member = await signedIn(db)
    const thread = await startThread(member.client)
    const [opening] = await postsOf(thread.id)
    const response = await member.client.post(`/discussions/posts/${opening.id}/edit`, { body: 'd'.repeat(20_001) })
    expect(response.status).toBe(400)
    expect((await postsOf(thread.id))[0]).toEqual(opening)
  })

  it('refuses an empty reply with 400', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const response = await member.client.post(thread.path, { intent: 'reply', body: '  \n ' })
    expect(response.status).toBe(400)
    expect(fieldErrorText(await response.text(), 'body')).toBe('Write your post')
    expect(await postsBy(member.id)).toEqual([])
  })
})

describe('stored HTML', () => {
  const PAYLOAD = '<img src=x onerror=alert(1)>'

  it('stores and serves a reply without the onerror attribute', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const marker = uniqueText('Look at this')
    expect((await member.client.post(thread.path, { intent: 'reply', body: `${marker} ${PAYLOAD}` })).status).toBe(302)

    const reply = (await postsOf(thread.id)).find((p) => p.author_id === member.id)!
    expect(reply.body_md).toContain(PAYLOAD)
    expect(reply.body_html).toContain(marker)
    expect(reply.body_html).not.toMatch(/onerror/i)
    expect(reply.body_html).not.toContain('alert(1)')

    for (const reader of [new HttpClient(), member.client]) {
      const page = await reader.get(thread.path)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain(marker)
      expect(html).not.toMatch(/onerror/i)
    }
  })

  it('strips scripts, event handlers and javascript: links from every rendering path', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const body = [uniqueText('Evil'), '<script>alert(2)</script>', '[click](javascript:alert(3))', '<a href="#" onclick="alert(4)">x</a>'].join('\n\n')
    expect((await member.client.post(thread.path, { intent: 'reply', body })).status).toBe(302)
    const reply = (await postsOf(thread.id)).find((p) => p.author_id === member.id)!
    expect(reply.body_html).not.toMatch(/<script|href="javascript:|onclick/i)
    expect(reply.body_html).toContain('click')

    const preview = await member.client.post('/discussions/preview', { body })
    const { html } = (await preview.json()) as { html: string }
    expect(html).not.toMatch(/<script|href="javascript:|onclick/i)
  })
})

describe('previews', () => {
  it('the Preview button (no JavaScript) answers 200 with the rendered preview and writes nothing', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const before = await postsOf(thread.id)
    const body = uniqueText('**Bold idea** and a list:\n\n- one\n- two')
    const response = await member.client.post(thread.path, { intent: 'preview', body })
    expect(response.status).toBe(200)
    const html = mainOf(await response.text())
    const preview = /<section class="preview"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
    expect(preview).toContain('<strong>Bold idea</strong>')
    expect(preview).toContain('<li>one</li>')
    expect(textareaValue(html, 'body')).toBe(body)
    expect(await postsOf(thread.id)).toEqual(before)
    expect(await postsBy(member.id)).toEqual([])
  })

  it('the new-thread Preview writes no thread', async () => {
    const member = await signedIn(db)
    const title = uniqueText('Previewed only')
    const response = await member.client.post('/discussions/new', {
      intent: 'preview',
      category: 'testing-and-go-live',
      title,
      body: '_Draft_ text',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<em>Draft</em>')
    expect(await db.all(sql`select id from threads where title = ${title}`)).toEqual([])
  })

  it('POST /discussions/preview answers a member with JSON {html}, linking real mentions', async () => {
    const member = await signedIn(db)
    const other = await signedIn(db)
    const response = await member.client.post('/discussions/preview', { body: `Hello @${other.handle}, **welcome**` })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    const data = (await response.json()) as { html: string }
    expect(Object.keys(data)).toEqual(['html'])
    expect(data.html).toContain('<strong>welcome</strong>')
    expect(data.html).toContain(`href="/members/${other.handle}"`)
    expect(await postsBy(member.id)).toEqual([])
  })

  it("nests the preview's headings as the saved post will: under an opening post's h2, under a reply's h3", async () => {
    const member = await signedIn(db)
    const body = '# Lessons\n\n## What we would do again'
    const live = async (fields: Record<string, string>) => ((await (await member.client.post('/discussions/preview', { body, ...fields })).json()) as { html: string }).html
    expect(await live({ previewAs: 'openingPost' })).toMatch(/^<h3[^>]*>Lessons<\/h3>\s*<h4[^>]*>What we would do again<\/h4>/)
    expect(await live({ previewAs: 'reply' })).toMatch(/^<h4[^>]*>Lessons<\/h4>\s*<h5[^>]*>What we would do again<\/h5>/)
    expect(await live({})).toMatch(/^<h4[^>]*>Lessons/)
    expect(await live({ previewAs: '<script>' })).toMatch(/^<h4[^>]*>Lessons/)

    // Without JavaScript each form's Preview knows what it previews, and matches what is saved.
    const newThread = await member.client.post('/discussions/new', { intent: 'preview', category: 'testing-and-go-live', title: uniqueText('Previewed'), body })
    expect(/<section class="preview"[\s\S]*?<\/section>/.exec(await newThread.text())?.[0]).toMatch(/<h3[^>]*>Lessons<\/h3>/)
    const thread = await someThread()
    const reply = await member.client.post(thread.path, { intent: 'preview', body })
    expect(/<section class="preview"[\s\S]*?<\/section>/.exec(await reply.text())?.[0]).toMatch(/<h4[^>]*>Lessons<\/h4>/)
  })

  it('POST /discussions/preview sends an anonymous visitor to sign in', async () => {
    const response = await new HttpClient().post('/discussions/preview', { body: 'Hi' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fdiscussions%2Fpreview')
  })
})

describe('origin check', () => {
  it('refuses a discussion write posted from another site (403) and stores nothing', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    const [opening] = await postsOf(thread.id)
    const evil = { Origin: 'https://evil.example' }

    const attempts = [
      member.client.post(thread.path, { intent: 'reply', body: 'Posted by another site' }, evil),
      member.client.post(thread.path, { intent: 'helpful', postId: String(opening.id) }, evil),
      member.client.post(`/discussions/posts/${opening.id}/flag`, { reason: 'spam' }, evil),
      member.client.post('/discussions/new', { category: 'testing-and-go-live', title: 'Cross-site thread', body: 'x' }, evil),
    ]
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(403)

    expect(await postsBy(member.id)).toEqual([])
    expect(await db.all(sql`select * from post_helpful where user_id = ${member.id}`)).toEqual([])
    expect(await db.all(sql`select * from flags where user_id = ${member.id}`)).toEqual([])
  })

  it('refuses a cross-site moderator action', async () => {
    const thread = await someThread()
    const moderator = await signedIn(db, 'moderator')
    const response = await moderator.client.post(thread.path, { intent: 'pin' }, { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(await db.one(sql`select is_pinned from threads where id = ${thread.id}`)).toEqual({ is_pinned: 0 })
  })
})

describe('a post named in another thread’s address', () => {
  it('is refused with 404 and left alone', async () => {
    const first = await someThread()
    const second = await someThread()
    const target = (await postsOf(second.id))[0]
    const moderator = await signedIn(db, 'moderator')
    const response = await moderator.client.post(first.path, { intent: 'hide', postId: String(target.id) })
    expect(response.status).toBe(404)
    const row = (await db.one(sql`select hidden_at from posts where id = ${target.id}`)) as { hidden_at: string | null }
    expect(row.hidden_at).toBeNull()
  })
})
