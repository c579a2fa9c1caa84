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

export const caseContentSchema = z.object({
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
  primaryFailureMode: failureModeUse,
  contributingFailureModes: z.array(failureModeUse).max(8, 'Add up to 8 contributing failure modes'),
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
  sources: z
    .array(
      z.object({
        title: line('the source title', 300),
        publisher: line('the publisher', 200),
        reference: singleLine('This field', z.string().max(300).optional()),
        year: z.number().int().min(1950).max(2100).optional(),
      }),
    )
    .max(10),
  firstHand: z.boolean(),
  isAnonymous: z.boolean(),
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
    ...JSON.parse(row.sources_json).flatMap((s: { title: string; publisher: string; reference?: string }) => [
      s.title,
      s.publisher,
      s.reference ?? '',
    ]),
  ].join('\n')
}
