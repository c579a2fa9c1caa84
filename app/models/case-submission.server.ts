import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { AppealStatus, CaseStatus } from '../../db/schema'
import type { CaseContent } from '../lib/case-fields'
import { type CaseFormState, contentToCaseForm, parseDraft } from '../lib/case-form'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { isModerator } from '../lib/roles'
import { recordActivity } from './activity.server'
import {
  checkCaseTerms,
  failureModesOf,
  fixAnonymousLabel,
  phasesOf,
  resolveTerms,
  snapshotRevision,
  syncSearchIndex,
  uniqueSlug,
  writeContent,
} from './case-content.server'
import type { Viewer } from './case-reading.server'
import { logAction } from './moderation.server'
import { participationRefusal } from './participation.server'

// Contributing: drafts, submission and editorial review

export interface EditableCase {
  id: number
  slug: string
  status: CaseStatus
  authorId: number
  form: CaseFormState
  feedback: string | null
  /** While the case is returned: the moderator who returned it and that decision, which its author may appeal. */
  returned: { decidedBy: string; decisionId: number; appealStatus: AppealStatus | null } | null
  updatedAt: string
}

const mayEditCase = (viewer: Viewer, row: { author_id: number }) => row.author_id === viewer.id || isModerator(viewer)

/**
 * What a case someone may not edit looks like from its editing routes: the same as a case that
 * does not exist, so its number tells no one that it exists, let alone whose it is.
 */
const noCaseOfYours = () => refuse(404, 'No case of yours has that number.')

/** A case its author (or a moderator) may edit, with the form as it was left. */
export async function getCaseForEditing(viewer: Viewer, caseId: number): Promise<Outcome<EditableCase>> {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'slug', 'status', 'author_id', 'draft_json', 'review_feedback', 'updated_at'])
    .where('id', '=', caseId)
    .executeTakeFirst()
  if (!row || !mayEditCase(viewer, row)) return noCaseOfYours()
  const form = row.status === 'published' || !row.draft_json ? await publishedForm(row.id) : parseDraft(row.draft_json)
  return ok({
    id: row.id,
    slug: row.slug,
    status: row.status,
    authorId: row.author_id,
    form,
    feedback: row.review_feedback,
    returned: row.status === 'returned' ? await latestReturn(row) : null,
    updatedAt: row.updated_at,
  })
}

async function latestReturn(theCase: { id: number; author_id: number }): Promise<EditableCase['returned']> {
  // Through the author's decisions (indexed by member), not a scan of the whole log for the case.
  const decision = await db
    .selectFrom('moderation_log as l')
    .leftJoin('users as u', 'u.id', 'l.actor_id')
    .leftJoin('appeals as a', 'a.decision_id', 'l.id')
    .select(['l.id', 'u.display_name', 'a.status'])
    .where('l.member_id', '=', theCase.author_id)
    .where('l.case_id', '=', theCase.id)
    .where('l.action', '=', 'case-return')
    .orderBy('l.id', 'desc')
    .executeTakeFirst()
  return decision ? { decidedBy: decision.display_name ?? 'SectorPulse', decisionId: decision.id, appealStatus: decision.status } : null
}

async function publishedForm(caseId: number): Promise<CaseFormState> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow()
  const modes = await failureModesOf(db, caseId)
  const phases = await phasesOf(db, caseId)
  const primary = modes.find((m) => m.is_primary)
  return contentToCaseForm({
    title: row.title,
    summary: row.summary,
    level: row.level,
    domain: row.domain,
    outcome: row.outcome,
    jurisdiction: row.jurisdiction,
    budgetBand: row.budget_band as CaseContent['budgetBand'],
    contractModel: row.contract_model,
    years: row.years,
    outcomeDetail: row.outcome_detail,
    whatHappened: row.what_happened_md,
    primaryFailureMode: primary ? { slug: primary.slug, how: primary.how } : null,
    contributingFailureModes: modes.filter((m) => !m.is_primary && !m.avoided).map(({ slug, how }) => ({ slug, how })),
    avoidedFailureModes: modes.filter((m) => m.avoided).map(({ slug, how }) => ({ slug, how })),
    phases,
    rootCauses: JSON.parse(row.root_causes_json),
    lessons: JSON.parse(row.lessons_json),
    recommendations: JSON.parse(row.recommendations_json),
    correctiveActions: JSON.parse(row.corrective_actions_json),
    sources: JSON.parse(row.sources_json),
    firstHand: !!row.first_hand,
    firstHandStatement: row.first_hand_statement,
    isAnonymous: !!row.is_anonymous,
  })
}

