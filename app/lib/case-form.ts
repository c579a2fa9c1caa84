import type { CaseContent } from './case-fields'

// The submission form's state: what the author typed, complete or not, kept as the draft.
export const CONTRIBUTING_ROWS = 5
export const CORRECTIVE_ROWS = 3
export const AVOIDED_ROWS = 3
/** Blank source rows a new form shows; "Add another source" adds one more, up to MAX_SOURCES. */
export const SOURCE_ROWS = 3
export const MAX_SOURCES = 10

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
  avoidedMode: string[]
  avoidedHow: string[]
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
  sourceDate: string[]
  sourceNumber: string[]
  sourceUrl: string[]
  /** '' until the author says whether they were there or the account comes from the public record. */
  provenance: '' | 'first-hand' | 'public-record'
  firstHandStatement: string
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
  'firstHandStatement',
] as const
const LIST_FIELDS = [
  'contributingMode',
  'contributingHow',
  'avoidedMode',
  'avoidedHow',
  'phases',
  'correctiveAction',
  'correctiveWorked',
  'correctiveNote',
  'sourceTitle',
  'sourcePublisher',
  'sourceDate',
  'sourceNumber',
  'sourceUrl',
] as const

export function emptyCaseForm(): CaseFormState {
  const state = Object.fromEntries([
    ...TEXT_FIELDS.map((field) => [field, '']),
    ...LIST_FIELDS.map((field) => [field, []]),
  ]) as unknown as CaseFormState
  return { ...state, budgetBand: 'unknown', provenance: '', isAnonymous: false }
}

function readProvenance(value: unknown): CaseFormState['provenance'] {
  return value === 'first-hand' || value === 'public-record' ? value : ''
}

/** The number of source rows the form shows: its filled rows, and never fewer than SOURCE_ROWS. */
export function sourceRowCount(form: CaseFormState): number {
  return Math.min(MAX_SOURCES, Math.max(SOURCE_ROWS, form.sourceTitle.length))
}

/** "Add another source": one more blank row, so the form works the same without JavaScript. */
export function withAnotherSourceRow(form: CaseFormState): CaseFormState {
  const rows = Math.min(MAX_SOURCES, sourceRowCount(form) + 1)
  const pad = (values: string[]) => Array.from({ length: rows }, (_, i) => values[i] ?? '')
  return {
    ...form,
    sourceTitle: pad(form.sourceTitle),
    sourcePublisher: pad(form.sourcePublisher),
    sourceDate: pad(form.sourceDate),
    sourceNumber: pad(form.sourceNumber),
    sourceUrl: pad(form.sourceUrl),
  }
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
  state.provenance = readProvenance(formData.get('provenance'))
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
    // Drafts saved before provenance was asked for kept a first-hand checkbox and year/reference.
    state.provenance = 'provenance' in saved ? readProvenance(saved.provenance) : (saved as { firstHand?: boolean }).firstHand ? 'first-hand' : ''
    const older = saved as { sourceYear?: unknown; sourceReference?: unknown }
    if (!('sourceDate' in saved) && Array.isArray(older.sourceYear)) state.sourceDate = older.sourceYear.map(String)
    if (!('sourceNumber' in saved) && Array.isArray(older.sourceReference)) state.sourceNumber = older.sourceReference.map(String)
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
    primaryFailureMode: form.primaryMode || form.primaryHow.trim() ? { slug: form.primaryMode, how: form.primaryHow } : null,
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
    avoidedFailureModes: rows(AVOIDED_ROWS, (i) =>
      form.avoidedMode[i] ? { slug: form.avoidedMode[i], how: form.avoidedHow[i] ?? '' } : null,
    ),
    // A row counts once anything is typed in it, so a citation missing its title is refused, not dropped.
    sources: rows(MAX_SOURCES, (i) =>
      [form.sourceTitle[i], form.sourcePublisher[i], form.sourceDate[i], form.sourceNumber[i], form.sourceUrl[i]].some((v) => v?.trim())
        ? {
            title: form.sourceTitle[i] ?? '',
            publisher: form.sourcePublisher[i] ?? '',
            date: form.sourceDate[i]?.trim() || undefined,
            reportNumber: form.sourceNumber[i]?.trim() || undefined,
            url: form.sourceUrl[i]?.trim() || undefined,
          }
        : null,
    ),
    firstHand: form.provenance === 'first-hand' ? true : form.provenance === 'public-record' ? false : undefined,
    firstHandStatement: form.provenance === 'first-hand' ? form.firstHandStatement.trim() || undefined : undefined,
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
    primaryMode: content.primaryFailureMode?.slug ?? '',
    primaryHow: content.primaryFailureMode?.how ?? '',
    contributingMode: content.contributingFailureModes.map((m) => m.slug),
    contributingHow: content.contributingFailureModes.map((m) => m.how),
    avoidedMode: (content.avoidedFailureModes ?? []).map((m) => m.slug),
    avoidedHow: (content.avoidedFailureModes ?? []).map((m) => m.how),
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
    sourceDate: content.sources.map((s) => s.date ?? ''),
    sourceNumber: content.sources.map((s) => s.reportNumber ?? ''),
    sourceUrl: content.sources.map((s) => s.url ?? ''),
    provenance: content.firstHand ? 'first-hand' : 'public-record',
    firstHandStatement: content.firstHandStatement ?? '',
    isAnonymous: content.isAnonymous,
  }
}

/** Which form field a schema problem belongs to (the id its message is shown next to). */
export function formFieldOf(path: (string | number)[]): string {
  const [head] = path
  const map: Record<string, string> = {
    primaryFailureMode: path[1] === 'how' ? 'primaryHow' : 'primaryMode',
    contributingFailureModes: 'contributing',
    avoidedFailureModes: 'avoided',
    correctiveActions: 'corrective',
    firstHand: 'provenance',
    // "Cite at least one source" is answered in the first source row.
    sources: 'sourceTitle-0',
  }
  // A citation's problem is shown next to the field of its row that is at fault.
  if (head === 'sources' && typeof path[1] === 'number' && typeof path[2] === 'string') {
    const field = { title: 'sourceTitle', publisher: 'sourcePublisher', date: 'sourceDate', reportNumber: 'sourceNumber', url: 'sourceUrl' }[path[2]]
    if (field) return `${field}-${path[1]}`
  }
  return map[String(head)] ?? String(head ?? 'form')
}
