// The Case library's model: drafts, submission, editorial review, edits with history,
// reactions, related cases and themes. The file makes its own taxonomy (no curated content), so
// every number below is worked out from the cases it creates.
import { beforeAll, describe, expect, it } from 'vitest'
import { db, writeTransaction } from '../../db/client'
import type { GovernmentLevel, MemberType, Role } from '../../db/schema'
import type { CaseContent } from '../../app/lib/case-fields'
import { type CaseFormState, contentToCaseForm, emptyCaseForm } from '../../app/lib/case-form'
import { browseCases } from '../../app/models/case-browse.server'
import { upsertCuratedCase } from '../../app/models/case-content.server'
import { getCaseHistory } from '../../app/models/case-history.server'
import { toggleCaseReaction } from '../../app/models/case-reactions.server'
import { getCase, listNewCases, relatedCases, type Viewer } from '../../app/models/case-reading.server'
import { editPublishedCase, getCaseForEditing, listCasesForReview, listMySubmissions, publishCase, returnCase, saveCaseDraft, submitCase } from '../../app/models/case-submission.server'
import { getTheme, listThemes } from '../../app/models/case-themes.server'
import { type Facet, upsertTerm } from '../../app/models/taxonomy.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { must, validCaseContent as validContent } from '../helpers/model-fixtures'

// ---------------------------------------------------------------------------------------------
// Taxonomy: general terms, plus failure modes and domains kept for the related and theme tests
// so other tests' cases cannot change their numbers.

const TERMS: Record<Facet, string[]> = {
  'failure-mode': ['scope-creep', 'weak-sponsor', 'bad-data', 'no-testing', 'r1', 'r2', 'r3', 'rx', 'th1', 'th2', 'th3'],
  phase: ['design', 'build', 'launch'],
  level: ['state', 'local'],
  domain: ['tax', 'health', 'rel-a', 'rel-b', 'themes-domain'],
  outcome: ['cancelled', 'recovered'],
}

beforeAll(async () => {
  for (const [facet, slugs] of Object.entries(TERMS) as [Facet, string[]][]) {
    for (const [index, slug] of slugs.entries()) {
      await upsertTerm(
        {
          facet,
          slug,
          name: `Name of ${slug}`,
          description: `About ${slug}.`,
          warningSigns: facet === 'failure-mode' ? [`Sign of ${slug}`] : [],
          prevention: facet === 'failure-mode' ? [`Prevent ${slug}`] : [],
          position: index + 1,
        },
        `${facet}/${slug}`,
      )
    }
  }
})

// ---------------------------------------------------------------------------------------------
// Helpers

type Member = Viewer & { handle: string; displayName: string }
let memberCount = 0

async function newMember(
  role: Role = 'member',
  profile: { memberType?: MemberType; governmentLevel?: GovernmentLevel } = {},
): Promise<Member> {
  const n = ++memberCount
  const handle = `case-${role}-${n}`
  const displayName = `Case Person ${n}`
  const { userId } = await createOrPromoteAccount({ email: `${handle}@cases.example.gov`, role, handle, displayName, ...profile })
  return { id: userId, role, handle, displayName }
}

async function submitted(author: Member, content = validContent()): Promise<number> {
  return must(await submitCase(author, null, contentToCaseForm(content), content)).id
}

let moderator: Member
let admin: Member
beforeAll(async () => {
  moderator = await newMember('moderator')
  admin = await newMember('admin')
})

async function published(author: Member, content = validContent()): Promise<{ id: number; slug: string }> {
  const id = await submitted(author, content)
  return { id, ...must(await publishCase(moderator, id, null)) }
}

