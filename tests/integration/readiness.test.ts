// The readiness self-assessment over real HTTP: anyone can take it and see results; members
// can save it under a project name, retake it and see how each answer moved; a saved
// assessment is private to its owner (anyone else, moderators and admins included, gets 404).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, fieldError, mainOf, openServerDatabase, signedIn, titleOf } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

type Who = 'anonymous' | 'owner' | 'member' | 'moderator' | 'admin'

/** A signed-in member (from `signedIn`) or the anonymous visitor, who has no id. */
interface Person {
  client: HttpClient
  id: number | null
  handle: string
}

interface Question {
  id: number
  slug: string
  area: string
}
let questions: Question[] = []
const modesOf = async (questionId: number) =>
  (
    (await db.all(sql`select t.slug from readiness_question_failure_modes qm join taxonomy_terms t on t.id = qm.term_id
         where qm.question_id = ${questionId} order by qm.position`)) as { slug: string }[]
  ).map((row) => row.slug)

type Level = 'not-yet' | 'partly' | 'mostly' | 'fully'

/** The whole questionnaire answered at `level`, with `overrides` per question slug. */
function answered(level: Level, overrides: Record<string, Level> = {}, extra: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const q of questions) {
    fields[`answer-${q.slug}`] = overrides[q.slug] ?? level
    fields[`note-${q.slug}`] = ''
  }
  return { ...fields, ...extra }
}

const assessments = async () => ((await db.one(sql`select count(*) as n from readiness_assessments`)) as { n: number }).n
const assessmentRow = async (id: number) =>
  (await db.one(sql`select user_id, project_name, project_key from readiness_assessments where id = ${id}`)) as
    | { user_id: number; project_name: string; project_key: string }
    | undefined
const text = (html: string) => decodeHtml(mainOf(html).replaceAll('<!-- -->', ''))
const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

/** The value of the radio button that is checked for a question, or null. */
function checkedAnswer(html: string, slug: string): string | null {
  const radios = [...html.matchAll(new RegExp(`<input\\b[^>]*\\bname="answer-${slug}"[^>]*>`, 'g'))].map((m) => m[0])
  expect(radios, `the four choices of ${slug}`).toHaveLength(4)
  const checked = radios.filter((tag) => /\schecked(=""|\s|\/|>)/.test(tag))
  expect(checked.length, slug).toBeLessThanOrEqual(1)
  return checked.length ? /\bvalue="([^"]*)"/.exec(checked[0])![1] : null
}

/** Saves a full assessment as `person`; returns its id. */
async function save(person: Person, project: string, fields: Record<string, string>): Promise<number> {
  const response = await person.client.post('/readiness', { ...fields, project, intent: 'save' })
  expect(response.status, await response.clone().text()).toBe(302)
  const location = response.headers.get('location')!
  expect(location).toMatch(/^\/readiness\/assessments\/\d+$/)
  return Number(location.split('/').pop())
}

/** The row of the ranking table for an area. */
function rankingRow(html: string, area: string): string {
  const rows = [...mainOf(html).matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => decodeHtml(m[0].replaceAll('<!-- -->', '')))
  const row = rows.find((r) => r.includes(`${area}<span`))
  expect(row, `a ranking row for ${area}`).toBeDefined()
  return row!
}

let owner: Person
const people = {} as Record<Exclude<Who, 'owner'>, Person>

beforeAll(async () => {
  questions = (await db.all(sql`select id, slug, area from readiness_questions order by position`)) as Question[]
  owner = await signedIn(db)
  people.anonymous = { client: new HttpClient(), id: null, handle: '' }
  people.member = await signedIn(db)
  people.moderator = await signedIn(db, 'moderator')
  people.admin = await signedIn(db, 'admin')
})

// ---------------------------------------------------------------------------------------------

