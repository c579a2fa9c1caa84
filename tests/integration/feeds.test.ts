// The Atom feeds over real HTTP, read the way a feed reader reads them: well-formed XML with
// the RFC 4287 essentials, never carrying what a reader may not see (an anonymized case's
// author, a hidden opening post, a draft event), and announced by the pages they mirror.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { eventForm, type Fields, postFields } from './events-support'
import { caseForm, openServerDatabase, type Person, rawGet, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

/** Letters only, so no tokenizer, escaper or stemmer changes it. */
const word = () => `feedword${[...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`

// A category no other test file writes to, so its feed's newest entries are this file's.
const CATEGORY = 'requirements-and-scope'

const FEEDS = ['/cases/feed.atom', '/discussions/feed.atom', `/discussions/c/${CATEGORY}/feed.atom`, '/events/feed.atom'] as const

// ---------------------------------------------------------------------------------------------
// Reading a feed

type Node = Record<string, unknown>
interface Link {
  rel?: string
  href: string
  type?: string
}
interface Entry {
  id: string
  title: string
  updated: string
  published?: string
  links: Link[]
  authorName: string | null
  content: string | null
}
interface Feed {
  xml: string
  id: string
  title: string
  updated: string
  links: Link[]
  authorName: string | null
  entries: Entry[]
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['entry', 'link', 'category', 'author'].includes(name),
})

/** An element's text, whether it carries attributes (`type="text"`) or not. */
function text(node: unknown): string {
  if (typeof node === 'string') return node
  if (node && typeof node === 'object' && '#text' in node) return String((node as Node)['#text'])
  return ''
}
const links = (node: unknown): Link[] => ((node as Link[] | undefined) ?? []).map((l) => ({ ...l }))
const authorName = (node: unknown): string | null => {
  const authors = node as { name?: unknown }[] | undefined
  return authors?.length ? text(authors[0].name) : null
}

async function fetchFeed(path: string, client = new HttpClient()): Promise<Feed & { response: Response }> {
  const response = await client.get(path)
  const xml = await response.text()
  expect(response.status, path).toBe(200)
  expect(response.headers.get('content-type'), path).toMatch(/^application\/atom\+xml\b/)
  expect(XMLValidator.validate(xml), path).toBe(true)
  const root = parser.parse(xml) as { feed?: Node }
  expect(root.feed, `${path} has a <feed> root`).toBeDefined()
  const feed = root.feed!
  expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom')
  const entries = ((feed.entry as Node[] | undefined) ?? []).map((entry) => ({
    id: text(entry.id),
    title: text(entry.title),
    updated: text(entry.updated),
    published: entry.published === undefined ? undefined : text(entry.published),
    links: links(entry.link),
    authorName: authorName(entry.author),
    content: entry.content === undefined ? null : text(entry.content),
  }))
  return {
    response,
    xml,
    id: text(feed.id),
    title: text(feed.title),
    updated: text(feed.updated),
    links: links(feed.link),
    authorName: authorName(feed.author),
    entries,
  }
}

// RFC 3339 date-time, as RFC 4287 section 3.3 requires.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

const entryFor = (feed: Feed, url: string) => feed.entries.find((e) => e.links.some((l) => l.rel === 'alternate' && l.href === url))

/** Every way a person could be named in a body of text. */
function namesIn(body: string, person: Person): string[] {
  const lower = body.toLowerCase()
  return (
    [
      ['display name', person.displayName],
      ['handle', person.handle],
      ['email', person.email],
    ] as const
  )
    .filter(([, value]) => lower.includes(value.toLowerCase()))
    .map(([what]) => what)
}

// ---------------------------------------------------------------------------------------------
// Content made through the site's forms, so every feed has entries of this file's own

let moderator: Person
let anonymousAuthor: Person
let anonymizedSlug: string
let anonymizedTitle: string
let thread: { id: number; path: string; title: string }

/** "YYYY-MM-DDTHH:mm" in UTC, `days` from now: soon enough to lead the events feed. */
function soon(days: number, hour: number): string {
  const date = new Date(Date.now() + days * 86_400_000)
  date.setUTCHours(hour, 0, 0, 0)
  return date.toISOString().slice(0, 16)
}