const caseRow = (id: number) => db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const logOf = (caseId: number) => db.selectFrom('moderation_log').selectAll().where('case_id', '=', caseId).orderBy('id').execute()
const revisionsOf = (caseId: number) => db.selectFrom('case_revisions').selectAll().where('case_id', '=', caseId).orderBy('id').execute()
const modesOf = (caseId: number) =>
  db
    .selectFrom('case_failure_modes as m')
    .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
    .select(['t.slug', 'm.is_primary', 'm.how'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.is_primary', 'desc')
    .orderBy('t.slug')
    .execute()
const phasesOf = async (caseId: number) =>
  (
    await db
      .selectFrom('case_phases as p')
      .innerJoin('taxonomy_terms as t', 't.id', 'p.term_id')
      .select('t.slug')
      .where('p.case_id', '=', caseId)
      .orderBy('t.slug')
      .execute()
  ).map((r) => r.slug)
const inSearchIndex = async (caseId: number) =>
  !!(await db.selectFrom('cases_fts').select('rowid').where('rowid', '=', caseId).executeTakeFirst())
const searchSlugs = async (q: string) =>
  (await browseCases({ q, mode: [], avoided: [], phase: [], level: [], domain: [], outcome: [], sort: 'relevance', page: 1 })).cases.map((c) => c.slug)

/** Everything a case write could touch for one case. */
async function everything(caseId: number) {
  return {
    row: await caseRow(caseId),
    modes: await modesOf(caseId),
    phases: await phasesOf(caseId),
    revisions: await revisionsOf(caseId),
    log: await logOf(caseId),
    reactions: await db.selectFrom('case_reactions').selectAll().where('case_id', '=', caseId).orderBy('user_id').execute(),
    indexed: await inSearchIndex(caseId),
  }
}

// ---------------------------------------------------------------------------------------------

describe('saveCaseDraft', () => {
  it('creates a draft from an incomplete form, for its author only to see', async () => {
    const author = await newMember()
    const form: CaseFormState = { ...emptyCaseForm(), title: '  Half a thought  ', phases: ['build'], lessons: 'One lesson' }
    const { id } = must(await saveCaseDraft(author, null, form))
    const row = await caseRow(id)
    expect(row).toMatchObject({ status: 'draft', author_id: author.id, title: 'Half a thought', submitted_at: null, published_at: null })
    expect(JSON.parse(row.draft_json!)).toEqual(form)
    expect(must(await getCaseForEditing(author, id)).form).toEqual(form)
    expect(await listMySubmissions(author.id)).toMatchObject([{ id, status: 'draft', title: 'Half a thought', feedback: null }])
    expect(await modesOf(id)).toEqual([])
    expect(await inSearchIndex(id)).toBe(false)
  })

  it('names an untitled draft', async () => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, emptyCaseForm()))
    expect((await caseRow(id)).title).toBe('Untitled draft')
  })

  it('updates the same draft when its author saves again', async () => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, { ...emptyCaseForm(), title: 'First go' }))
    const later = { ...contentToCaseForm(validContent()), title: 'Second go, with more' }
    expect(must(await saveCaseDraft(author, id, later))).toEqual({ id })
    expect(JSON.parse((await caseRow(id)).draft_json!)).toEqual(later)
    expect((await caseRow(id)).title).toBe('Second go, with more')
    expect(await listMySubmissions(author.id)).toHaveLength(1)
  })

  it.each<[Role, number]>([
    ['member', 404],
    ['moderator', 403],
    ['admin', 403],
  ])('refuses someone else (a %s) with %i and changes nothing', async (role, status) => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, { ...emptyCaseForm(), title: 'Mine' }))
    const before = await everything(id)
    const other = await newMember(role)
    const refused = await saveCaseDraft(other, id, { ...emptyCaseForm(), title: 'Theirs' })
    // A member may not see the draft at all, so it answers as a missing one would.
    expect(refused).toMatchObject({ ok: false, status })
    expect(await everything(id)).toEqual(before)
  })

  it('refuses with 409 once submitted, and once published', async () => {
    const author = await newMember()
    const id = await submitted(author)
    const before = await everything(id)
    expect(await saveCaseDraft(author, id, { ...emptyCaseForm(), title: 'Changed my mind' })).toMatchObject({ ok: false, status: 409 })
    expect(await everything(id)).toEqual(before)
    must(await publishCase(moderator, id, null))
    const after = await everything(id)
    expect(await saveCaseDraft(author, id, { ...emptyCaseForm(), title: 'Changed my mind' })).toMatchObject({ ok: false, status: 409 })
    expect(await everything(id)).toEqual(after)
  })

  it('lets the author change a returned case again', async () => {
    const author = await newMember()
    const id = await submitted(author)
    must(await returnCase(moderator, id, 'Add a source'))
    expect(must(await saveCaseDraft(author, id, { ...emptyCaseForm(), title: 'Revised after feedback' }))).toEqual({ id })
    expect(await caseRow(id)).toMatchObject({ status: 'returned', title: 'Revised after feedback' })
  })

  it('answers 404 for a case that does not exist', async () => {
    const author = await newMember()
    expect(await saveCaseDraft(author, 987_654, emptyCaseForm())).toMatchObject({ ok: false, status: 404 })
  })
})

