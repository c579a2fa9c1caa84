// Who may do what in the Case library, over real HTTP: every write (submit, save a draft, edit
// a draft, submit a draft, edit a published case, publish, return), tried by an anonymous
// visitor, the author, another member, a moderator and an admin. Allowed writes redirect and show
// in the database; refused ones answer 403, or 404 to someone who may not even see the case
// (anonymous visitors are sent to sign in), and change nothing. Then validation, draft privacy, the review queue, and the whole editorial flow.
// A member with an unconfirmed address or silenced is refused every contribution with the reason.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import {
  decodeHtml,
  errorSummary,
  fieldError,
  fieldValue,
  mainOf,
  openServerDatabase,
  PARTICIPATION_REFUSALS,
  type Person,
  restrict,
  RESTRICTIONS,
  signedIn,
} from './support'

const db = openServerDatabase()
afterAll(() => db.close())

type Who = 'anonymous' | 'author' | 'member' | 'moderator' | 'admin'

type Fields = Record<string, string | string[]>

/** Posts a form with repeated fields (phases, contributing modes) the way a browser does. */
function postForm(client: HttpClient, path: string, fields: Fields) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  }
  return client.request(path, {
    method: 'POST',
    body,
    headers: { Origin: client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

let n = 0
const unique = (text: string) => `${text} ${Date.now().toString(36)}x${++n}x${process.pid}`

/** A complete submission form, with taxonomy slugs from the curated content. */
function caseFields(overrides: Fields = {}): Fields {
  return {
    title: unique('Payroll go-live without a parallel run'),
    summary: 'The new payroll went live on a holiday weekend with no parallel run.',
    level: 'state',
    domain: 'finance-payroll-and-erp',
    jurisdiction: 'A state personnel department',
    budgetBand: '10m-100m',
    contractModel: 'Fixed-price systems integrator',
    years: '2016-2019',
    whatHappened: 'The cutover happened on a Friday and nobody had run the old and new side by side.',
    primaryMode: 'testing-cutover-stabilization',
    primaryHow: 'No parallel run before go-live',
    contributingMode: ['sponsorship-fades', ''],
    contributingHow: ['The sponsor left mid-project', ''],
    phases: ['testing', 'go-live-and-cutover'],
    rootCauses: 'Deadline fixed by statute\nNo test environment',
    lessons: '- Run old and new side by side\n- Keep the old system warm',
    recommendations: 'Plan a parallel run',
    correctiveAction: ['Hired a recovery team', ''],
    correctiveWorked: ['yes', 'unknown'],
    correctiveNote: ['Paid on time by month three', ''],
    outcome: 'recovered',
    outcomeDetail: 'Paychecks were late for six weeks.',
    sourceTitle: ['State audit of the payroll program', ''],
    sourcePublisher: ['State Auditor', ''],
    sourceNumber: ['Report 2020-14', ''],
    sourceDate: ['2020', ''],
    provenance: 'first-hand',
    firstHandStatement: 'I ran the claims service during the rollout',
    ...overrides,
  }
}

interface CaseRow {
  id: number
  slug: string
  status: string
  author_id: number
  title: string
  summary: string
  draft_json: string | null
  review_feedback: string | null
  is_anonymous: number
}

const caseOf = async (id: number) => (await db.one(sql`select * from cases where id = ${id}`)) as CaseRow
const casesTitled = async (title: string) => (await db.all(sql`select * from cases where title = ${title}`)) as CaseRow[]
const logOf = async (caseId: number) =>
  (await db.all(sql`select action, actor_id, case_id, reason from moderation_log where case_id = ${caseId} order by id`)) as {
    action: string
    actor_id: number
    case_id: number
    reason: string | null
  }[]
const revisionsOf = async (caseId: number) =>
  (await db.all(sql`select editor_id, note, snapshot_json from case_revisions where case_id = ${caseId} order by id`)) as {
    editor_id: number
    note: string | null
    snapshot_json: string
  }[]

/** Everything a case write could touch for one case. */
async function snapshot(caseId: number) {
  return {
    row: await caseOf(caseId),
    modes: await db.all(sql`select * from case_failure_modes where case_id = ${caseId} order by term_id`),
    phases: await db.all(sql`select * from case_phases where case_id = ${caseId} order by term_id`),
    revisions: await db.all(sql`select * from case_revisions where case_id = ${caseId} order by id`),
    reactions: await db.all(sql`select * from case_reactions where case_id = ${caseId} order by user_id, kind`),
    log: await db.all(sql`select * from moderation_log where case_id = ${caseId} order by id`),
    search: await db.all(sql`select rowid, title from cases_fts where rowid = ${caseId}`),
  }
}

const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

// ---------------------------------------------------------------------------------------------
// Fixtures: a case by `author` in the state a rule needs.

let setupModerator: Person
beforeAll(async () => {
  setupModerator = await signedIn(db, 'moderator')
})

interface Fixture {
  author: Person
  id: number
  slug: string
  fields: Fields
}

async function draftBy(author: Person): Promise<Fixture> {
  const fields = caseFields()
  const saved = await postForm(author.client, '/cases/new', { ...fields, intent: 'save' })
  expect(saved.status, await saved.clone().text()).toBe(302)
  const id = Number(/^\/cases\/submissions\/(\d+)$/.exec(saved.headers.get('location') ?? '')?.[1])
  expect(await caseOf(id)).toMatchObject({ status: 'draft', author_id: author.id })
  return { author, id, slug: (await caseOf(id)).slug, fields }
}

async function submittedBy(author: Person): Promise<Fixture> {
  const draft = await draftBy(author)
  const submitted = await postForm(author.client, `/cases/submissions/${draft.id}`, { ...draft.fields, intent: 'submit' })
  expect(submitted.status, await submitted.clone().text()).toBe(302)
  expect((await caseOf(draft.id)).status).toBe('submitted')
  return draft
}

async function publishedBy(author: Person): Promise<Fixture> {
  const fixture = await submittedBy(author)
  const published = await setupModerator.client.post('/moderation/cases', { caseId: String(fixture.id), decision: 'publish' })
  expect(published.status, await published.clone().text()).toBe(302)
  const row = await caseOf(fixture.id)
  expect(row.status).toBe('published')
  return { ...fixture, slug: row.slug }
}

// ---------------------------------------------------------------------------------------------
// The rules

interface Rule {
  /** Rules on a case the author made; null for writes that make a new case. */
  fixture: ((author: Person) => Promise<Fixture>) | null
  allowed: Who[]
  path: (fx: Fixture | null) => string
  fields: (fx: Fixture | null) => Fields
  /** Where an allowed write redirects. */
  location: (fx: Fixture | null, response: Response) => string | RegExp
  /** What an allowed write changed. */
  effect: (fx: Fixture | null, actor: Person, fields: Fields) => void
}

const RULES: Record<string, Rule> = {
  'submit a new case': {
    fixture: null,
    allowed: ['member', 'moderator', 'admin'],
    path: () => '/cases/new',
    fields: () => ({ ...caseFields(), intent: 'submit' }),
    location: () => '/cases/submissions',
    effect: async (_, actor, fields) => {
      const [row] = await casesTitled(fields.title as string)
      expect(row).toMatchObject({ status: 'submitted', author_id: actor.id, is_anonymous: 0 })
      expect(await db.one(sql`select count(*) as n from case_failure_modes where case_id = ${row.id}`)).toEqual({ n: 2 })
      expect(await db.one(sql`select count(*) as n from case_phases where case_id = ${row.id}`)).toEqual({ n: 2 })
    },
  },
  'save a new draft': {
    fixture: null,
    allowed: ['member', 'moderator', 'admin'],
    path: () => '/cases/new',
    // A draft may be incomplete.
    fields: () => ({ title: unique('Half a draft'), summary: '', level: '', intent: 'save' }),
    location: () => /^\/cases\/submissions\/\d+$/,
    effect: async (_, actor, fields) => {
      const rows = await casesTitled(fields.title as string)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ status: 'draft', author_id: actor.id })
      expect(JSON.parse(rows[0].draft_json!)).toMatchObject({ title: fields.title, summary: '', level: '' })
    },
  },
  'edit a draft': {
    fixture: draftBy,
    allowed: ['author'],
    path: (fx) => `/cases/submissions/${fx!.id}`,
    fields: (fx) => ({ ...fx!.fields, title: 'The draft, retitled by someone', intent: 'save' }),
    location: (fx) => `/cases/submissions/${fx!.id}`,
    effect: async (fx) => {
      const row = await caseOf(fx!.id)
      expect(row).toMatchObject({ status: 'draft', title: 'The draft, retitled by someone' })
      expect(JSON.parse(row.draft_json!).title).toBe('The draft, retitled by someone')
    },
  },
  'autosave a draft': {
    fixture: draftBy,
    allowed: ['author'],
    path: (fx) => `/cases/submissions/${fx!.id}`,
    fields: (fx) => ({ ...fx!.fields, summary: 'Autosaved summary', intent: 'autosave' }),
    location: () => '',
    effect: async (fx) => {
      expect(JSON.parse((await caseOf(fx!.id)).draft_json!).summary).toBe('Autosaved summary')
    },
  },
  'submit a draft': {
    fixture: draftBy,
    allowed: ['author'],
    path: (fx) => `/cases/submissions/${fx!.id}`,
    fields: (fx) => ({ ...fx!.fields, intent: 'submit' }),
    location: () => '/cases/submissions',
    effect: async (fx) => {
      expect(await caseOf(fx!.id)).toMatchObject({ status: 'submitted', title: fx!.fields.title })
    },
  },
  'edit a published case': {
    fixture: publishedBy,
    allowed: ['author', 'moderator', 'admin'],
    path: (fx) => `/cases/submissions/${fx!.id}`,
    fields: (fx) => ({ ...fx!.fields, summary: 'A corrected summary of the payroll launch.', intent: 'update', note: 'Corrected the summary' }),
    location: (fx) => `/cases/${fx!.slug}`,
    effect: async (fx, actor) => {
      expect(await caseOf(fx!.id)).toMatchObject({ status: 'published', slug: fx!.slug, summary: 'A corrected summary of the payroll launch.' })
      const revisions = await revisionsOf(fx!.id)
      expect(revisions).toMatchObject([{ editor_id: actor.id, note: 'Corrected the summary' }])
      expect(JSON.parse(revisions[0].snapshot_json).summary).toBe(fx!.fields.summary)
      if (actor.id !== fx!.author.id) {
        expect((await logOf(fx!.id)).at(-1)).toMatchObject({ action: 'case-edit', actor_id: actor.id, reason: 'Corrected the summary' })
      }
    },
  },
  publish: {
    fixture: submittedBy,
    allowed: ['moderator', 'admin'],
    path: () => '/moderation/cases',
    fields: (fx) => ({ caseId: String(fx!.id), decision: 'publish', feedback: 'Well sourced' }),
    location: () => '/moderation/cases',
    effect: async (fx, actor) => {
      const row = await caseOf(fx!.id)
      expect(row.status).toBe('published')
      expect(row.slug).toMatch(/^payroll-go-live-without-a-parallel-run-/)
      expect(await logOf(fx!.id)).toEqual([{ action: 'case-publish', actor_id: actor.id, case_id: fx!.id, reason: 'Well sourced' }])
      expect(await db.one(sql`select rowid from cases_fts where rowid = ${fx!.id}`)).toEqual({ rowid: fx!.id })
    },
  },
  return: {
    fixture: submittedBy,
    allowed: ['moderator', 'admin'],
    path: () => '/moderation/cases',
    fields: (fx) => ({ caseId: String(fx!.id), decision: 'return', feedback: 'Please add the audit figures.' }),
    location: () => '/moderation/cases',
    effect: async (fx, actor) => {
      expect(await caseOf(fx!.id)).toMatchObject({ status: 'returned', review_feedback: 'Please add the audit figures.' })
      expect(await logOf(fx!.id)).toEqual([
        { action: 'case-return', actor_id: actor.id, case_id: fx!.id, reason: 'Please add the audit figures.' },
      ])
    },
  },
}

const label = (who: Exclude<Who, 'anonymous'>) =>
  who === 'author' ? 'the author' : who === 'member' ? 'another member' : `a${who === 'admin' ? 'n' : ''} ${who}`

for (const [action, rule] of Object.entries(RULES)) {
  describe(action, () => {
    it('sends an anonymous visitor to sign in, and changes nothing', async () => {
      const fx = rule.fixture ? await rule.fixture(await signedIn(db)) : null
      const before = fx ? await snapshot(fx.id) : null
      const fields = rule.fields(fx)
      const path = rule.path(fx)
      const response = await postForm(new HttpClient(), path, fields)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(loginRedirect(path))
      if (fx) expect(await snapshot(fx.id)).toEqual(before)
      // Other test files write cases at the same time, so look for this write's own title.
      else expect(await casesTitled(fields.title as string)).toEqual([])
    })

    const whos = (['author', 'member', 'moderator', 'admin'] as const).filter((who) => who !== 'author' || rule.fixture)
    for (const who of whos) {
      if (rule.allowed.includes(who)) {
        it(`lets ${label(who)} do it, and the change is stored`, async () => {
          const author = await signedIn(db)
          const fx = rule.fixture ? await rule.fixture(author) : null
          const actor = who === 'author' ? author : await signedIn(db, who)
          const fields = rule.fields(fx)
          const response = await postForm(actor.client, rule.path(fx), fields)
          const expected = rule.location(fx, response)
          if (expected === '') {
            expect(response.status, await response.clone().text()).toBe(200)
          } else {
            expect(response.status, await response.clone().text()).toBe(302)
            if (typeof expected === 'string') expect(response.headers.get('location')).toBe(expected)
            else expect(response.headers.get('location')).toMatch(expected)
          }
          rule.effect(fx, actor, fields)
        })
      } else {
        // Another member may not see someone's unpublished case at all; a moderator may.
        const unseen = who === 'member' && rule.path({ id: 0 } as never).startsWith('/cases/submissions/')
        it(`refuses ${label(who)} with ${unseen ? 404 : 403} and changes nothing`, async () => {
          const author = await signedIn(db)
          const fx = (await rule.fixture!(author))!
          const actor = who === 'author' ? author : await signedIn(db, who)
          const before = await snapshot(fx.id)
          const response = await postForm(actor.client, rule.path(fx), rule.fields(fx))
          expect(response.status).toBe(unseen ? 404 : 403)
          expect(await snapshot(fx.id)).toEqual(before)
        })
      }
    }
  })
}

describe('members who may read but not take part', () => {
  interface Write {
    /** The case written to: the actor's own, or one another member published. */
    fixture: (actor: Person) => Promise<Fixture | null>
    path: (fx: Fixture | null) => string
    fields: (fx: Fixture | null) => Fields
  }
  const othersPublished = async () => publishedBy(await signedIn(db))
  const WRITES: Record<string, Write> = {
    'submit a new case': { fixture: async () => null, path: () => '/cases/new', fields: () => ({ ...caseFields(), intent: 'submit' }) },
    'submit their draft': { fixture: draftBy, path: (fx) => `/cases/submissions/${fx!.id}`, fields: (fx) => ({ ...fx!.fields, intent: 'submit' }) },
    'edit their published case': {
      fixture: publishedBy,
      path: (fx) => `/cases/submissions/${fx!.id}`,
      fields: (fx) => ({ ...fx!.fields, summary: 'Changed while read-only.', intent: 'update', note: 'A note' }),
    },
    'say they have seen it too': { fixture: othersPublished, path: (fx) => `/cases/${fx!.slug}`, fields: () => ({ intent: 'seen-too', seenLevel: 'state' }) },
    'say they applied a lesson': {
      fixture: othersPublished,
      path: (fx) => `/cases/${fx!.slug}`,
      fields: () => ({ intent: 'applied', recommendation: '0', result: 'worked', appliedNote: 'It helped' }),
    },
    'comment on a case': { fixture: othersPublished, path: (fx) => `/cases/${fx!.slug}`, fields: () => ({ intent: 'comment', body: unique('A refused comment') }) },
  }

  it.each(RESTRICTIONS.flatMap((restriction) => Object.keys(WRITES).map((write) => [write, restriction] as const)))(
    '%s: the %s member gets 403 with the reason, and nothing is written',
    async (write, restriction) => {
      const actor = await signedIn(db)
      const fx = await WRITES[write].fixture(actor)
      await restrict(db, actor, restriction)
      const fields = WRITES[write].fields(fx)
      const before = fx && await snapshot(fx.id)
      const written = async () => ({
        cases: await db.all(sql`select id, status from cases where author_id = ${actor.id} or title = ${fields.title ?? ''} order by id`),
        applications: await db.all(sql`select * from case_applications where user_id = ${actor.id}`),
        posts: await db.all(sql`select id from posts where author_id = ${actor.id}`),
      })
      const writtenBefore = await written()
      const response = await postForm(actor.client, WRITES[write].path(fx), fields)
      expect(response.status).toBe(403)
      expect(decodeHtml(await response.text())).toContain(PARTICIPATION_REFUSALS[restriction])
      if (fx) expect(await snapshot(fx.id)).toEqual(before)
      expect(await written()).toEqual(writtenBefore)
    },
  )
})

describe('states that refuse a write (409)', () => {
  it('a submitted case cannot be saved, submitted again or updated by its author', async () => {
    const fx = await submittedBy(await signedIn(db))
    const before = await snapshot(fx.id)
    for (const intent of ['save', 'submit', 'autosave']) {
      const response = await postForm(fx.author.client, `/cases/submissions/${fx.id}`, { ...fx.fields, title: 'Sneaky change after submit', intent })
      expect(response.status, intent).toBe(409)
    }
    expect(await snapshot(fx.id)).toEqual(before)
  })

  it('a published case cannot be published or returned again', async () => {
    const fx = await publishedBy(await signedIn(db))
    const before = await snapshot(fx.id)
    for (const decision of ['publish', 'return']) {
      const response = await setupModerator.client.post('/moderation/cases', { caseId: String(fx.id), decision, feedback: 'Again' })
      expect(response.status, decision).toBe(409)
    }
    expect(await snapshot(fx.id)).toEqual(before)
  })

  it('returning a case needs feedback (400)', async () => {
    const fx = await submittedBy(await signedIn(db))
    const before = await snapshot(fx.id)
    const response = await setupModerator.client.post('/moderation/cases', { caseId: String(fx.id), decision: 'return', feedback: '   ' })
    expect(response.status).toBe(400)
    expect(decodeHtml(await response.text())).toContain('Write what the author should change')
    expect(await snapshot(fx.id)).toEqual(before)
  })
})

describe('validation', () => {
  it('answers 400 with each message next to its field, keeping what was typed', async () => {
    const person = await signedIn(db)
    const fields = caseFields({
      title: 'Short',
      summary: '',
      jurisdiction: 'Kept <jurisdiction> & "quoted"',
      whatHappened: 'A narrative I typed & want <kept>.',
      lessons: '',
      intent: 'submit',
    })
    const response = await postForm(person.client, '/cases/new', fields)
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'title')).toBe('Title must be at least 8 characters')
    expect(fieldError(html, 'summary')).toBe('Enter a summary')
    expect(fieldError(html, 'lessons')).toBe('Add at least one lesson')
    expect(fieldError(html, 'jurisdiction')).toBeUndefined()
    expect(fieldValue(html, 'title')).toBe('Short')
    expect(fieldValue(html, 'jurisdiction')).toBe('Kept <jurisdiction> & "quoted"')
    const narrative = /<textarea[^>]*name="whatHappened"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1]
    expect(decodeHtml(narrative ?? '').trim()).toBe('A narrative I typed & want <kept>.')
    expect(/<select[^>]*name="level"[\s\S]*?<\/select>/.exec(html)?.[0]).toMatch(/<option value="state" selected="">/)
    const checkbox = (id: string) => new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? ''
    expect(checkbox('phase-testing')).toContain('checked')
    expect(checkbox('phase-procurement')).not.toContain('checked')
    expect(checkbox('provenance')).toContain('checked')
    // Nothing was stored.
    expect(await db.one(sql`select count(*) as n from cases where author_id = ${person.id}`)).toEqual({ n: 0 })
  })

  it('answers 400 next to the field for a level that is not in the taxonomy', async () => {
    const person = await signedIn(db)
    const response = await postForm(person.client, '/cases/new', caseFields({ level: 'moon', intent: 'submit' }))
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'level')).toBe('Choose a level from the list')
    expect(await db.one(sql`select count(*) as n from cases where author_id = ${person.id} and status = 'submitted'`)).toEqual({ n: 0 })
  })

  it('stores nothing for a submission refused for its taxonomy (no stray draft per attempt)', async () => {
    const person = await signedIn(db)
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await postForm(person.client, '/cases/new', caseFields({ level: 'moon', intent: 'submit' }))
      expect(response.status).toBe(400)
    }
    expect(await db.all(sql`select status, title from cases where author_id = ${person.id}`)).toEqual([])
  })

  it('answers 400 next to the field for a failure mode that is not in the taxonomy', async () => {
    const person = await signedIn(db)
    const response = await postForm(person.client, '/cases/new', caseFields({ primaryMode: 'gremlins', intent: 'submit' }))
    expect(response.status).toBe(400)
    const html = await response.text()
    // The message is in the summary at the top; it must also be next to the failure-mode field.
    expect(errorSummary(html)).toContain('Choose the primary failure mode from the list')
    expect(fieldError(html, 'primaryMode')).toBe('Choose the primary failure mode from the list')
    expect(await db.one(sql`select count(*) as n from cases where author_id = ${person.id} and status = 'submitted'`)).toEqual({ n: 0 })
  })

  it('keeps the typed text when an update of a published case is invalid', async () => {
    const fx = await publishedBy(await signedIn(db))
    const before = await snapshot(fx.id)
    const response = await postForm(fx.author.client, `/cases/submissions/${fx.id}`, {
      ...fx.fields,
      title: 'Tiny',
      summary: 'A new summary I do not want to lose',
      intent: 'update',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'title')).toBe('Title must be at least 8 characters')
    expect(fieldValue(html, 'title')).toBe('Tiny')
    expect(html).toContain('A new summary I do not want to lose')
    expect(await snapshot(fx.id)).toEqual(before)
  })
})

