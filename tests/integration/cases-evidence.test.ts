// What members add to a published case from their own work, over real HTTP: "we've seen this
// too" with where and when, and "we applied this lesson" with how it went. Each is tried by an
// anonymous visitor, the case's author, another member, a moderator, an admin and a silenced
// member; bad input answers 400 with the message next to its field. Then the citable case form:
// provenance, structured sources, and "Add another source" without JavaScript.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { caseForm, decodeHtml, errorSummary, fieldError, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

type Fields = Record<string, string | string[]>

function postForm(client: HttpClient, path: string, fields: Fields) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  return client.request(path, { method: 'POST', body, headers: { Origin: client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' } })
}

/** The page's main content as its markup reads, without the markers React puts between text pieces. */
const pageText = (html: string) => decodeHtml(mainOf(html)).replace(/<!-- -->/g, '')

let n = 0
const unique = (text: string) => `${text} ${Date.now().toString(36)}x${++n}x${process.pid}`

const caseRow = async (id: number) => (await db.one(sql`select id, slug, status, seen_count from cases where id = ${id}`)) as { id: number; slug: string; status: string; seen_count: number }
const seenRows = async (caseId: number) =>
  await db.all(sql`select user_id, seen_level, seen_year, seen_note, note_public from case_reactions where case_id = ${caseId} and kind = 'seen' order by user_id`)
const appliedRows = async (caseId: number) => await db.all(sql`select user_id, recommendation, result, note from case_applications where case_id = ${caseId} order by user_id`)

let author: Person
let moderator: Person
let published: { id: number; slug: string; status: string }

beforeAll(async () => {
  author = await signedIn(db)
  moderator = await signedIn(db, 'moderator')
  const submitted = await postForm(
    author.client,
    '/cases/new',
    caseForm({
      title: unique('Eligibility rules launched untested'),
      recommendations: 'Run the old and new engines side by side\nTest the rules with real cases',
      intent: 'submit',
    }),
  )
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  const { id } = (await db.one(sql`select id from cases where author_id = ${author.id} order by id desc limit 1`)) as { id: number }
  expect((await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish' })).status).toBe(302)
  published = await caseRow(id)
  expect(published.status).toBe('published')
})

type Who = 'anonymous' | 'author' | 'member' | 'moderator' | 'admin' | 'silenced'

async function clientOf(who: Who): Promise<{ client: HttpClient; id: number | null }> {
  if (who === 'anonymous') return { client: new HttpClient(), id: null }
  if (who === 'author') return { client: author.client, id: author.id }
  const person = await signedIn(db, who === 'silenced' ? 'member' : who)
  if (who === 'silenced') await db.run(sql`update users set silenced_until = ${'9999-12-31T23:59:59.999Z'} where id = ${person.id}`)
  return { client: person.client, id: person.id }
}

describe('"we\'ve seen this too" with where and when', () => {
  const expected: Record<Who, number> = { anonymous: 302, author: 403, member: 302, moderator: 302, admin: 302, silenced: 403 }
  for (const who of Object.keys(expected) as Who[]) {
    it(`${who}: ${expected[who] === 302 && who !== 'anonymous' ? 'records it' : 'is refused and nothing changes'}`, async () => {
      const { client, id } = await clientOf(who)
      const before = (await caseRow(published.id)).seen_count
      const response = await postForm(client, `/cases/${published.slug}`, {
        intent: 'seen-too',
        seenLevel: 'local',
        seenYear: '2021',
        seenNote: `Our county saw this (${who})`,
        notePublic: 'on',
      })
      expect(response.status).toBe(expected[who])
      if (who === 'anonymous') expect(response.headers.get('location')).toMatch(/^\/login\?/)
      const mine = (await seenRows(published.id) as { user_id: number }[]).filter((row) => row.user_id === id)
      if (expected[who] === 302 && who !== 'anonymous') {
        expect(mine).toEqual([{ user_id: id, seen_level: 'local', seen_year: 2021, seen_note: `Our county saw this (${who})`, note_public: 1 }])
        expect((await caseRow(published.id)).seen_count).toBe(before + 1)
      } else {
        expect(mine).toEqual([])
        expect((await caseRow(published.id)).seen_count).toBe(before)
      }
    })
  }

  it('shows public notes on the case with their level and year, never a counted-only note or a name', async () => {
    const member = await signedIn(db)
    const secret = unique('Only to be counted')
    expect((await postForm(member.client, `/cases/${published.slug}`, { intent: 'seen-too', seenLevel: 'state', seenNote: secret })).status).toBe(302)
    const page = pageText(await (await new HttpClient().get(`/cases/${published.slug}`)).text())
    expect(page).toContain('“Our county saw this (member)”')
    expect(page).toMatch(/Our county saw this \(member\)”<span class="muted"> \(Local, 2021\)/)
    expect(page).not.toContain(secret)
    expect(page).not.toContain(member.displayName)
    // Saying it again updates what the member said; the case still counts them once.
    const before = (await caseRow(published.id)).seen_count
    expect((await postForm(member.client, `/cases/${published.slug}`, { intent: 'seen-too', seenYear: '2019' })).status).toBe(302)
    expect((await caseRow(published.id)).seen_count).toBe(before)
    expect((await seenRows(published.id) as { user_id: number; seen_year: number | null }[]).find((r) => r.user_id === member.id)?.seen_year).toBe(2019)
  })

  it('answers 400 with the message next to the field for a year or level that is not one', async () => {
    const member = await signedIn(db)
    for (const [fields, field, message] of [
      [{ seenYear: 'last year' }, 'seenYear', 'Enter the year as four digits, e.g. 2021'],
      [{ seenYear: '3000' }, 'seenYear', 'Enter a year from 1960 to this year'],
      [{ seenLevel: 'galactic' }, 'seenLevel', 'Choose a level of government from the list'],
      [{ seenNote: 'x'.repeat(281) }, 'seenNote', 'Keep the note to 280 characters or fewer'],
    ] as const) {
      const response = await postForm(member.client, `/cases/${published.slug}`, { intent: 'seen-too', ...fields })
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(fieldError(html, field)).toBe(message)
      expect(errorSummary(html)).toContain(message)
    }
    expect((await seenRows(published.id) as { user_id: number }[]).filter((r) => r.user_id === member.id)).toEqual([])
  })

  it('/insights counts it by the level of government where members saw it', async () => {
    const html = decodeHtml(await (await new HttpClient().get('/insights')).text())
    expect(html).toContain('Where members have seen it, by level of government')
    expect(html).toMatch(/<th scope="row">Local<\/th><td>\d+<\/td>/)
  })
})

describe('"we applied this lesson"', () => {
  const expected: Record<Who, number> = { anonymous: 302, author: 403, member: 302, moderator: 302, admin: 302, silenced: 403 }
  for (const who of Object.keys(expected) as Who[]) {
    it(`${who}: ${expected[who] === 302 && who !== 'anonymous' ? 'records it' : 'is refused and nothing changes'}`, async () => {
      const { client, id } = await clientOf(who)
      const response = await postForm(client, `/cases/${published.slug}`, { intent: 'applied', recommendation: '1', result: 'partly', appliedNote: 'Helped in testing' })
      expect(response.status).toBe(expected[who])
      const mine = (await appliedRows(published.id) as { user_id: number }[]).filter((row) => row.user_id === id)
      expect(mine).toEqual(expected[who] === 302 && who !== 'anonymous' ? [{ user_id: id, recommendation: 1, result: 'partly', note: 'Helped in testing' }] : [])
    })
  }

  it('shows the tally under each recommendation; recording again replaces the member\'s answer', async () => {
    const member = await signedIn(db)
    expect((await postForm(member.client, `/cases/${published.slug}`, { intent: 'applied', recommendation: '0', result: 'worked' })).status).toBe(302)
    expect((await postForm(member.client, `/cases/${published.slug}`, { intent: 'applied', recommendation: '0', result: 'did-not' })).status).toBe(302)
    const page = pageText(await (await new HttpClient().get(`/cases/${published.slug}`)).text())
    expect(page).toContain('Applied by 1 member: 0 worked, 0 partly, 1 did not')
    expect(page).toContain('Applied by 3 members: 0 worked, 3 partly, 0 did not')
  })

  it('answers 400 next to the field without a result or with a recommendation the case does not have', async () => {
    const member = await signedIn(db)
    const noResult = await postForm(member.client, `/cases/${published.slug}`, { intent: 'applied', recommendation: '0' })
    expect(noResult.status).toBe(400)
    const html = await noResult.text()
    expect(fieldError(html, 'result')).toBe('Say how it went')
    expect(html).toContain('href="#result"')
    const noSuch = await postForm(member.client, `/cases/${published.slug}`, { intent: 'applied', recommendation: '9', result: 'worked' })
    expect(noSuch.status).toBe(400)
    expect(fieldError(await noSuch.text(), 'recommendation')).toBe('Choose the recommendation you applied')
    expect((await appliedRows(published.id) as { user_id: number }[]).filter((r) => r.user_id === member.id)).toEqual([])
  })
})

describe('the case form asks where an account comes from and takes structured sources', () => {
  it('refuses a submission that says neither, or is from the public record without a source, or a first-hand one without a role', async () => {
    const member = await signedIn(db)
    const cases = async () => ((await db.one(sql`select count(*) as n from cases where author_id = ${member.id}`)) as { n: number }).n
    const neither = await postForm(member.client, '/cases/new', caseForm({ provenance: '', intent: 'submit' }))
    expect(neither.status).toBe(400)
    const neitherHtml = await neither.text()
    expect(fieldError(neitherHtml, 'provenance')).toBe('Say whether this is a first-hand account or drawn from the public record')
    expect(neitherHtml).toContain('href="#provenance"')
    const publicRecord = await postForm(member.client, '/cases/new', caseForm({ provenance: 'public-record', intent: 'submit' }))
    expect(publicRecord.status).toBe(400)
    expect(fieldError(await publicRecord.text(), 'sourceTitle-0')).toBe('Cite at least one source, or say this is a first-hand account')
    const noRole = await postForm(member.client, '/cases/new', caseForm({ firstHandStatement: '', intent: 'submit' }))
    expect(noRole.status).toBe(400)
    expect(fieldError(await noRole.text(), 'firstHandStatement')).toBe('Say what you did on the project')
    expect(await cases()).toBe(0)
  })

  it('puts a bad citation\'s message next to the field of its row', async () => {
    const member = await signedIn(db)
    const response = await postForm(
      member.client,
      '/cases/new',
      caseForm({
        provenance: 'public-record',
        sourceTitle: ['State audit of the claims system', ''],
        sourcePublisher: ['State Auditor', 'Legislative review office'],
        sourceDate: ['March 2020', ''],
        sourceNumber: ['', ''],
        sourceUrl: ['javascript:alert(1)', ''],
        intent: 'submit',
      }),
    )
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'sourceDate-0')).toBe('Enter the date as a year, year and month, or full date, e.g. 2017 or 2017-03-15')
    expect(fieldError(html, 'sourceUrl-0')).toBe('Enter the full address, starting https://')
    expect(fieldError(html, 'sourceTitle-1')).toBe('Enter the source title')
  })

  it('"Add another source" adds a row without JavaScript and keeps what was typed', async () => {
    const member = await signedIn(db)
    const page = await (await member.client.get('/cases/new')).text()
    expect(page.match(/name="sourceTitle"/g)).toHaveLength(3)
    const response = await postForm(member.client, '/cases/new', caseForm({ sourceTitle: ['One', 'Two', 'Three'], sourcePublisher: ['A', 'B', 'C'], intent: 'add-source' }))
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html.match(/name="sourceTitle"/g)).toHaveLength(4)
    expect(html).toMatch(/id="sourceTitle-2"[^>]*value="Three"|value="Three"[^>]*id="sourceTitle-2"/)
    expect(html).toMatch(/<input[^>]*id="sourceTitle-3"[^>]*autofocus|<input[^>]*autofocus[^>]*id="sourceTitle-3"/i)
    expect(await db.one(sql`select count(*) as n from cases where author_id = ${member.id}`)).toEqual({ n: 0 })
  })

  it('publishes a citation list with a link where the address is known, and says the account is first-hand', async () => {
    const member = await signedIn(db)
    const title = unique('Benefits rules engine replaced in one release')
    const submitted = await postForm(
      member.client,
      '/cases/new',
      caseForm({
        title,
        sourceTitle: ['Audit of the benefits modernization'],
        sourcePublisher: ['State Auditor'],
        sourceDate: ['2021-06'],
        sourceNumber: ['Report 2021-14'],
        sourceUrl: ['https://auditor.example.gov/reports/2021-14'],
        intent: 'submit',
      }),
    )
    expect(submitted.status).toBe(302)
    const { id } = (await db.one(sql`select id from cases where author_id = ${member.id} order by id desc limit 1`)) as { id: number }
    expect((await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish' })).status).toBe(302)
    const html = pageText(await (await new HttpClient().get(`/cases/${(await caseRow(id)).slug}`)).text())
    expect(html).toContain('<strong>A first-hand account</strong> by a member who was there: “I ran the claims service during the rollout”')
    expect(html).toContain(
      'State Auditor (2021-06). <a href="https://auditor.example.gov/reports/2021-14" rel="noopener noreferrer"><cite>Audit of the benefits modernization</cite></a>. Report 2021-14.',
    )
  })
})