describe('submitCase', () => {
  it('moves a draft to submitted with its failure modes and phases, not yet public or searchable', async () => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, { ...emptyCaseForm(), title: 'Start' }))
    const content = validContent({
      contributingFailureModes: [
        { slug: 'weak-sponsor', how: 'Sponsor left' },
        { slug: 'bad-data', how: 'Dirty records' },
      ],
    })
    const form = contentToCaseForm(content)
    expect(must(await submitCase(author, id, form, content))).toEqual({ id })
    const row = await caseRow(id)
    expect(row).toMatchObject({ status: 'submitted', title: content.title, level: 'state', domain: 'tax', outcome: 'recovered', review_feedback: null })
    expect(row.submitted_at).not.toBeNull()
    expect(row.published_at).toBeNull()
    expect(row.what_happened_html).toContain('<strong>cutover</strong>')
    expect(JSON.parse(row.draft_json!)).toEqual(form)
    expect(JSON.parse(row.sources_json)).toEqual(content.sources)
    expect(await modesOf(id)).toEqual([
      { slug: 'no-testing', is_primary: 1, how: 'No parallel run before go-live' },
      { slug: 'bad-data', is_primary: 0, how: 'Dirty records' },
      { slug: 'weak-sponsor', is_primary: 0, how: 'Sponsor left' },
    ])
    expect(await phasesOf(id)).toEqual(['build', 'launch'])
    expect(await inSearchIndex(id)).toBe(false)
    expect(await searchSlugs(content.title)).toEqual([])
    expect((await listCasesForReview()).map((c) => c.id)).toContain(id)

    // Visible to its author and moderators only.
    expect(await getCase(row.slug, author)).toMatchObject({ id, status: 'submitted', viewer: { isAuthor: true, canEdit: false } })
    expect(await getCase(row.slug, moderator)).toMatchObject({ id, status: 'submitted' })
    expect(await getCase(row.slug, await newMember())).toBeNull()
    expect(await getCase(row.slug, null)).toBeNull()
  })

  it('renders the narrative as sanitized HTML', async () => {
    const author = await newMember()
    const id = await submitted(
      author,
      validContent({ whatHappened: 'Plain *words*.\n\n<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>' }),
    )
    const html = (await caseRow(id)).what_happened_html
    expect(html).toContain('<em>words</em>')
    expect(html).not.toMatch(/<script|onerror|javascript:/i)
  })

  it('creates and submits a case in one step', async () => {
    const author = await newMember()
    const id = await submitted(author)
    expect(await caseRow(id)).toMatchObject({ status: 'submitted', author_id: author.id })
  })

  it.each<[string, Partial<CaseContent>, string]>([
    ['an unknown level', { level: 'moon' }, 'level'],
    ['a domain slug as the level', { level: 'tax' }, 'level'],
    ['an unknown domain', { domain: 'astrology' }, 'domain'],
    ['an unknown outcome', { outcome: 'exploded' }, 'outcome'],
    ['an unknown primary failure mode', { primaryFailureMode: { slug: 'gremlins', how: 'Everywhere' } }, 'primaryFailureMode'],
    ['a phase slug as the primary failure mode', { primaryFailureMode: { slug: 'build', how: 'Everywhere' } }, 'primaryFailureMode'],
    ['an unknown phase', { phases: ['build', 'afterlife'] }, 'phases'],
    [
      'a failure mode named twice',
      { contributingFailureModes: [{ slug: 'no-testing', how: 'Again' }] },
      'contributingFailureModes',
    ],
  ])('refuses %s with 400 naming the field, and the case stays a draft', async (_, overrides, field) => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, { ...emptyCaseForm(), title: 'About to submit' }))
    const content = validContent(overrides)
    const refused = await submitCase(author, id, contentToCaseForm(content), content)
    expect(refused).toMatchObject({ ok: false, status: 400, field })
    const row = await caseRow(id)
    expect(row).toMatchObject({ status: 'draft', submitted_at: null })
    expect(await modesOf(id)).toEqual([])
    expect(await phasesOf(id)).toEqual([])
  })

  it('refuses an unknown contributing failure mode with 400', async () => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, emptyCaseForm()))
    const content = validContent({ contributingFailureModes: [{ slug: 'gremlins', how: 'Everywhere' }] })
    expect(await submitCase(author, id, contentToCaseForm(content), content)).toMatchObject({ ok: false, status: 400 })
    expect((await caseRow(id)).status).toBe('draft')
  })

  it("refuses someone else's draft (404 to a member, who may not see it; 403 to a moderator), and a case already submitted with 409", async () => {
    const author = await newMember()
    const { id } = must(await saveCaseDraft(author, null, emptyCaseForm()))
    const content = validContent()
    const before = await everything(id)
    expect(await submitCase(await newMember(), id, contentToCaseForm(content), content)).toMatchObject({ ok: false, status: 404 })
    expect(await submitCase(moderator, id, contentToCaseForm(content), content)).toMatchObject({ ok: false, status: 403 })
    expect(await everything(id)).toEqual(before)

    must(await submitCase(author, id, contentToCaseForm(content), content))
    const afterSubmit = await everything(id)
    expect(await submitCase(author, id, contentToCaseForm(content), content)).toMatchObject({ ok: false, status: 409 })
    expect(await everything(id)).toEqual(afterSubmit)
  })
})