describe('who can see what', () => {
  it('shows a draft at its address to its author and moderators only (404 for anyone else)', async () => {
    const fx = await draftBy(await signedIn(db))
    const path = `/cases/${fx.slug}`
    expect((await new HttpClient().get(path)).status).toBe(404)
    expect((await (await signedIn(db)).client.get(path)).status).toBe(404)
    const own = await fx.author.client.get(path)
    expect(own.status).toBe(200)
    expect(decodeHtml(await own.text())).toContain('This case is not published')
    expect((await setupModerator.client.get(path)).status).toBe(200)
    // Nor can another member open its form, or tell it from a case that does not exist.
    const other = (await signedIn(db)).client
    await other.get('/') // shows, and so clears, the welcome message
    const hidden = await other.get(`/cases/submissions/${fx.id}`)
    const missing = await other.get('/cases/submissions/999999999')
    expect(hidden.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(mainOf(await hidden.text())).toBe(mainOf(await missing.text()))
  })

  it('shows the review queue to moderators and admins only', async () => {
    const fx = await submittedBy(await signedIn(db))
    expect((await (await signedIn(db)).client.get('/moderation/cases')).status).toBe(403)
    expect((await fx.author.client.get('/moderation/cases')).status).toBe(403)
    const anonymous = await new HttpClient().get('/moderation/cases')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe(loginRedirect('/moderation/cases'))
    for (const role of ['moderator', 'admin'] as const) {
      const response = await (await signedIn(db, role)).client.get('/moderation/cases')
      expect(response.status, role).toBe(200)
      expect(decodeHtml(await response.text()), role).toContain(fx.fields.title as string)
    }
  })

  it('sends an anonymous visitor to sign in for the submission pages', async () => {
    for (const path of ['/cases/new', '/cases/submissions', '/cases/submissions/1']) {
      const response = await new HttpClient().get(path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toBe(loginRedirect(path))
    }
  })
})

describe('the editorial flow', () => {
  it('submit, return with feedback, the author reads it and resubmits, publish: the case is in the library and its theme', async () => {
    const author = await signedIn(db)
    const moderator = await signedIn(db, 'moderator')
    const word = `flowmarker${Date.now().toString(36)}${process.pid}`
    const fields = caseFields({ whatHappened: `The ${word} cutover slipped twice.`, primaryMode: 'vendors-managed-to-deliverables' })
    const submitted = await postForm(author.client, '/cases/new', { ...fields, intent: 'submit' })
    expect(submitted.status).toBe(302)
    expect(submitted.headers.get('location')).toBe('/cases/submissions')
    const [row] = await casesTitled(fields.title as string)
    expect(row).toMatchObject({ status: 'submitted', author_id: author.id })

    // Not public while waiting.
    const search = `/cases?q=${word}`
    const theme = '/cases/themes/vendors-managed-to-deliverables'
    expect(await (await new HttpClient().get(search)).text()).not.toContain(fields.title as string)
    expect(await (await new HttpClient().get(theme)).text()).not.toContain(fields.title as string)

    const feedback = 'Please name the public source for the cost figures.'
    const returned = await moderator.client.post('/moderation/cases', { caseId: String(row.id), decision: 'return', feedback })
    expect(returned.status).toBe(302)
    expect(await caseOf(row.id)).toMatchObject({ status: 'returned', review_feedback: feedback })

    const mine = await author.client.get('/cases/submissions')
    const mineMain = decodeHtml(mainOf(await mine.text()).replaceAll('<!-- -->', ''))
    expect(mineMain).toContain(fields.title as string)
    expect(mineMain).toContain('Returned to you')
    expect(mineMain).toContain(feedback)
    const form = decodeHtml(await (await author.client.get(`/cases/submissions/${row.id}`)).text())
    expect(form).toContain(feedback)

    const resubmitted = await postForm(author.client, `/cases/submissions/${row.id}`, {
      ...fields,
      sourceTitle: ['State audit of the payroll program', 'Legislative cost review'],
      sourcePublisher: ['State Auditor', 'Legislative Budget Office'],
      sourceNumber: ['', ''],
      sourceDate: ['2020', '2021'],
      intent: 'submit',
    })
    expect(resubmitted.status).toBe(302)
    expect(await caseOf(row.id)).toMatchObject({ status: 'submitted', review_feedback: null })

    const published = await moderator.client.post('/moderation/cases', { caseId: String(row.id), decision: 'publish' })
    expect(published.status).toBe(302)
    const { slug, status } = await caseOf(row.id)
    expect(status).toBe('published')
    expect((await logOf(row.id)).map((l) => [l.action, l.actor_id])).toEqual([
      ['case-return', moderator.id],
      ['case-publish', moderator.id],
    ])

    const library = await new HttpClient().get(search)
    const libraryMain = decodeHtml(mainOf(await library.text()).replaceAll('<!-- -->', ''))
    expect(libraryMain).toContain(`href="/cases/${slug}"`)
    expect(libraryMain).toContain('1 case for')
    const byPublisher = await new HttpClient().get(`/cases?q=${encodeURIComponent(`Legislative Budget Office ${word}`)}`)
    expect(await byPublisher.text()).toContain(`href="/cases/${slug}"`)
    const themePage = await new HttpClient().get(theme)
    const themeMain = decodeHtml(mainOf(await themePage.text()).replaceAll('<!-- -->', ''))
    expect(themeMain).toContain(`href="/cases/${slug}"`)
    expect(themeMain).toContain(fields.title as string)
    const page = await new HttpClient().get(`/cases/${slug}`)
    expect(page.status).toBe(200)
    expect(decodeHtml(await page.text())).toContain(fields.title as string)

    const afterPublish = decodeHtml(mainOf(await (await author.client.get('/cases/submissions')).text()).replaceAll('<!-- -->', ''))
    expect(afterPublish).toContain(`href="/cases/${slug}"`)
    expect(afterPublish).not.toContain(feedback)
  })

  it('a published case is reachable at its address whatever its title (a title like "Submissions")', async () => {
    const author = await signedIn(db)
    const fields = caseFields({ title: 'Submissions', summary: `A case titled like a page ${unique('marker')}` })
    const submitted = await postForm(author.client, '/cases/new', { ...fields, intent: 'submit' })
    expect(submitted.status).toBe(302)
    const id = ((await db.one(sql`select id from cases where author_id = ${author.id} and status = 'submitted'`)) as { id: number }).id
    expect((await setupModerator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish' })).status).toBe(302)
    const { slug } = await caseOf(id)
    const response = await new HttpClient().get(`/cases/${slug}`)
    expect(response.status, `/cases/${slug}`).toBe(200)
    expect(decodeHtml(await response.text())).toContain(fields.summary as string)
  })

  it('reactions: one helpful and one "seen" per member, undoable, for signed-in members only', async () => {
    const fx = await publishedBy(await signedIn(db))
    const reader = await signedIn(db)
    const path = `/cases/${fx.slug}`
    const counts = async () => await db.one(sql`select helpful_count, seen_count from cases where id = ${fx.id}`)
    const anonymous = await new HttpClient().post(path, { intent: 'helpful' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe(loginRedirect(path))
    expect(await counts()).toEqual({ helpful_count: 0, seen_count: 0 })
    for (const [intent, expected] of [
      ['helpful', { helpful_count: 1, seen_count: 0 }],
      ['seen', { helpful_count: 1, seen_count: 1 }],
      ['helpful', { helpful_count: 0, seen_count: 1 }],
    ] as const) {
      const response = await reader.client.post(path, { intent })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(`${path}#reactions`)
      expect(await counts()).toEqual(expected)
    }
    expect(await db.all(sql`select user_id, kind from case_reactions where case_id = ${fx.id}`)).toEqual([{ user_id: reader.id, kind: 'seen' }])
  })
})
