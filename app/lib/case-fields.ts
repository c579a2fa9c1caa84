import { z } from 'zod'
import { withinMarkdownLimits } from './markdown-limits'
import { singleLine } from './single-line'

// The fields of a case, shared by the submission form, the seed loader and the model.
export const BUDGET_BANDS = {
  'under-1m': 'Under $1 million',
  '1m-10m': '$1 million to $10 million',
  '10m-100m': '$10 million to $100 million',
  '100m-1b': '$100 million to $1 billion',
  'over-1b': 'Over $1 billion',
  unknown: 'Not known',
} as const
export type BudgetBand = keyof typeof BUDGET_BANDS

export const CORRECTIVE_RESULTS = { yes: 'Worked', partly: 'Partly worked', no: 'Did not work', unknown: 'Not yet known' } as const
export type CorrectiveResult = keyof typeof CORRECTIVE_RESULTS

const text = (what: string, max: number) =>
  z.string().trim().min(1, `Enter ${what}`).max(max, `Keep ${what} to ${max} characters or fewer`)
// The message shows next to the field it is about.
const line = (what: string, max = 500) => singleLine('This field', text(what, max))
const list = (what: string, max: number) =>
  z
    .array(singleLine(`Each ${what}`, z.string().min(1).max(600, `Keep each ${what} to 600 characters or fewer`)))
    .min(1, `Add at least one ${what}`)
    .max(max, `Add up to ${max} ${what}s`)

export const failureModeUse = z.object({ slug: z.string().min(1, 'Choose a failure mode'), how: line('how it showed up', 400) })
const avoidedModeUse = z.object({ slug: z.string().min(1, 'Choose a failure mode'), how: line('how it was avoided or overcome', 400) })

/** A citation: what a reader needs to find the source, with its address when it is known. */
export const caseSourceSchema = z.object({
  title: line('the source title', 300),
  publisher: line('the publisher', 200),
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'Enter the date as a year, year and month, or full date, e.g. 2017 or 2017-03-15')
    .optional(),
  reportNumber: singleLine('This field', z.string().max(100, 'Keep the report number to 100 characters or fewer')).optional(),
  url: z
    .string()
    .max(500, 'Keep the address to 500 characters or fewer')
    .url('Enter the full address, starting https://')
    .refine((url) => /^https?:\/\//i.test(url), 'Enter the full address, starting https://')
    .optional(),
})
export type CaseSource = z.infer<typeof caseSourceSchema>

export const caseContentSchema = z
  .object({
    title: line('a title', 150).pipe(z.string().min(8, 'Title must be at least 8 characters')),
    summary: text('a summary', 400),
    level: z.string().min(1, 'Choose the level of government'),
    domain: z.string().min(1, 'Choose a domain'),
    outcome: z.string().min(1, 'Choose the outcome'),
    jurisdiction: line('the jurisdiction or a general description', 200),
    budgetBand: z.enum(Object.keys(BUDGET_BANDS) as [BudgetBand, ...BudgetBand[]], {
      errorMap: () => ({ message: 'Choose a budget band' }),
    }),
    contractModel: line('the contract model', 300),
    years: line('the years', 40),
    outcomeDetail: text('what the outcome was', 1500),
    whatHappened: withinMarkdownLimits(text('what happened', 20_000)),
    /** The failure mode that hurt the project most; none for a project that avoided them all. */
    primaryFailureMode: failureModeUse.nullable(),
    contributingFailureModes: z.array(failureModeUse).max(8, 'Add up to 8 contributing failure modes'),
    /** Failure modes a project that succeeded or recovered avoided or overcame, and how. */
    avoidedFailureModes: z.array(avoidedModeUse).max(8, 'Add up to 8 avoided failure modes').optional(),
    phases: z.array(z.string().min(1)).min(1, 'Choose at least one phase').max(8),
    rootCauses: list('root cause', 10),
    lessons: list('lesson', 12),
    recommendations: list('recommendation', 12),
    correctiveActions: z
      .array(
        z.object({
          action: line('the corrective action', 600),
          worked: z.enum(Object.keys(CORRECTIVE_RESULTS) as [CorrectiveResult, ...CorrectiveResult[]]),
          note: singleLine('This field', z.string().max(600).optional()),
        }),
      )
      .max(8),
    sources: z.array(caseSourceSchema).max(10, 'Cite up to 10 sources'),
    firstHand: z.boolean({
      required_error: 'Say whether this is a first-hand account or drawn from the public record',
      invalid_type_error: 'Say whether this is a first-hand account or drawn from the public record',
    }),
    /** What the author did on the project, for a first-hand account. */
    firstHandStatement: singleLine('This field', z.string().trim().max(400, 'Keep your role to 400 characters or fewer')).optional(),
    isAnonymous: z.boolean(),
  })
  .superRefine((content, context) => {
    const problem = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message })
    if (!content.primaryFailureMode && !content.avoidedFailureModes?.length) {
      problem(['primaryFailureMode', 'slug'], 'Choose the primary failure mode, or record the failure modes the project avoided')
    }
    if (!content.primaryFailureMode && content.contributingFailureModes.length > 0) {
      problem(['primaryFailureMode', 'slug'], 'Choose the primary failure mode before contributing ones')
    }
    if (content.firstHand && !content.firstHandStatement) problem(['firstHandStatement'], 'Say what you did on the project')
    if (content.firstHand === false && content.sources.length === 0) {
      problem(['sources'], 'Cite at least one source, or say this is a first-hand account')
    }
  })

export type CaseContent = z.infer<typeof caseContentSchema>

/** The note an editor leaves in a published case's history. */
export const caseChangeNoteSchema = z.object({
  note: singleLine(
    'The note',
    z
      .string()
      .max(300, 'Keep the note to 300 characters or fewer')
      .optional()
      .transform((value) => value || null),
  ),
})

/** A case's status as its author reads it. */
export const CASE_STATUS_LABELS = {
  draft: 'Draft',
  submitted: 'Waiting for review',
  returned: 'Returned to you',
  published: 'Published',
} as const

/** The stored columns a case's search text is made from. */
export interface CaseSearchSource {
  jurisdiction: string
  contract_model: string
  outcome_detail: string
  what_happened_md: string
  root_causes_json: string
  lessons_json: string
  recommendations_json: string
  corrective_actions_json: string
  sources_json: string
}

/**
 * Everything about a case that search should find beyond its title and summary, as one text:
 * the case library's index holds it as the `body` column.
 */
export function caseSearchBody(row: CaseSearchSource, modes: { name: string; how: string }[]): string {
  return [
    row.jurisdiction,
    row.contract_model,
    row.outcome_detail,
    row.what_happened_md,
    ...modes.flatMap((m) => [m.name, m.how]),
    ...JSON.parse(row.root_causes_json),
    ...JSON.parse(row.lessons_json),
    ...JSON.parse(row.recommendations_json),
    ...JSON.parse(row.corrective_actions_json).flatMap((a: { action: string; note?: string }) => [a.action, a.note ?? '']),
    ...(JSON.parse(row.sources_json) as CaseSource[]).flatMap((s) => [s.title, s.publisher, s.reportNumber ?? '']),
  ].join('\n')
}