describe('publishCase and returnCase', () => {
  it.each(['another member', 'the author'])('refuse %s with 403 and change nothing', async (who) => {
    const author = await newMember()
    const id = await submitted(author)
    const actor = who === 'the author' ? author : await newMember()
    const before = await everything(id)
    expect(await publishCase(actor, id, null)).toMatchObject({ ok: false, status: 403 })
    expect(await returnCase(actor, id, 'Not good enough')).toMatchObject({ ok: false, status: 403 })
    expect(await everything(id)).toEqual(before)
  })

  it.each(['moderator', 'admin'] as const)('lets a %s publish: a slug from the title, in search, logged', async (role) => {
    const author = await newMember()
    const title = `Benefits portal launched before the rules engine was ready (${role})`
    const id = await submitted(author, validContent({ title, whatHappened: `The ${role}quasar rules engine was late.` }))
    const actor = role === 'admin' ? admin : moderator
    const { slug } = must(await publishCase(actor, id, 'Well sourced'))
    expect(slug).toBe(`benefits-portal-launched-before-the-rules-engine-was-ready-${role}`)
    const row = await caseRow(id)
    expect(row).toMatchObject({ status: 'published', slug, draft_json: null, review_feedback: null })
    expect(row.published_at).not.toBeNull()
    expect(await inSearchIndex(id)).toBe(true)
    expect(await searchSlugs(`${role}quasar`)).toEqual([slug])
    expect(await logOf(id)).toMatchObject([{ action: 'case-publish', case_id: id, actor_id: actor.id, reason: 'Well sourced' }])
    expect(await getCase(slug, null)).toMatchObject({ id, status: 'published', title })
    expect((await listCasesForReview()).map((c) => c.id)).not.toContain(id)
  })

  it('gives each published case a unique slug', async () => {
    const author = await newMember()
    const title = 'Identical titles make identical slugs unless numbered'
    const slugs = []
    for (let i = 0; i < 3; i++) slugs.push((await published(author, validContent({ title }))).slug)
    expect(slugs).toEqual([
      'identical-titles-make-identical-slugs-unless-numbered',
      'identical-titles-make-identical-slugs-unless-numbered-2',
      'identical-titles-make-identical-slugs-unless-numbered-3',
    ])
  })

  it.each(['Submissions', 'New!!!!!', 'Themes!!'])(
    'never gives a case a slug that is one of the library’s own addresses (/cases/new, /cases/submissions, /cases/themes): %s',
    async (title) => {
      const { slug } = await published(await newMember(), validContent({ title }))
      expect(['new', 'submissions', 'themes']).not.toContain(slug)
    },
  )

  it('lets a moderator return a case with feedback its author sees, logged', async () => {
    const author = await newMember()
    const id = await submitted(author)
    must(await returnCase(moderator, id, 'Please add a public source for the cost figures.'))
    expect(await caseRow(id)).toMatchObject({ status: 'returned', review_feedback: 'Please add a public source for the cost figures.' })
    expect(await listMySubmissions(author.id)).toMatchObject([
      { id, status: 'returned', feedback: 'Please add a public source for the cost figures.' },
    ])
    expect(must(await getCaseForEditing(author, id)).feedback).toBe('Please add a public source for the cost figures.')
    expect(await logOf(id)).toMatchObject([
      { action: 'case-return', case_id: id, actor_id: moderator.id, reason: 'Please add a public source for the cost figures.' },
    ])
    expect(await inSearchIndex(id)).toBe(false)
    // Another member's submissions do not include it.
    expect(await listMySubmissions((await newMember()).id)).toEqual([])
  })

  it('publishes a resubmitted case, clearing the feedback', async () => {
    const author = await newMember()
    const id = await submitted(author)
    must(await returnCase(admin, id, 'Shorten the summary'))
    const revised = validContent({ summary: 'Shorter.' })
    must(await submitCase(author, id, contentToCaseForm(revised), revised))
    expect(await caseRow(id)).toMatchObject({ status: 'submitted', review_feedback: null, summary: 'Shorter.' })
    must(await publishCase(moderator, id, null))
    expect(await logOf(id)).toMatchObject([
      { action: 'case-return', actor_id: admin.id, reason: 'Shorten the summary' },
      { action: 'case-publish', actor_id: moderator.id, reason: null },
    ])
  })

  it('publish and return work only from submitted (409 otherwise), and 404 for no case', async () => {
    const author = await newMember()
    const { id: draftId } = must(await saveCaseDraft(author, null, emptyCaseForm()))
    const returnedId = await submitted(author)
    must(await returnCase(moderator, returnedId, 'Needs work'))
    const { id: publishedId } = await published(author)
    for (const id of [draftId, returnedId, publishedId]) {
      const before = await everything(id)
      expect(await publishCase(moderator, id, null)).toMatchObject({ ok: false, status: 409 })
      expect(await returnCase(moderator, id, 'Again')).toMatchObject({ ok: false, status: 409 })
      expect(await everything(id)).toEqual(before)
    }
    expect(await publishCase(moderator, 987_654, null)).toMatchObject({ ok: false, status: 404 })
    expect(await returnCase(moderator, 987_654, 'x')).toMatchObject({ ok: false, status: 404 })
  })
})