describe('the questionnaire', () => {
  it('lists the 13 questions, each with its four answers and a note', async () => {
    expect(questions).toHaveLength(13)
    const response = await new HttpClient().get('/readiness')
    const html = await response.text()
    expect(response.status).toBe(200)
    const names = [...new Set([...html.matchAll(/name="answer-([a-z0-9-]+)"/g)].map((m) => m[1]))]
    expect(names).toEqual(questions.map((q) => q.slug))
    for (const q of questions) {
      expect(checkedAnswer(html, q.slug)).toBeNull()
      expect(html).toContain(`name="note-${q.slug}"`)
    }
    const main = text(html)
    for (const q of questions) expect(main).toContain(q.area)
    // A visitor can score, not save.
    expect(html).toContain('value="score"')
    expect(html).not.toContain('value="save"')
    expect(html).not.toContain('name="project"')
  })

  it('offers a member both scoring and saving under a project name', async () => {
    const html = await (await people.member.client.get('/readiness')).text()
    expect(html).toContain('value="score"')
    expect(html).toContain('value="save"')
    expect(html).toContain('name="project"')
  })
})

describe('scoring without saving', () => {
  it('shows a visitor the results: the score, the ranking and links to cases and themes', async () => {
    const before = await assessments()
    const [first, second] = questions
    // One "fully" and twelve "not yet": 3 of 39 is 8%.
    const response = await new HttpClient().post('/readiness', { ...answered('not-yet', { [first.slug]: 'fully' }), intent: 'score' })
    const html = await response.text()
    expect(response.status).toBe(200)
    const main = text(html)
    expect(main).toContain('Your readiness results')
    expect(main).toContain('Overall readiness: 8%')
    expect(main).toContain('1 fully, 0 mostly, 0 partly and 12 not yet, across 13 areas.')
    expect(main).toContain('Not saved.')
    // The title names the results, not the questionnaire they came from.
    expect(titleOf(html)).toBe('Your readiness results · Execution-readiness self-assessment · SectorPulse')

    // The weakest area first: the second question, as the first is "fully".
    const firstRow = /<tbody>\s*<tr>[\s\S]*?<\/tr>/.exec(mainOf(html))![0]
    expect(decodeHtml(firstRow)).toContain(second.area)
    expect(html).toContain(`id="area-${second.slug}"`)
    expect(html).not.toContain(`id="area-${first.slug}"`)

    // Links to the failure modes' themes and to published cases that teach them.
    for (const mode of await modesOf(second.id)) expect(html).toContain(`href="/cases/themes/${mode}"`)
    const caseSlugs = [...mainOf(html).matchAll(/href="\/cases\/([a-z0-9-]+)"/g)].map((m) => m[1]).filter((s) => s !== 'themes')
    expect(caseSlugs.length).toBeGreaterThan(0)
    for (const slug of caseSlugs) {
      expect(await db.one(sql`select status from cases where slug = ${slug}`), slug).toEqual({ status: 'published' })
    }
    // A visitor is asked to sign in to keep the results; nothing was stored.
    expect(main).toContain('to save an assessment')
    expect(await assessments()).toBe(before)
  })

  it('shows a member the results without saving them when they only ask to see them', async () => {
    const before = await assessments()
    const response = await people.member.client.post('/readiness', { ...answered('mostly'), intent: 'score', project: 'Not saved' })
    expect(response.status).toBe(200)
    expect(text(await response.text())).toContain('Overall readiness: 67%')
    expect(await assessments()).toBe(before)
  })

  it('refuses missing answers with 400, the message next to each missing question and in the summary', async () => {
    const fields = answered('partly')
    const missing = [questions[0], questions[4], questions[12]]
    for (const q of missing) delete fields[`answer-${q.slug}`]
    // An answer that is not one of the four counts as missing too.
    fields[`answer-${questions[6].slug}`] = 'somewhat'
    const response = await new HttpClient().post('/readiness', { ...fields, intent: 'score' })
    const html = await response.text()
    expect(response.status).toBe(400)
    const refused = [...missing, questions[6]]
    for (const q of questions) {
      const error = fieldError(html, `answer-${q.slug}`)
      if (refused.includes(q)) expect(error, q.slug).toBe('Choose not yet, partly, mostly or fully')
      else expect(error, q.slug).toBeUndefined()
    }
    expect(errorSummary(html)).toEqual(refused.map(() => 'Choose not yet, partly, mostly or fully'))
    // Still the questionnaire, and its title says it was refused.
    expect(titleOf(html)).toBe('Error: Execution-readiness self-assessment · SectorPulse')
    // The summary links to each question's first choice.
    for (const q of refused) expect(html).toContain(`href="#answer-${q.slug}"`)
    expect(html).not.toContain('Overall readiness')
    // What was answered is kept.
    expect(checkedAnswer(html, questions[1].slug)).toBe('partly')
  })

  it('refuses a note over 1,000 characters with 400 and the message next to it', async () => {
    const q = questions[2]
    const response = await new HttpClient().post('/readiness', { ...answered('partly', {}, { [`note-${q.slug}`]: 'n'.repeat(1001) }), intent: 'score' })
    const html = await response.text()
    expect(response.status).toBe(400)
    expect(fieldError(html, `note-${q.slug}`)).toBe('Keep the note to 1000 characters or fewer')
    expect(errorSummary(html)).toEqual(['Keep the note to 1000 characters or fewer'])
    expect(html).not.toContain('Overall readiness')

    const atLimit = await new HttpClient().post('/readiness', { ...answered('partly', {}, { [`note-${q.slug}`]: 'n'.repeat(1000) }), intent: 'score' })
    expect(atLimit.status).toBe(200)
  })
})

