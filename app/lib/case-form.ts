import type { CaseContent } from './case-fields'

// The submission form's state: what the author typed, complete or not, kept as the draft.
export const CONTRIBUTING_ROWS = 5
export const CORRECTIVE_ROWS = 3
export const SOURCE_ROWS = 3

export interface CaseFormState {
  title: string
  summary: string
  level: string
  domain: string
  jurisdiction: string
  budgetBand: string
  contractModel: string
  years: string
  whatHappened: string
  primaryMode: string
  primaryHow: string
  contributingMode: string[]
  contributingHow: string[]
  phases: string[]
  rootCauses: string
  lessons: string
  recommendations: string
  correctiveAction: string[]
  correctiveWorked: string[]
  correctiveNote: string[]
  outcome: string
  outcomeDetail: string
  sourceTitle: string[]
  sourcePublisher: string[]
  sourceReference: string[]
  sourceYear: string[]
  firstHand: boolean
  isAnonymous: boolean
}

const TEXT_FIELDS = [
  'title',
  'summary',
  'level',
  'domain',
  'jurisdiction',
  'budgetBand',
  'contractModel',
  'years',
  'whatHappened',
  'primaryMode',
  'primaryHow',
  'rootCauses',
  'lessons',
  'recommendations',
  'outcome',
  'outcomeDetail',
] as const
const LIST_FIELDS = [
  'contributingMode',
  'contributingHow',
  'phases',
  'correctiveAction',
  'correctiveWorked',
  'correctiveNote',
  'sourceTitle',
  'sourcePublisher',
  'sourceReference',
  'sourceYear',
] as const

export function emptyCaseForm(): CaseFormState {
  const state = Object.fromEntries([
    ...TEXT_FIELDS.map((field) => [field, '']),
    ...LIST_FIELDS.map((field) => [field, []]),
  ]) as unknown as CaseFormState
  return { ...state, budgetBand: 'unknown', firstHand: false, isAnonymous: false }
}

/** Reads the submitted form into its state, bounding every value so a draft stays small. */
export function readCaseForm(formData: FormData): CaseFormState {
  const state = emptyCaseForm()
  for (const field of TEXT_FIELDS) state[field] = String(formData.get(field) ?? '').slice(0, field === 'whatHappened' ? 20_000 : 4_000)
  for (const field of LIST_FIELDS) {
    state[field] = formData
      .getAll(field)
      .slice(0, 12)
      .map((value) => String(value).slice(0, 1_000))
  }
  state.firstHand = formData.get('firstHand') === 'on'
  state.isAnonymous = formData.get('isAnonymous') === 'on'
  return state
}

/** Restores a saved draft, tolerating drafts saved by an older form. */
export function parseDraft(json: string | null): CaseFormState {
  const state = emptyCaseForm()
  if (!json) return state
  try {
    const saved = JSON.parse(json) as Partial<CaseFormState>
    for (const field of TEXT_FIELDS) if (typeof saved[field] === 'string') state[field] = saved[field] as string
    for (const field of LIST_FIELDS) if (Array.isArray(saved[field])) state[field] = (saved[field] as unknown[]).map(String)
    state.firstHand = saved.firstHand === true
    state.isAnonymous = saved.isAnonymous === true
  } catch {
    // A draft that does not parse starts the form afresh rather than failing the page.
  }
  return state
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean)

/** The form as case content, for the schema to judge: blank rows are left out. */
export function caseFormToContent(form: CaseFormState): Record<keyof CaseContent, unknown> {
  const rows = (count: number, build: (i: number) => Record<string, unknown> | null) =>
    Array.from({ length: count }, (_, i) => build(i)).filter(Boolean)
  return {
    title: form.title,
    summary: form.summary,
    level: form.level,
    domain: form.domain,
    outcome: form.outcome,
    jurisdiction: form.jurisdiction,
    budgetBand: form.budgetBand,
    contractModel: form.contractModel,
    years: form.years,
    outcomeDetail: form.outcomeDetail,
    whatHappened: form.whatHappened,
    primaryFailureMode: { slug: form.primaryMode, how: form.primaryHow },
    contributingFailureModes: rows(CONTRIBUTING_ROWS, (i) =>
      form.contributingMode[i] ? { slug: form.contributingMode[i], how: form.contributingHow[i] ?? '' } : null,
    ),
    phases: form.phases,
    rootCauses: lines(form.rootCauses),
    lessons: lines(form.lessons),
    recommendations: lines(form.recommendations),
    correctiveActions: rows(CORRECTIVE_ROWS, (i) =>
      form.correctiveAction[i]?.trim()
        ? { action: form.correctiveAction[i], worked: form.correctiveWorked[i] || 'unknown', note: form.correctiveNote[i] || undefined }
        : null,
    ),
    sources: rows(SOURCE_ROWS, (i) =>
      form.sourceTitle[i]?.trim()
        ? {
            title: form.sourceTitle[i],
            publisher: form.sourcePublisher[i] ?? '',
            reference: form.sourceReference[i] || undefined,
            year: form.sourceYear[i] ? Number(form.sourceYear[i]) : undefined,
          }
        : null,
    ),
    firstHand: form.firstHand,
    isAnonymous: form.isAnonymous,
  }
}

/** The content of a published case, back in the form's shape, for editing. */
export function contentToCaseForm(content: CaseContent): CaseFormState {
  return {
    title: content.title,
    summary: content.summary,
    level: content.level,
    domain: content.domain,
    jurisdiction: content.jurisdiction,
    budgetBand: content.budgetBand,
    contractModel: content.contractModel,
    years: content.years,
    whatHappened: content.whatHappened,
    primaryMode: content.primaryFailureMode.slug,
    primaryHow: content.primaryFailureMode.how,
    contributingMode: content.contributingFailureModes.map((m) => m.slug),
    contributingHow: content.contributingFailureModes.map((m) => m.how),
    phases: content.phases,
    rootCauses: content.rootCauses.join('\n'),
    lessons: content.lessons.join('\n'),
    recommendations: content.recommendations.join('\n'),
    correctiveAction: content.correctiveActions.map((a) => a.action),
    correctiveWorked: content.correctiveActions.map((a) => a.worked),
    correctiveNote: content.correctiveActions.map((a) => a.note ?? ''),
    outcome: content.outcome,
    outcomeDetail: content.outcomeDetail,
    sourceTitle: content.sources.map((s) => s.title),
    sourcePublisher: content.sources.map((s) => s.publisher),
    sourceReference: content.sources.map((s) => s.reference ?? ''),
    sourceYear: content.sources.map((s) => (s.year ? String(s.year) : '')),
    firstHand: content.firstHand,
    isAnonymous: content.isAnonymous,
  }
}

/** Which form field a schema problem belongs to (the id its message is shown next to). */
export function formFieldOf(path: (string | number)[]): string {
  const [head] = path
  const map: Record<string, string> = {
    primaryFailureMode: path[1] === 'how' ? 'primaryHow' : 'primaryMode',
    contributingFailureModes: 'contributing',
    correctiveActions: 'corrective',
    sources: 'sources',
  }
  return map[String(head)] ?? String(head ?? 'form')
}