describe('editPublishedCase and getCaseHistory', () => {
  it('lets the author edit, keeping the previous text as a revision', async () => {
    const author = await newMember()
    const content = validContent()
    const { id, slug } = await published(author, content)
    const edited = { ...content, title: `${content.title} (revised)` }
    must(await editPublishedCase(author, id, edited, 'Clearer title'))
    expect((await caseRow(id)).title).toBe(edited.title)
    expect((await caseRow(id)).slug).toBe(slug)
    const revisions = await revisionsOf(id)
    expect(revisions).toMatchObject([{ editor_id: author.id, note: 'Clearer title' }])
    expect(JSON.parse(revisions[0].snapshot_json)).toMatchObject({
      title: content.title,
      failure_modes: [{ slug: 'no-testing', is_primary: 1 }, { slug: 'weak-sponsor', is_primary: 0 }],
    })
    expect((await getCase(slug, null))?.revisionCount).toBe(1)
  })

  it.each(['moderator', 'admin'] as const)('lets a %s edit, logged with the note', async (role) => {
    const author = await newMember()
    const content = validContent()
    const { id } = await published(author, content)
    const actor = role === 'admin' ? admin : moderator
    must(await editPublishedCase(actor, id, { ...content, summary: 'Tightened by a moderator.' }, 'Removed a name'))
    expect((await caseRow(id)).summary).toBe('Tightened by a moderator.')
    expect(await revisionsOf(id)).toMatchObject([{ editor_id: actor.id, note: 'Removed a name' }])
    expect((await logOf(id)).at(-1)).toMatchObject({ action: 'case-edit', case_id: id, actor_id: actor.id, reason: 'Removed a name' })
  })

  it('refuses another member as if the case did not exist, and a case not published with 409, changing nothing', async () => {
    const author = await newMember()
    const content = validContent()
    const { id } = await published(author, content)
    const before = await everything(id)
    expect(await editPublishedCase(await newMember(), id, { ...content, title: 'Vandalized title here' }, null)).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(await everything(id)).toEqual(before)

    const waiting = await submitted(author)
    const waitingBefore = await everything(waiting)
    expect(await editPublishedCase(author, waiting, content, null)).toMatchObject({ ok: false, status: 409 })
    expect(await editPublishedCase(moderator, waiting, content, null)).toMatchObject({ ok: false, status: 409 })
    expect(await everything(waiting)).toEqual(waitingBefore)
    expect(await editPublishedCase(author, 987_654, content, null)).toMatchObject({ ok: false, status: 404 })
  })

  it('reports exactly the fields each version changed, newest first', async () => {
    const author = await newMember()
    const content = validContent()
    const { id } = await published(author, content)
    const second = { ...content, title: `${content.title}, revised`, lessons: ['Run old and new side by side', 'Keep the old system warm'] }
    must(await editPublishedCase(author, id, second, 'Added a lesson'))
    const third = { ...second, primaryFailureMode: { slug: 'no-testing', how: 'Testing was cut to make the date' } }
    must(await editPublishedCase(moderator, id, third, null))

    const history = await getCaseHistory(id)
    expect(history.map((v) => v.label)).toEqual(['Version 3 (current)', 'Version 2', 'Version 1'])
    expect(history.map((v) => v.note)).toEqual([null, 'Added a lesson', null])
    expect(history[2].changes).toEqual([])
    expect(history[2].createdAt).toBe((await caseRow(id)).published_at)
    expect(history[1].changes).toEqual([
      { field: 'Title', before: content.title, after: second.title },
      { field: 'Lessons learned', before: '• Run old and new side by side', after: '• Run old and new side by side\n• Keep the old system warm' },
    ])
    expect(history[0].changes).toEqual([
      {
        field: 'Failure modes',
        before: 'Primary: no-testing: No parallel run before go-live\nContributing: weak-sponsor: The sponsor left mid-project',
        after: 'Primary: no-testing: Testing was cut to make the date\nContributing: weak-sponsor: The sponsor left mid-project',
      },
    ])
  })

  it('keeps search equal to the edited text', async () => {
    const author = await newMember()
    const content = validContent({ whatHappened: 'The firstwordzz system stalled.' })
    const { id, slug } = await published(author, content)
    expect(await searchSlugs('firstwordzz')).toEqual([slug])
    must(await editPublishedCase(author, id, { ...content, whatHappened: 'The secondwordzz system stalled.' }, null))
    expect(await searchSlugs('firstwordzz')).toEqual([])
    expect(await searchSlugs('secondwordzz')).toEqual([slug])
  })

  it('keeps no revision for an edit it refuses (an unknown taxonomy slug)', async () => {
    const author = await newMember()
    const content = validContent()
    const { id, slug } = await published(author, content)
    const before = await everything(id)
    const refused = await editPublishedCase(author, id, { ...content, level: 'moon', title: 'A title that must not stick' }, 'Bad edit')
    expect(refused).toMatchObject({ ok: false, status: 400, field: 'level' })
    expect(await everything(id)).toEqual(before)
    expect(await revisionsOf(id)).toEqual([])
    expect((await getCase(slug, null))?.revisionCount).toBe(0)
    expect(await getCaseHistory(id)).toHaveLength(1)
  })

  it('reports a change of phases in the history', async () => {
    const author = await newMember()
    const content = validContent({ phases: ['build'] })
    const { id } = await published(author, content)
    must(await editPublishedCase(author, id, { ...content, phases: ['build', 'design'] }, 'Design too'))
    expect(await phasesOf(id)).toEqual(['build', 'design'])
    const [latest] = await getCaseHistory(id)
    expect(latest.changes.length).toBeGreaterThan(0)
    expect(latest.changes.map((c) => c.field).join(' ')).toMatch(/phase/i)
  })
})