describe('saving', () => {
  it('refuses a visitor with 401, saves nothing, and says to sign in', async () => {
    const before = await assessments()
    const response = await new HttpClient().post('/readiness', { ...answered('partly'), project: 'Anonymous project', intent: 'save' })
    const html = await response.text()
    expect(response.status).toBe(401)
    expect(errorSummary(html).join(' ')).toContain('Sign in to save an assessment')
    expect(await assessments()).toBe(before)
    expect(await db.all(sql`select id from readiness_assessments where project_name = 'Anonymous project'`)).toEqual([])
  })

  it.each([
    ['without a project name', { project: '' }],
    ['with a blank project name', { project: '    ' }],
    ['with no project field', {}],
  ])('refuses a member %s with 400 and the message next to the field', async (_, project) => {
    const before = await assessments()
    const response = await people.member.client.post('/readiness', { ...answered('partly'), ...project, intent: 'save' })
    const html = await response.text()
    expect(response.status).toBe(400)
    expect(fieldError(html, 'project')).toBe('Enter a project name to save this assessment under')
    expect(await assessments()).toBe(before)
    // The answers are kept for the next try.
    expect(checkedAnswer(html, questions[0].slug)).toBe('partly')
  })

  it('refuses a project name over 120 characters', async () => {
    const before = await assessments()
    const response = await people.member.client.post('/readiness', { ...answered('partly'), project: 'p'.repeat(121), intent: 'save' })
    expect(response.status).toBe(400)
    expect(fieldError(await response.text(), 'project')).toBe('Keep the project name to 120 characters or fewer')
    expect(await assessments()).toBe(before)
  })

  it("saves a member's assessment and sends them to it", async () => {
    const member = await signedIn(db)
    const note = 'Outcomes agreed with the sponsor, not yet measured.'
    const fields = answered('mostly', { [questions[0].slug]: 'partly' }, { [`note-${questions[0].slug}`]: note })
    const id = await save(member, 'Eligibility rebuild', fields)
    expect(await assessmentRow(id)).toEqual({ user_id: member.id, project_name: 'Eligibility rebuild', project_key: 'eligibility rebuild' })
    expect(await db.one(sql`select count(*) as n from readiness_answers where assessment_id = ${id}`)).toEqual({ n: 13 })

    const page = await member.client.get(`/readiness/assessments/${id}`)
    const html = await page.text()
    expect(page.status).toBe(200)
    const main = text(html)
    expect(main).toContain('Eligibility rebuild')
    expect(main).toContain('The first saved for this project.')
    expect(main).toContain('Overall readiness: 64%')
    expect(main).toContain(note)
    expect(main).not.toContain('Since last time')
    // And it is listed on the questionnaire page, with its score.
    const list = text(await (await member.client.get('/readiness')).text())
    expect(list).toContain('Your saved assessments')
    expect(list).toMatch(/>Eligibility rebuild<\/a> <span class="muted">[^<]+, 64%<\/span>/)
  })
})