const EDITABLE_BY_AUTHOR: CaseStatus[] = ['draft', 'returned']

/** Saves the form as a draft (creating the case on first save); incomplete forms are fine. */
export async function saveCaseDraft(author: Viewer, caseId: number | null, form: CaseFormState): Promise<Outcome<{ id: number }>> {
  const now = new Date().toISOString()
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    if (caseId === null) {
      const { id } = await trx
        .insertInto('cases')
        .values({
          slug: `draft-${crypto.randomUUID()}`,
          status: 'draft',
          author_id: author.id,
          is_anonymous: form.isAnonymous ? 1 : 0,
          title: form.title.trim() || 'Untitled draft',
          summary: form.summary,
          level: form.level,
          domain: form.domain,
          outcome: form.outcome,
          jurisdiction: form.jurisdiction,
          budget_band: form.budgetBand,
          contract_model: form.contractModel,
          years: form.years,
          outcome_detail: form.outcomeDetail,
          what_happened_md: form.whatHappened,
          what_happened_html: '',
          root_causes_json: '[]',
          lessons_json: '[]',
          recommendations_json: '[]',
          corrective_actions_json: '[]',
          sources_json: '[]',
          draft_json: JSON.stringify(form),
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return ok({ id })
    }
    const row = await trx.selectFrom('cases').select(['author_id', 'status']).where('id', '=', caseId).executeTakeFirst()
    if (!row || !mayEditCase(author, row)) return noCaseOfYours()
    if (row.author_id !== author.id) return refuse(403, 'Only the author can change this draft.')
    if (!EDITABLE_BY_AUTHOR.includes(row.status)) {
      return refuse(409, row.status === 'submitted' ? 'This case is waiting for review and cannot change until a moderator returns it.' : 'This case is published; edit it from its page.')
    }
    await trx
      .updateTable('cases')
      .set({ draft_json: JSON.stringify(form), title: form.title.trim() || 'Untitled draft', is_anonymous: form.isAnonymous ? 1 : 0, updated_at: now })
      .where('id', '=', caseId)
      .execute()
    return ok({ id: caseId })
  })
}

/** Sends a complete case for editorial review; the form is kept as the draft too. */
export async function submitCase(
  author: Viewer,
  caseId: number | null,
  form: CaseFormState,
  content: CaseContent,
): Promise<Outcome<{ id: number }>> {
  const refusal = await participationRefusal(db, author)
  if (refusal) return refusal
  // A refused submission leaves nothing behind: the terms are checked before the draft is saved.
  const terms = await checkCaseTerms(content)
  if (!terms.ok) return terms
  const saved = await saveCaseDraft(author, caseId, form)
  if (!saved.ok) return saved
  const now = new Date().toISOString()
  return writeTransaction(async (trx) => {
    // Again under the write lock: a moderator may have silenced the author since the first check.
    const refusedNow = await participationRefusal(trx, author)
    if (refusedNow) return refusedNow
    noteChanges(trx, [pageTags.cases])
    const written = await writeContent(trx, saved.value.id, content, now)
    if (!written.ok) return written
    await trx
      .updateTable('cases')
      .set({ status: 'submitted', submitted_at: now, review_feedback: null })
      .where('id', '=', saved.value.id)
      .execute()
    return saved
  })
}