describe('toggleCaseReaction', () => {
  it('keeps one mark per member per kind, undoable, with counts matching the rows', async () => {
    const { id, slug } = await published(await newMember())
    const readers = [await newMember(), await newMember(), await newMember()]
    const state = async () => {
      const row = await caseRow(id)
      const rows = await db.selectFrom('case_reactions').select(['user_id', 'kind']).where('case_id', '=', id).execute()
      return {
        helpful: row.helpful_count,
        seen: row.seen_count,
        helpfulRows: rows.filter((r) => r.kind === 'helpful').length,
        seenRows: rows.filter((r) => r.kind === 'seen').length,
      }
    }
    const steps: [Member, 'helpful' | 'seen', boolean, number, number][] = [
      [readers[0], 'helpful', true, 1, 0],
      [readers[1], 'helpful', true, 2, 0],
      [readers[0], 'seen', true, 2, 1],
      [readers[0], 'helpful', false, 1, 1],
      [readers[2], 'seen', true, 1, 2],
      [readers[0], 'helpful', true, 2, 2],
      [readers[2], 'seen', false, 2, 1],
      [readers[1], 'helpful', false, 1, 1],
    ]
    for (const [reader, kind, marked, helpful, seen] of steps) {
      expect(must(await toggleCaseReaction(reader, id, kind))).toEqual({ marked })
      expect(await state()).toEqual({ helpful, seen, helpfulRows: helpful, seenRows: seen })
    }
    expect((await getCase(slug, readers[0]))?.viewer).toMatchObject({ markedHelpful: true, markedSeen: true })
    expect((await getCase(slug, readers[1]))?.viewer).toMatchObject({ markedHelpful: false, markedSeen: false })
    expect(await getCase(slug, null)).toMatchObject({ helpfulCount: 1, seenCount: 1 })
  })

  it('refuses the author a mark on their own case (403), as for posts', async () => {
    const author = await newMember()
    const { id } = await published(author)
    expect(await toggleCaseReaction(author, id, 'helpful')).toMatchObject({ ok: false, status: 403 })
    expect(await toggleCaseReaction(author, id, 'seen')).toMatchObject({ ok: false, status: 403 })
    expect(await caseRow(id)).toMatchObject({ helpful_count: 0, seen_count: 0 })
  })

  it('answers 404 for a case that is not published', async () => {
    const author = await newMember()
    const id = await submitted(author)
    const before = await everything(id)
    expect(await toggleCaseReaction(await newMember(), id, 'helpful')).toMatchObject({ ok: false, status: 404 })
    expect(await toggleCaseReaction(author, id, 'seen')).toMatchObject({ ok: false, status: 404 })
    expect(await everything(id)).toEqual(before)
  })
})