describe('a saved assessment is private', () => {
  const EVERYONE: Who[] = ['anonymous', 'owner', 'member', 'moderator', 'admin']
  const personFor = (who: Who) => (who === 'owner' ? owner : people[who])

  it.each(EVERYONE)('GET /readiness/assessments/:id as %s', async (who) => {
    const id = await save(owner, `Private project ${who}`, answered('partly'))
    const path = `/readiness/assessments/${id}`
    const response = await personFor(who).client.get(path)
    const html = await response.text()
    if (who === 'anonymous') {
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(loginRedirect(path))
    } else if (who === 'owner') {
      expect(response.status).toBe(200)
      expect(text(html)).toContain(`Private project ${who}`)
    } else {
      // Answered exactly as an assessment that does not exist.
      expect(response.status).toBe(404)
      expect(html).not.toContain(`Private project ${who}`)
      const missing = await personFor(who).client.get('/readiness/assessments/999999999')
      expect(missing.status).toBe(404)
    }
    // Route data, as client-side navigation fetches it, follows the same rule.
    const data = await personFor(who).client.get(`${path}?_data=${encodeURIComponent('routes/readiness.assessments.$id')}`)
    const body = await data.text()
    if (who === 'owner') expect(data.status).toBe(200)
    else if (who === 'anonymous') {
      // Remix answers a data request's redirect with 204 and the address in a header.
      expect(data.status).toBe(204)
      expect(data.headers.get('x-remix-redirect')).toBe(loginRedirect(path))
    } else {
      expect(data.status).toBe(404)
      expect(body).not.toContain(`Private project ${who}`)
    }
  })

  it.each(EVERYONE)('POST /readiness/assessments/:id (delete) as %s', async (who) => {
    const id = await save(owner, `Deletable project ${who}`, answered('partly'))
    const path = `/readiness/assessments/${id}`
    const response = await personFor(who).client.post(path, {})
    if (who === 'owner') {
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/readiness')
      expect(await assessmentRow(id)).toBeUndefined()
      expect(await db.one(sql`select count(*) as n from readiness_answers where assessment_id = ${id}`)).toEqual({ n: 0 })
      expect((await owner.client.get(path)).status).toBe(404)
    } else {
      if (who === 'anonymous') {
        expect(response.status).toBe(302)
        expect(response.headers.get('location')).toBe(loginRedirect(path))
      } else expect(response.status).toBe(404)
      expect(await assessmentRow(id)).toMatchObject({ user_id: owner.id, project_name: `Deletable project ${who}` })
      expect((await owner.client.get(path)).status).toBe(200)
    }
  })

  it('is not listed on anyone else\u2019s questionnaire page', async () => {
    await save(owner, 'Listed only to its owner', answered('partly'))
    expect(text(await (await owner.client.get('/readiness')).text())).toContain('Listed only to its owner')
    for (const who of ['anonymous', 'member', 'moderator', 'admin'] as const) {
      expect(await (await people[who].client.get('/readiness')).text(), who).not.toContain('Listed only to its owner')
    }
  })
})