/** A moderator publishes a submitted case: it gets its public address and enters search. */
export async function publishCase(moderator: Viewer, caseId: number, note: string | null): Promise<Outcome<{ slug: string }>> {
  if (!isModerator(moderator)) return refuse(403, 'Only moderators can publish cases.')
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    const row = await trx.selectFrom('cases').select(['status', 'title', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row) return refuse(404, 'No case has that number.')
    if (row.status !== 'submitted') return refuse(409, 'Only a case waiting for review can be published.')
    const slug = await uniqueSlug(trx, row.title)
    const now = new Date().toISOString()
    await trx
      .updateTable('cases')
      .set({ status: 'published', slug, published_at: now, updated_at: now, draft_json: null, review_feedback: null })
      .where('id', '=', caseId)
      .execute()
    await fixAnonymousLabel(trx, caseId)
    await syncSearchIndex(trx, caseId)
    await logAction(trx, { actorId: moderator.id, action: 'case-publish', caseId, memberId: row.author_id, reason: note })
    await recordActivity(trx, { kind: 'case_published', actorId: moderator.id, caseId })
    return ok({ slug })
  })
}

/** A moderator returns a submitted case to its author with written feedback. */
export async function returnCase(moderator: Viewer, caseId: number, feedback: string): Promise<Outcome> {
  if (!isModerator(moderator)) return refuse(403, 'Only moderators can return cases.')
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.cases])
    const row = await trx.selectFrom('cases').select(['status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row) return refuse(404, 'No case has that number.')
    if (row.status !== 'submitted') return refuse(409, 'Only a case waiting for review can be returned.')
    await trx
      .updateTable('cases')
      .set({ status: 'returned', review_feedback: feedback, updated_at: new Date().toISOString() })
      .where('id', '=', caseId)
      .execute()
    const decisionId = await logAction(trx, { actorId: moderator.id, action: 'case-return', caseId, memberId: row.author_id, reason: feedback })
    await recordActivity(trx, { kind: 'case_returned', actorId: moderator.id, caseId, feedback, decisionId })
    return ok()
  })
}

/** The author or a moderator edits a published case; the previous text is kept as a revision. */
export async function editPublishedCase(editor: Viewer, caseId: number, content: CaseContent, note: string | null): Promise<Outcome> {
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, editor)
    if (refusal) return refusal
    noteChanges(trx, [pageTags.cases])
    const row = await trx.selectFrom('cases').select(['status', 'author_id']).where('id', '=', caseId).executeTakeFirst()
    if (!row || !mayEditCase(editor, row)) return noCaseOfYours()
    if (row.status !== 'published') return refuse(409, 'This case is not published.')
    const terms = await resolveTerms(trx, content)
    if (!terms.ok) return terms
    await snapshotRevision(trx, caseId, editor.id, note)
    const written = await writeContent(trx, caseId, content, new Date().toISOString())
    if (!written.ok) return written
    await syncSearchIndex(trx, caseId)
    if (row.author_id !== editor.id) await logAction(trx, { actorId: editor.id, action: 'case-edit', caseId, reason: note })
    return ok()
  })
}

export interface SubmissionSummary {
  id: number
  slug: string
  title: string
  status: CaseStatus
  feedback: string | null
  updatedAt: string
}

export async function listMySubmissions(authorId: number): Promise<SubmissionSummary[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'status', 'review_feedback', 'updated_at'])
    .where('author_id', '=', authorId)
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute()
  return rows.map((row) => ({ id: row.id, slug: row.slug, title: row.title, status: row.status, feedback: row.review_feedback, updatedAt: row.updated_at }))
}

export interface ReviewItem {
  id: number
  slug: string
  title: string
  summary: string
  submittedAt: string | null
  isAnonymous: boolean
  author: { handle: string; displayName: string }
}

/** Cases waiting for review, oldest first; moderators see who wrote anonymized ones. */
export async function listCasesForReview(): Promise<ReviewItem[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.slug', 'c.title', 'c.summary', 'c.submitted_at', 'c.is_anonymous', 'u.handle', 'u.display_name'])
    .where('c.status', '=', 'submitted')
    .orderBy('c.submitted_at')
    .limit(100)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    submittedAt: row.submitted_at,
    isAnonymous: !!row.is_anonymous,
    author: { handle: row.handle, displayName: row.display_name },
  }))
}
