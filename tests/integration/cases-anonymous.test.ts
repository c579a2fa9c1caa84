// An anonymized case over real HTTP: a member submits a case to be published anonymously and a
// moderator publishes it. No page a visitor or another member can reach (the case page, its
// history, the library with and without a search, the themes, related-case cards, the author's
// profile) and no loader JSON (embedded in the HTML or fetched with ?_data) may name the author:
// not their display name, handle, email or user id. Moderators still see who wrote it.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { caseForm, decodeHtml, mainOf, openServerDatabase, type Person, type Role, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

type Fields = Record<string, string | string[]>

function formBody(fields: Fields): URLSearchParams {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  }
  return body
}

/** Posts a form with repeated fields (phases, contributing modes) the way a browser does. */
function postForm(client: HttpClient, path: string, fields: Fields) {
  return client.request(path, {
    method: 'POST',
    body: formBody(fields),
    headers: { Origin: client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

/** How many members this file joined (a test checks the fixture is what it claims). */
let joined = 0
async function joinedMember(role: Role = 'member', overrides: Record<string, string> = {}): Promise<Person> {
  const person = await signedIn(db, role, overrides)
  joined++
  return person
}

const unique = `${Date.now().toString(36)}${process.pid.toString(36)}`
/** A word only this case contains, for searching. */
const SEARCH_WORD = `wyvernquill${unique}`

interface Target {
  id: number
  slug: string
  domain: string
  level: string
  outcome: string
  modes: string[]
  phases: string[]
}

/** The curated case with the most failure modes that the form can still copy (1 primary + 5 contributing). */
async function pickTarget(): Promise<Target> {
  const rows = (await db.one(sql`select c.id, c.slug, c.domain, c.level, c.outcome, count(m.term_id) as n from cases c
       join case_failure_modes m on m.case_id = c.id
       where c.status = 'published' and c.source_key is not null
       group by c.id having count(m.term_id) <= 6 order by n desc, c.id limit 1`)) as Omit<Target, 'modes' | 'phases'>
  const modes = (await db.all(sql`select t.slug from case_failure_modes m join taxonomy_terms t on t.id = m.term_id
       where m.case_id = ${rows.id} order by m.is_primary desc, t.position`)) as { slug: string }[]
  const phases = (await db.all(sql`select t.slug from case_phases p join taxonomy_terms t on t.id = p.term_id where p.case_id = ${rows.id}`)) as { slug: string }[]
  return { ...rows, modes: modes.map((m) => m.slug), phases: phases.map((p) => p.slug) }
}

function caseFields(target: Target, overrides: Fields = {}): Fields {
  const [primary, ...contributing] = target.modes
  return caseForm({
    title: `An anonymized benefits rollout ${unique}`,
    summary: `The eligibility rules engine was not ready; a ${SEARCH_WORD} workaround kept claims moving.`,
    level: target.level,
    domain: target.domain,
    whatHappened: `We launched before the rules were tested. The ${SEARCH_WORD} queue grew for months.`,
    primaryMode: primary,
    contributingMode: contributing,
    contributingHow: contributing.map((slug) => `It showed up as ${slug}`),
    phases: target.phases,
    outcome: target.outcome,
    isAnonymous: 'on',
    ...overrides,
  })
}

let author: Person
let moderator: Person
let otherMember: Person
let target: Target
let caseId: number
let slug: string
let title: string

beforeAll(async () => {
  author = await joinedMember('member', {
    displayName: `Quillon Vexmarch ${unique}`,
    memberType: 'practitioner',
    governmentLevel: 'local',
  })
  moderator = await joinedMember('moderator')
  otherMember = await joinedMember()
  target = await pickTarget()
  expect(target.modes.length).toBeGreaterThanOrEqual(2)

  const fields = caseFields(target)
  title = fields.title as string
  const submitted = await postForm(author.client, '/cases/new', { ...fields, intent: 'submit' })
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  expect(submitted.headers.get('location')).toBe('/cases/submissions')
  caseId = ((await db.one(sql`select id from cases where author_id = ${author.id} and status = 'submitted'`)) as { id: number }).id

  const publish = await moderator.client.post('/moderation/cases', { caseId: String(caseId), decision: 'publish', feedback: '' })
  expect(publish.status, await publish.clone().text()).toBe(302)
  const row = (await db.one(sql`select slug, status, is_anonymous from cases where id = ${caseId}`)) as {
    slug: string
    status: string
    is_anonymous: number
  }
  expect(row).toMatchObject({ status: 'published', is_anonymous: 1 })
  slug = row.slug

  // Two edits (the author's and a moderator's), so the history has versions to show.
  const byAuthor = await postForm(author.client, `/cases/submissions/${caseId}`, {
    ...fields,
    summary: `${fields.summary} Updated with the audit figures.`,
    intent: 'update',
    note: 'Added the audit figures',
  })
  expect(byAuthor.status, await byAuthor.clone().text()).toBe(302)
  const byModerator = await postForm(moderator.client, `/cases/submissions/${caseId}`, {
    ...fields,
    summary: `${fields.summary} Updated with the audit figures.`,
    years: '2019-2022',
    intent: 'update',
    note: 'Corrected the years',
  })
  expect(byModerator.status, await byModerator.clone().text()).toBe(302)
  expect(await db.one(sql`select count(*) as n from case_revisions where case_id = ${caseId}`)).toEqual({ n: 2 })
})

// ---------------------------------------------------------------------------------------------

/** Every way the author could be named in a response body. */
function leaksIn(body: string): string[] {
  const found: string[] = []
  const text = body.toLowerCase()
  const decoded = decodeHtml(body).toLowerCase()
  for (const [what, value] of [
    ['display name', author.displayName],
    ['handle', author.handle],
    ['email', author.email],
    ['email (URL-encoded)', encodeURIComponent(author.email)],
  ] as const) {
    const needle = value.toLowerCase()
    if (text.includes(needle) || decoded.includes(needle)) found.push(what)
  }
  // A user id travels as a number under a key naming a person: authorId, author_id, userId, ...
  const idKey = new RegExp(`(author|user|owner|editor|creator|member|submitter)_?id\\\\?"\\s*:\\s*${author.id}\\b`, 'i')
  if (idKey.test(body)) found.push('user id')
  return found
}

/** Walks parsed loader JSON for a person-keyed property holding the author's id. */
function idLeaksIn(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => idLeaksIn(item, `${path}[${i}]`))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => {
      const here = `${path}.${key}`
      const personKey = /author|user|owner|editor|creator|member|submitter/i.test(key)
      if (personKey && (inner === author.id || inner === String(author.id))) return [here]
      if (personKey && inner && typeof inner === 'object' && 'id' in inner && (inner as { id: unknown }).id === author.id) return [`${here}.id`]
      return idLeaksIn(inner, here)
    })
  }
  return []
}

const ROUTE_IDS: Record<string, string> = {
  case: 'routes/cases.$slug',
  history: 'routes/cases.$slug_.history',
  library: 'routes/cases._index',
  themes: 'routes/cases.themes._index',
  theme: 'routes/cases.themes.$slug',
  member: 'routes/members.$handle',
}

/** The page, and its loader's JSON as Remix fetches it on client-side navigation. */
async function fetchBoth(client: HttpClient, path: string, routeId: string) {
  const html = await client.get(path)
  const htmlBody = await html.text()
  const separator = path.includes('?') ? '&' : '?'
  const data = await client.get(`${path}${separator}_data=${encodeURIComponent(routeId)}`)
  const dataBody = await data.text()
  expect(html.status, path).toBe(200)
  expect(data.status, `${path} (_data)`).toBe(200)
  expect(data.headers.get('content-type') ?? '', `${path} (_data)`).toContain('application/json')
  return { html: htmlBody, json: dataBody, parsed: JSON.parse(dataBody) as unknown }
}

async function expectNoLeak(client: HttpClient, path: string, routeId: string, opts: { mustShowCase?: boolean } = {}) {
  const { html, json, parsed } = await fetchBoth(client, path, routeId)
  expect(leaksIn(html), `${path} (HTML)`).toEqual([])
  expect(leaksIn(json), `${path} (_data JSON)`).toEqual([])
  expect(idLeaksIn(parsed), `${path} (_data JSON)`).toEqual([])
  expect(html, `${path} links to the author's profile`).not.toContain(`/members/${author.handle}`)
  if (opts.mustShowCase) {
    // The page does show the case, so the checks above looked where it is.
    expect(html, `${path} shows the case`).toContain(`/cases/${slug}`)
    expect(json, `${path} (_data) has the case`).toContain(slug)
  }
  return { html, json }
}

const viewers: [string, () => HttpClient][] = [
  ['an anonymous visitor', () => new HttpClient()],
  ['another member', () => otherMember.client],
]

describe.each(viewers)('as %s', (_, viewer) => {
  it('the case page shows "Anonymous" with the member type and level, and never the author', async () => {
    const { html } = await expectNoLeak(viewer(), `/cases/${slug}`, ROUTE_IDS.case)
    const main = decodeHtml(mainOf(html).replaceAll('<!-- -->', ''))
    expect(main).toContain(title)
    expect(main).toContain('Shared by Anonymous local practitioner')
    expect(main).not.toContain('visible to moderators only')
  })

  it("the case's history never names the author", async () => {
    const { json } = await expectNoLeak(viewer(), `/cases/${slug}/history`, ROUTE_IDS.history)
    const data = JSON.parse(json) as { slug: string; versions: { note: string | null }[] }
    expect(data.slug).toBe(slug)
    expect(data.versions.map((v) => v.note)).toEqual(['Corrected the years', 'Added the audit figures', null])
  })

  it('the history page shows the versions (not the case page again)', async () => {
    const response = await viewer().get(`/cases/${slug}/history`)
    const main = decodeHtml(mainOf(await response.text()).replaceAll('<!-- -->', ''))
    expect(response.status).toBe(200)
    expect(main).toContain('History of this case')
    expect(main).toContain('3 versions')
    expect(main).toContain('Added the audit figures')
  })

  it('the library never names the author, with or without a search that finds the case', async () => {
    await expectNoLeak(viewer(), '/cases', ROUTE_IDS.library)
    await expectNoLeak(viewer(), '/cases?sort=seen', ROUTE_IDS.library)
    await expectNoLeak(viewer(), `/cases?q=${SEARCH_WORD}`, ROUTE_IDS.library, { mustShowCase: true })
    await expectNoLeak(viewer(), `/cases?q=${encodeURIComponent(`${SEARCH_WORD} rules`)}&sort=newest`, ROUTE_IDS.library, {
      mustShowCase: true,
    })
    await expectNoLeak(viewer(), `/cases?mode=${target.modes[0]}&level=${target.level}&q=${SEARCH_WORD}`, ROUTE_IDS.library, {
      mustShowCase: true,
    })
  })

  it('the theme pages of its failure modes, and the themes index, never name the author', async () => {
    await expectNoLeak(viewer(), '/cases/themes', ROUTE_IDS.themes)
    for (const mode of target.modes) {
      await expectNoLeak(viewer(), `/cases/themes/${mode}`, ROUTE_IDS.theme, { mustShowCase: true })
    }
  })

  it("related-case cards on other cases' pages never name the author", async () => {
    const { html } = await expectNoLeak(viewer(), `/cases/${target.slug}`, ROUTE_IDS.case, { mustShowCase: true })
    const related = /<section aria-labelledby="related-heading">[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
    expect(related).toContain(`/cases/${slug}`)
  })

  it("the author's public profile does not reveal the case", async () => {
    const { html, json } = await fetchBoth(viewer(), `/members/${author.handle}`, ROUTE_IDS.member)
    expect(decodeHtml(html)).toContain(author.displayName)
    for (const body of [html, decodeHtml(html), json]) {
      expect(body).not.toContain(slug)
      expect(body).not.toContain(title)
      expect(body).not.toContain(SEARCH_WORD)
    }
  })
})

describe('moderators', () => {
  it('see who wrote an anonymized case on its page', async () => {
    const html = await (await moderator.client.get(`/cases/${slug}`)).text()
    const main = decodeHtml(mainOf(html).replaceAll('<!-- -->', ''))
    expect(main).toContain('Shared by Anonymous local practitioner')
    expect(main).toContain('visible to moderators only')
    expect(main).toContain(author.displayName)
    expect(html).toContain(`/members/${author.handle}`)
  })

  it('see who wrote it in the loader JSON too, which is how the leak check would catch it', async () => {
    const { json } = await fetchBoth(moderator.client, `/cases/${slug}`, ROUTE_IDS.case)
    expect(leaksIn(json)).toContain('handle')
    expect(leaksIn(json)).toContain('display name')
  })
})

describe('the leak check itself', () => {
  it('finds the author in each form it looks for', () => {
    expect(leaksIn(`<p>${author.displayName.toUpperCase()}</p>`)).toEqual(['display name'])
    expect(leaksIn(`{"author_id":${author.id},"title":"x"}`)).toEqual(['user id'])
    expect(leaksIn(`{\\"authorId\\":${author.id}}`)).toEqual(['user id'])
    expect(leaksIn(`{"authorId":${author.id}0}`)).toEqual([])
    expect(idLeaksIn({ case: { author: { id: author.id } } })).toEqual(['$.case.author.id'])
    expect(idLeaksIn({ items: [{ userId: author.id }] })).toEqual(['$.items[0].userId'])
    expect(idLeaksIn({ case: { id: author.id } })).toEqual([])
  })
})

describe('the author', () => {
  it('is not named on their own case page either (it reads as the public sees it)', async () => {
    const html = await (await author.client.get(`/cases/${slug}`)).text()
    const main = decodeHtml(mainOf(html).replaceAll('<!-- -->', ''))
    expect(main).toContain('Shared by Anonymous local practitioner')
    expect(main).not.toContain(`/members/${author.handle}`)
    expect(main).toContain('Edit this case')
  })

  it('joined the site as a member with a profile that names them (the fixture is what it claims)', () => {
    expect(joined).toBeGreaterThanOrEqual(3)
    expect(author.displayName).toBe(`Quillon Vexmarch ${unique}`)
  })
})

// Last in this file: it changes the author's profile, which the tests above read as it was.
describe('after the author edits their profile', () => {
  it('the case keeps the label it was published with, on its page and in the feed', async () => {
    const saved = await author.client.post('/settings', {
      intent: 'profile',
      displayName: `Quillon Vexmarch ${unique}`,
      memberType: 'advisor',
      governmentLevel: 'international',
      organization: '',
    })
    expect(saved.status, await saved.clone().text()).toBe(302)
    expect(await db.userByHandle(author.handle)).toMatchObject({ member_type: 'advisor', government_level: 'international' })

    const page = decodeHtml(mainOf(await (await new HttpClient().get(`/cases/${slug}`)).text()).replaceAll('<!-- -->', ''))
    expect(page).toContain('Shared by Anonymous local practitioner')
    expect(page).not.toContain('international advisor')
    const feed = await (await new HttpClient().get('/cases/feed.atom')).text()
    expect(feed).not.toContain('Anonymous international advisor')
  })
})