async function newEvent(title: string, { publish }: { publish: boolean }) {
  const created = await postFields(moderator.client, '/events/new', eventForm({ title, starts: soon(3, 15), ends: soon(3, 17), timeZone: 'UTC' }))
  expect(created.status, await created.clone().text()).toBe(302)
  const path = created.headers.get('location')!
  if (publish) expect((await moderator.client.post(path, { intent: 'publish' })).status).toBe(302)
  return { id: Number(/^\/events\/(\d+)\//.exec(path)![1]), path }
}

function caseFields(overrides: Fields): Fields {
  return caseForm({
    summary: 'The eligibility rules engine was not ready when the launch date arrived.',
    contributingHow: ['Nobody checked the rules against real cases'],
    ...overrides,
  })
}

beforeAll(async () => {
  moderator = await signedIn(db, 'moderator')

  // An anonymized case, submitted and published through the forms.
  anonymousAuthor = await signedIn(db, 'member', { displayName: `Perpetua Wolstenholme ${word()}` })
  anonymizedTitle = `An anonymized case for the feed ${word()}`
  const submitted = await postFields(anonymousAuthor.client, '/cases/new', {
    ...caseFields({ title: anonymizedTitle, isAnonymous: 'on' }),
    intent: 'submit',
  })
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  const caseId = ((await db.one(sql`select id from cases where author_id = ${anonymousAuthor.id} and title = ${anonymizedTitle}`)) as { id: number }).id
  const published = await moderator.client.post('/moderation/cases', { caseId: String(caseId), decision: 'publish', feedback: '' })
  expect(published.status).toBe(302)
  anonymizedSlug = ((await db.one(sql`select slug from cases where id = ${caseId}`)) as { slug: string }).slug

  // A thread whose title needs escaping in XML, with a body holding a character XML 1.0 cannot
  // carry at all (titles refuse control characters; bodies keep what the member typed).
  const starter = await signedIn(db)
  const title = `Scope & "change" <requests> that won't stop ${word()}`
  const started = await starter.client.post('/discussions/new', { category: CATEGORY, title, body: 'How do you say **no** & keep\u0008 the sponsor?' })
  expect(started.status, await started.clone().text()).toBe(302)
  const path = started.headers.get('location')!
  thread = { id: Number(/^\/discussions\/(\d+)\//.exec(path)![1]), path, title }

  await newEvent(`Feed roundtable ${word()}`, { publish: true })
})

// ---------------------------------------------------------------------------------------------

describe.each(FEEDS)('%s', (path) => {
  it('answers 200 with application/atom+xml that parses as XML', async () => {
    const feed = await fetchFeed(path)
    expect(feed.response.headers.get('content-type')).toContain('charset=utf-8')
    expect(feed.xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
    expect(feed.entries.length).toBeGreaterThan(0)
  })

  it('has an id, a title, an RFC 3339 updated, a rel=self link to itself and an author', async () => {
    const base = new HttpClient().baseUrl
    const feed = await fetchFeed(path)
    expect(feed.id).toBe(`${base}${path}`)
    expect(feed.title).toMatch(/^SectorPulse: /)
    expect(feed.updated).toMatch(RFC3339)
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false)
    expect(feed.links.filter((l) => l.rel === 'self')).toEqual([{ rel: 'self', type: 'application/atom+xml', href: `${base}${path}` }])
    // The page the feed mirrors.
    const page = feed.links.find((l) => l.rel === 'alternate')
    expect(page?.href).toBe(`${base}${path.replace(/\/feed\.atom$/, '')}`)
    expect(feed.authorName).toBeTruthy()
  })

  it('gives every entry a unique absolute id, a title, an RFC 3339 updated, a rel=alternate link and an author', async () => {
    const base = new HttpClient().baseUrl
    const feed = await fetchFeed(path)
    for (const entry of feed.entries) {
      // Permanent ids: a tag URI on the configured site's host name with the record's number, no slug.
      expect(entry.id, JSON.stringify(entry)).toMatch(new RegExp(`^tag:${new URL(base).hostname.replace(/\./g, '\\.')},2026:(case|thread|event)-\\d+$`))
      expect(entry.title.trim(), entry.id).not.toBe('')
      expect(entry.updated, entry.id).toMatch(RFC3339)
      if (entry.published !== undefined) {
        expect(entry.published, entry.id).toMatch(RFC3339)
        expect(Date.parse(entry.updated), entry.id).toBeGreaterThanOrEqual(Date.parse(entry.published))
      }
      const alternate = entry.links.filter((l) => l.rel === 'alternate')
      expect(alternate, entry.id).toHaveLength(1)
      expect(alternate[0].href.startsWith(`${base}/`), entry.id).toBe(true)
      expect(entry.authorName ?? feed.authorName, entry.id).toBeTruthy()
      // The feed's updated is at least as new as any entry's.
      expect(Date.parse(feed.updated)).toBeGreaterThanOrEqual(Date.parse(entry.updated))
    }
    expect(new Set(feed.entries.map((e) => e.id)).size).toBe(feed.entries.length)
  })

  it("builds entry ids from the configured site's host name, whatever Host the request names", async () => {
    const siteHost = new URL(new HttpClient().baseUrl).hostname
    // A cookie of its own keeps the page cache from answering with a copy built for another request.
    const asked = await rawGet(path, { Host: 'feeds.example:6666', Cookie: `probe=${word()}` })
    expect(asked.status).toBe(200)
    const entries = ((parser.parse(asked.body) as { feed: Node }).feed.entry as Node[] | undefined) ?? []
    expect(entries.length).toBeGreaterThan(0)
    for (const entry of entries) expect(text(entry.id)).toMatch(new RegExp(`^tag:${siteHost.replace(/\./g, '\\.')},2026:(case|thread|event)-\\d+$`))
    expect(asked.body).not.toContain('feeds.example')
  })

  it("entries' links lead to pages a visitor can open", async () => {
    const feed = await fetchFeed(path)
    const visitor = new HttpClient()
    for (const entry of feed.entries.slice(0, 3)) {
      const href = entry.links.find((l) => l.rel === 'alternate')!.href
      const { pathname } = new URL(href)
      const response = await visitor.get(pathname)
      if (response.status === 404 && pathname.startsWith('/discussions/')) {
        // Another test may delete its thread between the two requests; only that explains a 404.
        const id = Number(pathname.split('/')[2])
        expect(await db.one(sql`select deleted_at is not null as deleted from threads where id = ${id}`), href).toEqual({ deleted: 1 })
      } else expect(response.status, href).toBe(200)
    }
  })
})

describe('the cases feed', () => {
  it('lists an anonymized case without naming its author anywhere', async () => {
    const base = new HttpClient().baseUrl
    const feed = await fetchFeed('/cases/feed.atom')
    const entry = entryFor(feed, `${base}/cases/${anonymizedSlug}`)
    expect(entry, 'the anonymized case is in the feed').toBeDefined()
    expect(entry!.title).toBe(anonymizedTitle)
    expect(entry!.authorName).toBe('Anonymous local practitioner')
    expect(namesIn(feed.xml, anonymousAuthor)).toEqual([])
    expect(feed.xml).not.toContain(`/members/${anonymousAuthor.handle}`)
  })

  it('names the author of a case that is not anonymized (so the check above can fail)', async () => {
    const author = await signedIn(db, 'member', { displayName: `Named Author ${word()}` })
    const title = `A named case for the feed ${word()}`
    const submitted = await postFields(author.client, '/cases/new', { ...caseFields({ title }), intent: 'submit' })
    expect(submitted.status).toBe(302)
    const { id } = (await db.one(sql`select id from cases where author_id = ${author.id} and title = ${title}`)) as { id: number }
    expect((await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish', feedback: '' })).status).toBe(302)
    const feed = await fetchFeed('/cases/feed.atom')
    const entry = feed.entries.find((e) => e.title === title)
    expect(entry?.authorName).toBe(author.displayName)
    expect(namesIn(feed.xml, author)).toContain('display name')
  })
})

describe('the discussions feeds', () => {
  it('escape titles and content: the feed stays valid and reads back the same text, less what XML cannot hold', async () => {
    const base = new HttpClient().baseUrl
    // fetchFeed has checked that the XML is well formed.
    const feed = await fetchFeed(`/discussions/c/${CATEGORY}/feed.atom`)
    const entry = entryFor(feed, `${base}${thread.path}`)
    expect(entry?.title).toBe(thread.title)
    expect(entry?.content).toContain('<strong>no</strong> &amp; keep the sponsor?')
  })

  it("never carry a hidden opening post's text, in the category feed or the feed of all discussions", async () => {
    const base = new HttpClient().baseUrl
    const secret = word()
    const starter = await signedIn(db)
    const title = `Requirements workshop notes ${word()}`
    const started = await starter.client.post('/discussions/new', { category: CATEGORY, title, body: `The ${secret} figures from our workshop.` })
    expect(started.status).toBe(302)
    const path = started.headers.get('location')!
    const threadId = Number(/^\/discussions\/(\d+)\//.exec(path)![1])

    // Before hiding, the opening post is the entry's content (a member's request is never cached).
    const before = await fetchFeed(`/discussions/c/${CATEGORY}/feed.atom`, starter.client)
    expect(entryFor(before, `${base}${path}`)?.content).toContain(secret)

    const opening = (await db.one(sql`select id from posts where thread_id = ${threadId} and number = 1`)) as { id: number }
    const hidden = await moderator.client.post(path, { intent: 'hide', postId: String(opening.id), number: '1', reason: 'Personal details' })
    expect(hidden.status).toBe(302)

    for (const client of [new HttpClient(), starter.client]) {
      const category = await fetchFeed(`/discussions/c/${CATEGORY}/feed.atom`, client)
      const entry = entryFor(category, `${base}${path}`)
      // The thread is still listed, by its title only.
      expect(entry?.title).toBe(title)
      expect(entry?.content).toBeNull()
      expect(category.xml).not.toContain(secret)
      expect((await fetchFeed('/discussions/feed.atom', client)).xml).not.toContain(secret)
    }
  })

  it('answer 404 for a category that does not exist', async () => {
    const response = await new HttpClient().get('/discussions/c/no-such-category/feed.atom')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type') ?? '').not.toMatch(/atom/)
  })
})

describe('the events feed', () => {
  it('lists a published upcoming event and never a draft', async () => {
    const base = new HttpClient().baseUrl
    const [draftWord, publishedWord] = [word(), word()]
    const draft = await newEvent(`Draft workshop ${draftWord}`, { publish: false })
    const published = await newEvent(`Published workshop ${publishedWord}`, { publish: true })
    for (const client of [new HttpClient(), moderator.client]) {
      const feed = await fetchFeed('/events/feed.atom', client)
      expect(entryFor(feed, `${base}${published.path}`)?.title).toBe(`Published workshop ${publishedWord}`)
      expect(entryFor(feed, `${base}${draft.path}`)).toBeUndefined()
      expect(feed.xml).not.toContain(draftWord)
      expect(feed.xml).not.toContain(`/events/${draft.id}/`)
    }
  })
})

describe('entry ids and updated, across a rename and an edit', () => {
  const entryById = (feed: Feed, id: string) => feed.entries.find((e) => e.id === id)
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5))

  it('keeps an event entry id when the event is renamed (its address changes), and moves updated', async () => {
    const base = new HttpClient().baseUrl
    const event = await newEvent(`Renamable roundtable ${word()}`, { publish: true })
    const id = `tag:${new URL(base).hostname},2026:event-${event.id}`
    const before = entryById(await fetchFeed('/events/feed.atom'), id)
    expect(before?.links.find((l) => l.rel === 'alternate')?.href).toBe(`${base}${event.path}`)
    await pause()
    const newTitle = `Renamed roundtable ${word()}`
    const edited = await postFields(moderator.client, `/events/${event.id}/edit`, eventForm({ title: newTitle, starts: soon(3, 15), ends: soon(3, 17), timeZone: 'UTC' }))
    expect(edited.status, await edited.clone().text()).toBe(302)
    const after = entryById(await fetchFeed('/events/feed.atom'), id)
    expect(after?.title).toBe(newTitle)
    expect(after?.links.find((l) => l.rel === 'alternate')?.href).not.toBe(`${base}${event.path}`)
    expect(Date.parse(after!.updated)).toBeGreaterThan(Date.parse(before!.updated))
    expect(after?.published).toBe(before?.published)
  })

  it('keeps the event UID in the subscription calendar across the rename, with the new title', async () => {
    const host = new URL(new HttpClient().baseUrl).hostname
    const event = await newEvent(`Calendar roundtable ${word()}`, { publish: true })
    /** The feed's VEVENT with this event's UID (unfolded), or undefined. */
    const vevent = async () => {
      const ics = (await (await new HttpClient().get('/events/feed.ics')).text()).replace(/\r\n[ \t]/g, '')
      return ics.split('BEGIN:VEVENT').find((block) => block.includes(`\r\nUID:event-${event.id}@${host}\r\n`))
    }
    expect(await vevent()).toBeDefined()
    const newTitle = `Renamed calendar roundtable ${word()}`
    const edited = await postFields(moderator.client, `/events/${event.id}/edit`, eventForm({ title: newTitle, starts: soon(4, 15), ends: soon(4, 17), timeZone: 'UTC' }))
    expect(edited.status).toBe(302)
    const after = await vevent()
    expect(after).toContain(`\r\nSUMMARY:${newTitle}\r\n`)
    expect(after).toMatch(/\r\nSEQUENCE:[1-9]\d*\r\n/)
  })

  it('keeps events of the last 90 days in the events feed, and drops older ones', async () => {
    const host = new URL(new HttpClient().baseUrl).hostname
    const recent = await newEvent(`Recent roundtable ${word()}`, { publish: true })
    const old = await newEvent(`Old roundtable ${word()}`, { publish: true })
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()
    const moveBack = (days: number, id: number) => db.run(sql`update events set starts_at = ${daysAgo(days + 0.1)}, ends_at = ${daysAgo(days)} where id = ${id}`)
    await moveBack(10, recent.id)
    await moveBack(100, old.id)
    const feed = await fetchFeed('/events/feed.atom')
    expect(entryById(feed, `tag:${host},2026:event-${recent.id}`)).toBeDefined()
    expect(entryById(feed, `tag:${host},2026:event-${old.id}`)).toBeUndefined()
  })

  it('keeps a case entry id when the case is renamed and edited, and moves updated', async () => {
    const base = new HttpClient().baseUrl
    const author = await signedIn(db)
    const title = `A case to rename ${word()}`
    expect((await postFields(author.client, '/cases/new', { ...caseFields({ title }), intent: 'submit' })).status).toBe(302)
    const { id: caseId } = (await db.one(sql`select id from cases where author_id = ${author.id} and title = ${title}`)) as { id: number }
    expect((await moderator.client.post('/moderation/cases', { caseId: String(caseId), decision: 'publish', feedback: '' })).status).toBe(302)
    const id = `tag:${new URL(base).hostname},2026:case-${caseId}`
    const before = entryById(await fetchFeed('/cases/feed.atom'), id)!
    expect(before.title).toBe(title)
    await pause()
    const newTitle = `A renamed case ${word()}`
    const updated = await postFields(author.client, `/cases/submissions/${caseId}`, {
      ...caseFields({ title: newTitle, summary: 'The rules engine was late, and the launch went ahead regardless.' }),
      intent: 'update',
      note: 'A clearer title',
    })
    expect(updated.status, await updated.clone().text()).toBe(302)
    const after = entryById(await fetchFeed('/cases/feed.atom'), id)!
    expect(after.title).toBe(newTitle)
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated))
    expect(after.published).toBe(before.published)
  })

  it('moves a thread entry updated when its opening post is edited, not when someone replies', async () => {
    const base = new HttpClient().baseUrl
    const starter = await signedIn(db)
    const started = await starter.client.post('/discussions/new', { category: CATEGORY, title: `Edited opening post ${word()}`, body: 'The first version of the question.' })
    expect(started.status).toBe(302)
    const threadId = Number(/^\/discussions\/(\d+)\//.exec(started.headers.get('location')!)![1])
    const id = `tag:${new URL(base).hostname},2026:thread-${threadId}`
    const feedPath = `/discussions/c/${CATEGORY}/feed.atom`
    const before = entryById(await fetchFeed(feedPath), id)!
    await pause()
    const replier = await signedIn(db)
    expect((await replier.client.post(started.headers.get('location')!, { intent: 'reply', body: `A reply ${word()}` })).status).toBeLessThan(400)
    expect(entryById(await fetchFeed(feedPath), id)?.updated).toBe(before.updated)

    const opening = (await db.one(sql`select id from posts where thread_id = ${threadId} and number = 1`)) as { id: number }
    const editedWord = word()
    expect((await starter.client.post(`/discussions/posts/${opening.id}/edit`, { body: `The second version ${editedWord}.` })).status).toBe(302)
    const after = entryById(await fetchFeed(feedPath), id)!
    expect(after.content).toContain(editedWord)
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.updated))
  })
})

describe('pages announce their feeds', () => {
  /** Every <link> in the page's head, as attribute maps. */
  function linkTags(html: string): Record<string, string>[] {
    return [...html.matchAll(/<link\b[^>]*>/g)].map((tag) =>
      Object.fromEntries([...tag[0].matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]])),
    )
  }

  it.each([
    ['/cases', '/cases/feed.atom'],
    ['/discussions', '/discussions/feed.atom'],
    [`/discussions/c/${CATEGORY}`, `/discussions/c/${CATEGORY}/feed.atom`],
    ['/events', '/events/feed.atom'],
  ])('%s links %s with rel="alternate" type="application/atom+xml"', async (page, feed) => {
    for (const client of [new HttpClient(), moderator.client]) {
      const response = await client.get(page)
      expect(response.status).toBe(200)
      const html = await response.text()
      const head = /<head>[\s\S]*<\/head>/.exec(html)?.[0] ?? ''
      const announced = linkTags(head).filter((l) => l.rel === 'alternate' && l.type === 'application/atom+xml')
      expect(announced.map((l) => l.href)).toEqual([feed])
      expect(announced[0].title).toBeTruthy()
      // The announced address is the feed.
      expect((await fetchFeed(announced[0].href)).links.find((l) => l.rel === 'self')?.href).toBe(`${client.baseUrl}${feed}`)
    }
  })
})