describe('retaking', () => {
  let id: number
  const levels: Level[] = ['not-yet', 'partly', 'mostly', 'fully']
  const noteText = 'Sponsor changed in March; new one not yet briefed.'
  beforeAll(async () => {
    const overrides = Object.fromEntries(questions.map((q, i) => [q.slug, levels[i % 4]]))
    id = await save(owner, 'Retake project', answered('partly', overrides, { [`note-${questions[7].slug}`]: noteText }))
  })

  it('fills in the owner\u2019s saved answers, note and project name', async () => {
    const response = await owner.client.get(`/readiness?retake=${id}`)
    const html = await response.text()
    expect(response.status).toBe(200)
    questions.forEach((q, i) => expect(checkedAnswer(html, q.slug), q.slug).toBe(levels[i % 4]))
    expect(decodeHtml(html)).toContain(noteText)
    expect(/<input\b[^>]*\bname="project"[^>]*>/.exec(html)?.[0]).toContain('value="Retake project"')
    expect(text(html)).toContain('Retaking “Retake project”')
  })

  it.each(['member', 'moderator', 'admin', 'anonymous'] as const)('fills in nothing for a %s', async (who) => {
    const response = await people[who].client.get(`/readiness?retake=${id}`)
    const html = await response.text()
    expect(response.status).toBe(200)
    for (const q of questions) expect(checkedAnswer(html, q.slug), q.slug).toBeNull()
    expect(decodeHtml(html)).not.toContain(noteText)
    expect(html).not.toContain('Retake project')
    // Nor does the route data a script could fetch.
    const data = await people[who].client.get(`/readiness?retake=${id}&_data=${encodeURIComponent('routes/readiness._index')}`)
    expect(data.status).toBe(200)
    const json = await data.text()
    expect((JSON.parse(json) as { retake: unknown }).retake).toBeNull()
    expect(json).not.toContain(noteText)
    expect(json).not.toContain('Retake project')
  })

  it.each(['abc', '-1', '0', '999999999', '1e3'])('ignores retake=%s', async (value) => {
    const response = await owner.client.get(`/readiness?retake=${value}`)
    expect(response.status).toBe(200)
    expect(await response.text()).not.toContain('Retaking')
  })
})

describe('movement between assessments of the same project', () => {
  it('compares with the last one saved under the same name, whatever its case and spaces', async () => {
    const member = await signedIn(db)
    const [q1, q2, q3] = questions
    // 13 x "partly": 13 of 39 is 33%.
    const first = await save(member, 'Payroll modernization', answered('partly'))
    // Another project in between is not "last time".
    await save(member, 'Something else', answered('fully'))
    // 2 + 0 + 3 + 10 x 1 = 15 of 39 is 38%.
    const second = await save(member, '  PAYROLL   Modernization ', answered('partly', { [q1.slug]: 'mostly', [q2.slug]: 'not-yet', [q3.slug]: 'fully' }))
    expect((await assessmentRow(second))?.project_key).toBe((await assessmentRow(first))?.project_key)

    const html = await (await member.client.get(`/readiness/assessments/${second}`)).text()
    const main = text(html)
    expect(main).toContain('Overall readiness: 38%')
    expect(main).toMatch(/Last time \([^)]+\) it was 33%\./)
    expect(main).toMatch(/Compared with the one saved on [^.]+\./)
    expect(main).toContain('<th scope="col">Since last time</th>')
    expect(rankingRow(html, q1.area)).toContain('Up 1 step (was Partly)')
    expect(rankingRow(html, q2.area)).toContain('Down 1 step (was Partly)')
    expect(rankingRow(html, q3.area)).toContain('Up 2 steps (was Partly)')
    for (const q of questions.slice(3)) expect(rankingRow(html, q.area), q.slug).toContain('No change')

    // The first has nothing to compare with.
    const firstPage = text(await (await member.client.get(`/readiness/assessments/${first}`)).text())
    expect(firstPage).toContain('The first saved for this project.')
    expect(firstPage).not.toContain('Since last time')
  })

  it("never compares with another member's assessment of a project with the same name", async () => {
    const member = await signedIn(db)
    const stranger = await signedIn(db)
    await save(stranger, 'Shared name project', answered('fully'))
    const id = await save(member, 'Shared name project', answered('partly'))
    const main = text(await (await member.client.get(`/readiness/assessments/${id}`)).text())
    expect(main).toContain('The first saved for this project.')
    expect(main).not.toContain('Since last time')
    expect(main).not.toContain('Last time')
  })
})
