// Markdown nested past the limits is answered, wherever Markdown is accepted, with a message
// next to the field (never a 500), nothing is saved, and the live preview is rate-limited.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fields, eventForm, postFields } from './events-support'
import { caseForm, fieldError, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const DEEP_QUOTES = '>'.repeat(4000) + ' deep'
const DEEP_LISTS = '- '.repeat(4000) + 'deep'
const NESTING_MESSAGE = /nest at most 16 levels/

let author: Person
let moderator: Person
let thread: { path: string; firstPostId: number }
let caseSlug: string

beforeAll(async () => {
  author = await signedIn(db)
  moderator = await signedIn(db, 'moderator')
  const created = await author.client.post('/discussions/new', {
    category: 'testing-and-go-live',
    title: `Markdown limits thread ${Date.now()}`,
    body: 'An ordinary opening post.',
  })
  expect(created.status).toBe(302)
  const path = created.headers.get('location')!
  const threadId = Number(path.split('/')[2])
  const first = (await db.one(sql`select id from posts where thread_id = ${threadId} and number = 1`)) as { id: number }
  thread = { path, firstPostId: first.id }
  caseSlug = ((await db.one(sql`select slug from cases where status = 'published' limit 1`)) as { slug: string }).slug
})

const rowCount = async (table: string) => ((await db.one(sql`select count(*) as n from ${sql.table(table)}`)) as { n: number }).n

interface Place {
  name: string
  field: string
  send: (source: string) => Promise<Response>
}

const PLACES: Place[] = [
  { name: 'a new thread', field: 'body', send: (body) => author.client.post('/discussions/new', { category: 'testing-and-go-live', title: 'A deep thread title', body }) },
  { name: 'a new thread preview', field: 'body', send: (body) => author.client.post('/discussions/new', { intent: 'preview', body }) },
  { name: 'a reply', field: 'body', send: (body) => author.client.post(thread.path, { intent: 'reply', body }) },
  { name: 'a reply preview', field: 'body', send: (body) => author.client.post(thread.path, { intent: 'preview', body }) },
  { name: 'an edit', field: 'body', send: (body) => author.client.post(`/discussions/posts/${thread.firstPostId}/edit`, { body }) },
  { name: 'an edit preview', field: 'body', send: (body) => author.client.post(`/discussions/posts/${thread.firstPostId}/edit`, { intent: 'preview', body }) },
  { name: 'a case comment', field: 'body', send: (body) => author.client.post(`/cases/${caseSlug}`, { intent: 'comment', body }) },
  { name: 'a case comment preview', field: 'body', send: (body) => author.client.post(`/cases/${caseSlug}`, { intent: 'preview', body }) },
  { name: 'a case submission', field: 'whatHappened', send: (whatHappened) => postFields(author.client, '/cases/new', caseForm({ whatHappened, intent: 'submit' })) },
  { name: 'an event description', field: 'description', send: (description) => postFields(moderator.client, '/events/new', eventForm({ description })) },
  { name: 'an event recap', field: 'recap', send: (recap) => postFields(moderator.client, '/events/new', eventForm({ recap } as Fields)) },
]

describe('Markdown nested past the limits', () => {
  it.each(PLACES.map((place) => [place.name, place] as const))('in %s: 400 with a message next to the field, nothing saved', async (_, place) => {
    for (const source of [DEEP_QUOTES, DEEP_LISTS]) {
      const before = await Promise.all(['posts', 'threads', 'cases', 'events'].map(rowCount))
      const response = await place.send(source)
      expect(response.status).toBe(400)
      expect(fieldError(await response.text(), place.field)).toMatch(NESTING_MESSAGE)
      expect(await Promise.all(['posts', 'threads', 'cases', 'events'].map(rowCount))).toEqual(before)
    }
  })

  it('the live preview answers 400 with the reason', async () => {
    const response = await author.client.post('/discussions/preview', { body: DEEP_QUOTES })
    expect(response.status).toBe(400)
    expect((await response.json()) as { error: string }).toMatchObject({ html: '', error: expect.stringMatching(NESTING_MESSAGE) })
  })

  it('the live preview still renders ordinary Markdown', async () => {
    const response = await (await signedIn(db)).client.post('/discussions/preview', { body: '> quoted\n\n- a\n  - b' })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { html: string }).html).toContain('<blockquote>')
  })
})

describe('preview rate limit', () => {
  it('a member previewing without pause is stopped with 429 and told when to try again', async () => {
    const member = await signedIn(db)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 40; i++) {
      last = await member.client.post('/discussions/preview', { body: `draft ${i}` })
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await last!.json()) as { error: string }).error).toMatch(/too fast/)

    // Another member is not affected.
    expect((await (await signedIn(db)).client.post('/discussions/preview', { body: 'mine' })).status).toBe(200)
  })
})