describe('anonymous authors', () => {
  it('shows readers a label with member type and level, and moderators the author', async () => {
    const author = await newMember('member', { memberType: 'leader', governmentLevel: 'tribal' })
    const { slug } = await published(author, validContent({ isAnonymous: true }))
    for (const viewer of [null, await newMember()]) {
      const detail = await getCase(slug, viewer)
      expect(detail?.author).toEqual({ anonymous: true, label: 'Anonymous tribal leader' })
      const text = JSON.stringify(detail)
      expect(text).not.toContain(author.handle)
      expect(text).not.toContain(author.displayName)
    }
    expect((await getCase(slug, author))?.author).toEqual({ anonymous: true, label: 'Anonymous tribal leader' })
    expect((await getCase(slug, moderator))?.author).toEqual({
      anonymous: true,
      label: 'Anonymous tribal leader',
      revealedTo: { handle: author.handle, displayName: author.displayName },
    })
  })

  it('keeps the label the case was published with when the author edits their profile', async () => {
    const author = await newMember('member', { memberType: 'practitioner', governmentLevel: 'state' })
    const waiting = await submitted(author, validContent({ isAnonymous: true }))
    // A profile change before publication is what the case is published with.
    await db.updateTable('users').set({ member_type: 'leader', government_level: 'tribal' }).where('id', '=', author.id).execute()
    const draftSlug = (await caseRow(waiting)).slug
    expect((await getCase(draftSlug, author))?.author).toEqual({ anonymous: true, label: 'Anonymous tribal leader' })
    const { slug } = must(await publishCase(moderator, waiting, null))
    const first = await published(author, validContent({ isAnonymous: true }))

    await db.updateTable('users').set({ member_type: 'advisor', government_level: 'international' }).where('id', '=', author.id).execute()
    for (const caseSlug of [slug, first.slug]) {
      expect((await getCase(caseSlug, null))?.author).toEqual({ anonymous: true, label: 'Anonymous tribal leader' })
    }
    const feed = await listNewCases(200)
    expect(feed.filter((c) => c.slug === slug || c.slug === first.slug).map((c) => c.author)).toEqual(['Anonymous tribal leader', 'Anonymous tribal leader'])
    expect(JSON.stringify(feed)).not.toContain('Anonymous international advisor')
  })

  it('names the author of a case that is not anonymous', async () => {
    const author = await newMember()
    const { slug } = await published(author)
    expect((await getCase(slug, null))?.author).toEqual({ anonymous: false, handle: author.handle, displayName: author.displayName })
  })
})

// ---------------------------------------------------------------------------------------------
// Related cases and themes, on failure modes and domains no other test uses.

interface Curated {
  key: string
  modes: string[]
  phases: string[]
  domain: string
  publishedAt: string
}

