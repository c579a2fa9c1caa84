// Site search over real HTTP (`/search?q=&type=&page=`): it finds only what any reader may
// see. One test per visibility rule, each with words no other test uses: a hidden post, a post
// deleted by its author, a deleted thread, unpublished and returned cases, draft events, and an
// anonymized case that must never name its author. Then odd input, the type filter with its
// counts, and ranking within cases.
import { sql } from 'kysely'
import { randomInt } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { eventForm, type Fields, postFields } from './events-support'
import { caseForm, decodeHtml, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

/**
 * A word nobody else writes: consonants then a digit, so the search's stemmer leaves it
 * whole and no other word here starts with it.
 */
function word(): string {
  const letters = 'bcdfghjklmnpqrstvwxz'
  return `q${Array.from({ length: 11 }, () => letters[randomInt(letters.length)]).join('')}${randomInt(10)}`
}

interface SearchHit {
  type: 'discussions' | 'cases' | 'events'
  url: string
  title: string
  snippet: string
}
interface SearchData {
  q: string
  type: string | null
  page: number
  counts: { discussions: number; cases: number; events: number }
  hits: SearchHit[]
  pageCount: number
}

/** The results page and its loader's JSON (what client-side navigation fetches). */
async function search(client: HttpClient, params: Record<string, string>) {
  const query = new URLSearchParams(params)
  const page = await client.get(`/search?${query}`)
  const html = await page.text()
  expect(page.status, `/search?${query}`).toBe(200)
  query.set('_data', 'routes/search')
  const data = await client.get(`/search?${query}`)
  const json = await data.text()
  expect(data.status, `/search?${query}`).toBe(200)
  return { html, main: mainOf(html), json, data: JSON.parse(json) as SearchData }
}

const urls = (data: SearchData) => data.hits.map((hit) => hit.url)

// ---------------------------------------------------------------------------------------------
// Making content through the site's own forms

let moderator: Person
let organizer: Person
const anonymous = new HttpClient()
let reader: Person

beforeAll(async () => {
  moderator = await signedIn(db, 'moderator')
  organizer = await signedIn(db, 'moderator')
  reader = await signedIn(db)
})

interface ThreadRef {
  id: number
  path: string
}

async function startThread(author: Person, title: string, body: string): Promise<ThreadRef> {
  const response = await author.client.post('/discussions/new', { category: 'data-and-integration', title, body })
  expect(response.status, await response.clone().text()).toBe(302)
  const path = response.headers.get('location')!
  return { id: Number(/^\/discussions\/(\d+)\//.exec(path)![1]), path }
}

const postId = async (threadId: number, number: number) =>
  ((await db.one(sql`select id from posts where thread_id = ${threadId} and number = ${number}`)) as { id: number }).id

async function reply(author: Person, thread: ThreadRef, body: string): Promise<number> {
  const response = await author.client.post(thread.path, { intent: 'reply', body })
  expect(response.status, await response.clone().text()).toBe(302)
  return ((await db.one(sql`select max(number) as n from posts where thread_id = ${thread.id}`)) as { n: number }).n
}

function caseFields(overrides: Fields = {}): Fields {
  return caseForm({ title: `A benefits rollout case ${word()}`, ...overrides })
}

const caseOf = async (authorId: number, title: string) =>
  (await db.one(sql`select id, slug, status from cases where author_id = ${authorId} and title = ${title}`)) as
    | { id: number; slug: string; status: string }
    | undefined

/** A case sent for review through the form; returns its row. */
async function submitCase(author: Person, fields: Fields) {
  const response = await postFields(author.client, '/cases/new', { ...fields, intent: 'submit' })
  expect(response.status, await response.clone().text()).toBe(302)
  const row = (await caseOf(author.id, fields.title as string))!
  expect(row.status).toBe('submitted')
  return row
}

async function decide(caseId: number, decision: 'publish' | 'return') {
  const response = await moderator.client.post('/moderation/cases', {
    caseId: String(caseId),
    decision,
    feedback: decision === 'return' ? 'Please add the sources.' : '',
  })
  expect(response.status, await response.clone().text()).toBe(302)
}

async function publishedCase(author: Person, fields: Fields) {
  const row = await submitCase(author, fields)
  await decide(row.id, 'publish')
  const published = (await caseOf(author.id, fields.title as string))!
  expect(published.status).toBe('published')
  return published
}

/** An event made with the organizer form: a draft unless published. */
async function newEvent(title: string, { publish }: { publish: boolean }) {
  const created = await postFields(organizer.client, '/events/new', eventForm({ title }))
  expect(created.status, await created.clone().text()).toBe(302)
  const path = created.headers.get('location')!
  if (publish) expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
  return { id: Number(/^\/events\/(\d+)\//.exec(path)![1]), path }
}

// ---------------------------------------------------------------------------------------------

describe('what search never finds', () => {
  it("a post hidden by a moderator is not found by its words, and the thread's other posts still are", async () => {
    const [titleWord, openingWord, hiddenWord, keptWord] = [word(), word(), word(), word()]
    const owner = await signedIn(db)
    const replier = await signedIn(db)
    const other = await signedIn(db)
    const thread = await startThread(owner, `Data migration questions ${titleWord}`, `How did you plan the ${openingWord} cutover?`)
    const hiddenNumber = await reply(replier, thread, `My phone number and the ${hiddenWord} vendor's pricing.`)
    await reply(other, thread, `We ran a ${keptWord} dress rehearsal first.`)
    // Before hiding, search finds the reply itself.
    expect(urls((await search(reader.client, { q: hiddenWord })).data)).toEqual([`${thread.path}#post-${hiddenNumber}`])

    const hidden = await moderator.client.post(thread.path, {
      intent: 'hide',
      postId: String(await postId(thread.id, hiddenNumber)),
      number: String(hiddenNumber),
      reason: 'Personal details',
    })
    expect(hidden.status).toBe(302)

    for (const client of [anonymous, reader.client, replier.client]) {
      const gone = await search(client, { q: hiddenWord })
      expect(gone.data.counts).toEqual({ discussions: 0, cases: 0, events: 0 })
      expect(gone.data.hits).toEqual([])
      expect(gone.main).not.toContain(`/discussions/${thread.id}/`)
      expect(gone.main).not.toContain('search-result')
    }
    for (const kept of [openingWord, keptWord, titleWord]) {
      const found = await search(anonymous, { q: kept })
      expect(found.data.counts.discussions, kept).toBe(1)
      expect(found.data.hits.map((h) => h.url.replace(/#.*$/, ''))).toEqual([thread.path])
      expect(found.main).toContain(thread.path)
    }
  })

  it('lists a thread once, however many of its posts and its title hold the word', async () => {
    const w = word()
    const owner = await signedIn(db)
    const thread = await startThread(owner, `Rollback triggers ${w}`, `Our ${w} rollback trigger was a 5% error rate.`)
    await reply(await signedIn(db), thread, `A ${w} trigger needs an owner.`)
    await reply(await signedIn(db), thread, `We wrote the ${w} trigger into the runbook.`)
    const { data, main } = await search(anonymous, { q: w })
    expect(data.counts.discussions).toBe(1)
    expect(data.hits).toHaveLength(1)
    expect(data.hits[0].url.replace(/[?#].*$/, '')).toBe(thread.path)
    expect(main.match(/class="search-result"/g)).toHaveLength(1)
  })

  it('a post its author deleted is not found', async () => {
    const owner = await signedIn(db)
    const replier = await signedIn(db)
    const deletedWord = word()
    const thread = await startThread(owner, `Cutover weekend staffing ${word()}`, 'Who stayed on call during your cutover?')
    const number = await reply(replier, thread, `Our ${deletedWord} rota had two people per shift.`)
    expect((await search(reader.client, { q: deletedWord })).data.counts.discussions).toBe(1)

    const deleted = await replier.client.post(thread.path, { intent: 'delete', postId: String(await postId(thread.id, number)), number: String(number) })
    expect(deleted.status).toBe(302)
    expect(await db.one(sql`select is_deleted from posts where thread_id = ${thread.id} and number = ${number}`)).toEqual({ is_deleted: 1 })

    for (const client of [anonymous, reader.client, replier.client, moderator.client]) {
      const gone = await search(client, { q: deletedWord })
      expect(gone.data.counts.discussions).toBe(0)
      expect(gone.data.hits).toEqual([])
      expect(gone.main).not.toContain(`/discussions/${thread.id}/`)
    }
  })

  it('a deleted thread is found neither by its title nor by its opening post', async () => {
    const owner = await signedIn(db)
    const [titleWord, bodyWord] = [word(), word()]
    const thread = await startThread(owner, `Vendor exit planning ${titleWord}`, `We need a ${bodyWord} exit plan before renewal.`)
    expect((await search(reader.client, { q: titleWord })).data.counts.discussions).toBe(1)
    expect((await search(reader.client, { q: bodyWord })).data.counts.discussions).toBe(1)

    const deleted = await owner.client.post(thread.path, { intent: 'delete', postId: String(await postId(thread.id, 1)), number: '1' })
    expect(deleted.status).toBe(302)
    expect(deleted.headers.get('location')).toBe('/discussions')
    expect(((await db.one(sql`select deleted_at from threads where id = ${thread.id}`)) as { deleted_at: string | null }).deleted_at).not.toBeNull()

    for (const client of [anonymous, reader.client, owner.client, moderator.client]) {
      for (const q of [titleWord, bodyWord, `${titleWord} ${bodyWord}`]) {
        const gone = await search(client, { q })
        expect(gone.data.counts.discussions, q).toBe(0)
        expect(gone.main).not.toContain(`/discussions/${thread.id}/`)
      }
    }
  })

  it('a draft case is not found, not even by its author', async () => {
    const author = await signedIn(db)
    const draftWord = word()
    const fields = caseFields({ title: `Draft payroll case ${draftWord}`, whatHappened: `The ${draftWord} interface failed.` })
    const saved = await postFields(author.client, '/cases/new', { ...fields, intent: 'save' })
    expect(saved.status, await saved.clone().text()).toBe(302)
    expect((await caseOf(author.id, fields.title as string))?.status).toBe('draft')
    for (const client of [anonymous, reader.client, author.client, moderator.client]) {
      const { data, main } = await search(client, { q: draftWord })
      expect(data.counts.cases).toBe(0)
      expect(data.hits).toEqual([])
      expect(main).not.toContain('/cases/')
    }
  })

  it('a submitted case is not found until a moderator publishes it', async () => {
    const author = await signedIn(db)
    const submittedWord = word()
    const fields = caseFields({ title: `Submitted licensing case ${submittedWord}`, whatHappened: `A ${submittedWord} backlog grew.` })
    const row = await submitCase(author, fields)
    for (const client of [anonymous, reader.client, author.client, moderator.client]) {
      const { data } = await search(client, { q: submittedWord, type: 'cases' })
      expect(data.counts.cases).toBe(0)
      expect(data.hits).toEqual([])
    }

    // The same words are found once the case is published, so the check above looked in the right place.
    await decide(row.id, 'publish')
    const slug = (await caseOf(author.id, fields.title as string))!.slug
    const { data } = await search(reader.client, { q: submittedWord })
    expect(data.counts.cases).toBe(1)
    expect(urls(data)).toEqual([`/cases/${slug}`])
  })

  it('a case returned to its author is not found', async () => {
    const author = await signedIn(db)
    const returnedWord = word()
    const fields = caseFields({ title: `Returned tax case ${returnedWord}`, summary: `The ${returnedWord} rules were late.` })
    const row = await submitCase(author, fields)
    await decide(row.id, 'return')
    expect((await caseOf(author.id, fields.title as string))?.status).toBe('returned')
    for (const client of [anonymous, reader.client, author.client, moderator.client]) {
      const { data, main } = await search(client, { q: returnedWord })
      expect(data.counts.cases).toBe(0)
      expect(data.hits).toEqual([])
      expect(main).not.toContain(`/cases/submissions/${row.id}`)
    }
  })

  it('a draft event is not found; a published one is', async () => {
    const [draftWord, publishedWord] = [word(), word()]
    const draft = await newEvent(`Draft roundtable ${draftWord}`, { publish: false })
    const published = await newEvent(`Published roundtable ${publishedWord}`, { publish: true })
    for (const client of [anonymous, reader.client, organizer.client]) {
      const hidden = await search(client, { q: draftWord })
      expect(hidden.data.counts.events).toBe(0)
      expect(hidden.main).not.toContain(`/events/${draft.id}/`)
      const shown = await search(client, { q: publishedWord })
      expect(shown.data.counts.events).toBe(1)
      expect(urls(shown.data)).toEqual([published.path])
      expect(shown.main).toContain(published.path)
    }
  })
})

describe('an anonymized case', () => {
  it('is found, and its author is named nowhere in the results page or their JSON', async () => {
    const unique = word()
    const author = await signedIn(db, 'member', { displayName: `Ottoline Quarrington ${unique}` })
    const caseWord = word()
    const fields = caseFields({
      title: `An anonymized eligibility case ${caseWord}`,
      summary: `The ${caseWord} eligibility engine was not ready.`,
      isAnonymous: 'on',
    })
    const row = await publishedCase(author, fields)

    for (const client of [anonymous, reader.client]) {
      for (const params of [{ q: caseWord }, { q: caseWord, type: 'cases' }, { q: `${caseWord} eligibility` }] as Record<string, string>[]) {
        const { html, json, data } = await search(client, params)
        expect(urls(data)).toEqual([`/cases/${row.slug}`])
        expect(html).toContain(`/cases/${row.slug}`)
        for (const body of [html, decodeHtml(html), json]) {
          const text = body.toLowerCase()
          expect(text).not.toContain(author.displayName.toLowerCase())
          expect(text).not.toContain(author.handle.toLowerCase())
          expect(text).not.toContain(author.email.toLowerCase())
          expect(text).not.toContain(unique)
        }
      }
    }
  })
})

describe('odd input', () => {
  const ODD: [string, string][] = [
    ['double quotes', '"cutover plan"'],
    ['single quotes', "it's the vendor's 'fault'"],
    ['FTS operators', 'AND OR NOT NEAR( * ^ "'],
    ['a NEAR group', 'NEAR(cutover vendor, 3)'],
    ['a column filter', 'title:cutover body:vendor'],
    ['a lone double quote', '"'],
    ['a lone star', '*'],
    ['10,000 characters', 'cutover '.repeat(1250)],
    ['10,000 characters with no spaces', 'x'.repeat(10_000)],
    ['emoji', '🚀 migration 🔥'],
    ['only emoji', '🚀🔥'],
    ['SQL', "'; drop table posts; --"],
    ['markup', '<script>alert(1)</script>'],
    ['null bytes and controls', 'cutover\u0000\u0002\u0003'],
  ]

  it.each(ODD)('answers %s with 200 and a results page', async (_, q) => {
    const response = await anonymous.get(`/search?${new URLSearchParams({ q })}`)
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(html).toContain('<h1>Search</h1>')
    expect(html).toContain('name="q"')
    expect(html).not.toContain('<script>alert(1)</script>')
    const data = await anonymous.get(`/search?${new URLSearchParams({ q, _data: 'routes/search' })}`)
    expect(data.status).toBe(200)
    const parsed = (await data.json()) as SearchData
    expect(parsed.hits.length).toBeLessThanOrEqual(20)
  })

  it.each([
    ['type=bogus', [['q', 'cutover'], ['type', 'bogus']]],
    ['page=-5', [['q', 'cutover'], ['page', '-5']]],
    ['page=0', [['q', 'cutover'], ['page', '0']]],
    ['page=abc', [['q', 'cutover'], ['page', 'abc']]],
    ['page=99999', [['q', 'cutover'], ['page', '99999']]],
    ['page=1e400', [['q', 'cutover'], ['page', '1e400']]],
    ['no q at all', []],
    ['an empty q', [['q', '   ']]],
    ['repeated parameters', [['q', 'cutover'], ['q', 'vendor'], ['type', 'cases'], ['type', 'events'], ['page', '2'], ['page', '-1']]],
  ] as [string, [string, string][]][])('answers %s with 200 and a results page', async (_, params) => {
    const response = await anonymous.get(`/search?${new URLSearchParams(params)}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<h1>Search</h1>')
  })

  it('treats a bogus type as all types and a negative page as the first', async () => {
    const w = word()
    const owner = await signedIn(db)
    const thread = await startThread(owner, `Odd input thread ${w}`, 'Plain words.')
    const bogus = (await search(anonymous, { q: w, type: 'bogus', page: '-5' })).data
    expect(bogus.type).toBeNull()
    expect(bogus.page).toBe(1)
    expect(urls(bogus)).toEqual([thread.path])
    const far = (await search(anonymous, { q: w, page: '99999' })).data
    expect(far.hits).toEqual([])
    expect(far.page).toBeGreaterThan(1)
  })
})

describe('the type filter, counts and ranking', () => {
  const shared = word()
  let titleCase: { slug: string }
  let bodyCase: { slug: string }
  let thread: ThreadRef
  let event: { path: string }

  beforeAll(async () => {
    const author = await signedIn(db)
    // Published first, so "newest first" would put it first: ranking must not.
    bodyCase = await publishedCase(
      author,
      caseFields({
        title: `Payroll replacement case ${word()}`,
        whatHappened: `The team found the ${shared} problem only during the parallel run.`,
      }),
    )
    titleCase = await publishedCase(author, caseFields({ title: `The ${shared} payroll cutover` }))
    const starter = await signedIn(db)
    thread = await startThread(starter, `What is a ${shared} anyway?`, 'Asking for a program.')
    event = await newEvent(`Roundtable on the ${shared} problem`, { publish: true })
  })

  it('shows every type with all, and the count of each type', async () => {
    const { data, main } = await search(anonymous, { q: shared })
    expect(data.counts).toEqual({ discussions: 1, cases: 2, events: 1 })
    expect(data.hits.map((h) => h.type).sort()).toEqual(['cases', 'cases', 'discussions', 'events'])
    expect(urls(data).sort()).toEqual([`/cases/${bodyCase.slug}`, `/cases/${titleCase.slug}`, thread.path, event.path].sort())
    const tabs = decodeHtml(main.replaceAll('<!-- -->', ''))
    expect(tabs).toContain('All (4)')
    expect(tabs).toContain('Discussions (1)')
    expect(tabs).toContain('Cases (2)')
    expect(tabs).toContain('Events (1)')
    expect(tabs).toContain('4 results for')
  })

  it('type=cases shows only cases, still with the count of every type', async () => {
    const { data, main } = await search(anonymous, { q: shared, type: 'cases' })
    expect(data.type).toBe('cases')
    expect(data.hits.map((h) => h.type)).toEqual(['cases', 'cases'])
    expect(data.counts).toEqual({ discussions: 1, cases: 2, events: 1 })
    expect(main).not.toContain(thread.path)
    expect(main).not.toContain(event.path)
    const text = decodeHtml(main.replaceAll('<!-- -->', ''))
    expect(text).toMatch(/<span aria-current="page">Cases \(2\)<\/span>/)
    expect(text).toContain('Discussions (1)')
    expect(text).toContain('2 results for')
  })

  it.each([
    ['discussions', () => [thread.path]],
    ['events', () => [event.path]],
  ] as const)('type=%s shows only that type', async (type, expected) => {
    const { data } = await search(anonymous, { q: shared, type })
    expect(data.hits.every((h) => h.type === type)).toBe(true)
    expect(urls(data)).toEqual(expected())
  })

  it('within cases, the case with the word in its title comes before the one with it only in its body', async () => {
    const { data, main } = await search(anonymous, { q: shared, type: 'cases' })
    expect(urls(data)).toEqual([`/cases/${titleCase.slug}`, `/cases/${bodyCase.slug}`])
    expect(main.indexOf(`/cases/${titleCase.slug}`)).toBeLessThan(main.indexOf(`/cases/${bodyCase.slug}`))
    // The hit is marked in the title of one and in the snippet of the other.
    expect(main).toContain(`<mark>${shared}</mark>`)
  })
})