async function curate(cases: Curated[]): Promise<Record<string, { id: number; slug: string }>> {
  const editor = await newMember()
  const made: Record<string, { id: number; slug: string }> = {}
  await writeTransaction(async (trx) => {
    for (const c of cases) {
      const [primary, ...contributing] = c.modes
      const slug = `curated-${c.key}`
      await upsertCuratedCase(trx, {
        key: `test/${c.key}`,
        hash: c.key,
        slug,
        authorId: editor.id,
        publishedAt: c.publishedAt,
        content: validContent({
          title: `Curated case ${c.key}`,
          domain: c.domain,
          primaryFailureMode: { slug: primary, how: `${c.key} primary` },
          contributingFailureModes: contributing.map((m) => ({ slug: m, how: `${c.key} contributing ${m}` })),
          phases: c.phases,
        }),
      })
      made[c.key] = { id: (await trx.selectFrom('cases').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id, slug }
    }
  })
  return made
}

describe('relatedCases', () => {
  it('orders by shared failure modes, then shared phases, then the same domain; published only', async () => {
    const at = (day: number) => new Date(Date.UTC(2019, 0, day)).toISOString()
    const made = await curate([
      { key: 'target', modes: ['r1', 'r2', 'r3'], phases: ['design', 'build'], domain: 'rel-a', publishedAt: at(1) },
      { key: 'shares-3', modes: ['r2', 'r1', 'r3'], phases: ['launch'], domain: 'rel-b', publishedAt: at(2) },
      { key: 'shares-2', modes: ['r1', 'r2'], phases: ['launch'], domain: 'rel-b', publishedAt: at(3) },
      { key: 'shares-2-and-phases', modes: ['r3', 'r1'], phases: ['design', 'build'], domain: 'rel-b', publishedAt: at(4) },
      { key: 'shares-1', modes: ['r3', 'rx'], phases: ['launch'], domain: 'rel-b', publishedAt: at(5) },
      { key: 'same-domain', modes: ['rx'], phases: ['launch'], domain: 'rel-a', publishedAt: at(6) },
      { key: 'unrelated', modes: ['rx'], phases: ['design', 'build'], domain: 'rel-b', publishedAt: at(7) },
    ])
    // A submitted case sharing everything is not a related case.
    const hidden = validContent({
      domain: 'rel-a',
      primaryFailureMode: { slug: 'r1', how: 'x' },
      contributingFailureModes: [{ slug: 'r2', how: 'x' }, { slug: 'r3', how: 'x' }],
      phases: ['design', 'build'],
    })
    await submitted(await newMember(), hidden)

    const related = await relatedCases(made.target.id, 10)
    expect(related.map((r) => [r.slug, r.sharedModes])).toEqual([
      [made['shares-3'].slug, 3],
      [made['shares-2-and-phases'].slug, 2],
      [made['shares-2'].slug, 2],
      [made['shares-1'].slug, 1],
      [made['same-domain'].slug, 0],
    ])
    expect(related[0]).toMatchObject({ title: 'Curated case shares-3' })
    expect((await relatedCases(made.target.id)).map((r) => r.slug)).toEqual(related.slice(0, 4).map((r) => r.slug))
    expect((await relatedCases(made.target.id, 2)).map((r) => r.slug)).toEqual([made['shares-3'].slug, made['shares-2-and-phases'].slug])
  })
})

describe('themes', () => {
  let made: Record<string, { id: number; slug: string }>
  beforeAll(async () => {
    const at = (month: number) => new Date(Date.UTC(2018, month, 1)).toISOString()
    made = await curate([
      { key: 'p1', modes: ['th1', 'th2'], phases: ['build'], domain: 'themes-domain', publishedAt: at(1) },
      { key: 'p2', modes: ['th2', 'th1'], phases: ['build'], domain: 'themes-domain', publishedAt: at(2) },
      { key: 'p3', modes: ['th1'], phases: ['build'], domain: 'themes-domain', publishedAt: at(3) },
      { key: 'p4', modes: ['th2', 'th1'], phases: ['build'], domain: 'themes-domain', publishedAt: at(4) },
    ])
    // Unpublished cases with these modes do not count.
    const author = await newMember()
    const hidden = validContent({ primaryFailureMode: { slug: 'th1', how: 'x' }, contributingFailureModes: [{ slug: 'th3', how: 'x' }] })
    await submitted(author, hidden)
    const returnedId = await submitted(author, validContent({ primaryFailureMode: { slug: 'th3', how: 'x' }, contributingFailureModes: [] }))
    must(await returnCase(moderator, returnedId, 'No'))
    must(await saveCaseDraft(author, null, { ...emptyCaseForm(), primaryMode: 'th3' }))
  })

  it('listThemes counts published cases per failure mode, in total and as the primary mode', async () => {
    const themes = await listThemes()
    expect(themes.map((t) => t.slug)).toEqual(TERMS['failure-mode'])
    const bySlug = Object.fromEntries(themes.map((t) => [t.slug, t]))
    expect(bySlug.th1).toMatchObject({ name: 'Name of th1', caseCount: 4, primaryCount: 2 })
    expect(bySlug.th1.descriptionHtml).toContain('About th1.')
    expect(bySlug.th2).toMatchObject({ caseCount: 3, primaryCount: 2 })
    expect(bySlug.th3).toMatchObject({ caseCount: 0, primaryCount: 0 })
  })

  it('listThemes matches the published rows for every failure mode', async () => {
    for (const theme of await listThemes()) {
      const rows = await db
        .selectFrom('case_failure_modes as m')
        .innerJoin('cases as c', 'c.id', 'm.case_id')
        .innerJoin('taxonomy_terms as t', 't.id', 'm.term_id')
        .select(['m.is_primary'])
        .where('t.slug', '=', theme.slug)
        .where('t.facet', '=', 'failure-mode')
        .where('c.status', '=', 'published')
        .execute()
      expect(theme.caseCount, theme.slug).toBe(rows.length)
      expect(theme.primaryCount, theme.slug).toBe(rows.filter((r) => r.is_primary).length)
    }
  })

  it('getTheme lists primary cases first (newest first within), with guidance', async () => {
    const theme = await getTheme('th1')
    expect(theme).toMatchObject({ slug: 'th1', name: 'Name of th1', warningSigns: ['Sign of th1'], prevention: ['Prevent th1'] })
    expect(theme!.cases.map((c) => [c.slug, c.isPrimary])).toEqual([
      [made.p3.slug, true],
      [made.p1.slug, true],
      [made.p4.slug, false],
      [made.p2.slug, false],
    ])
    expect(theme!.cases[0]).toMatchObject({ title: 'Curated case p3', how: 'p3 primary', outcome: 'recovered' })
    expect(theme!.cases[2]).toMatchObject({ how: 'p4 contributing th1' })
    expect((await getTheme('th3'))?.cases).toEqual([])
  })

  it('getTheme knows only failure modes', async () => {
    expect(await getTheme('no-such-theme')).toBeNull()
    expect(await getTheme('build')).toBeNull()
    expect(await getTheme('tax')).toBeNull()
  })
})
