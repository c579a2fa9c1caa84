import { z } from 'zod'
import { GOVERNMENT_LEVELS, MEMBER_TYPES, ROLES } from '../../db/schema'
import { singleLine } from './single-line'
import { recordId } from './forms'

/** A reason the affected member reads: required, one line. */
export const requiredReasonSchema = singleLine(
  'The reason',
  z
    .string({ required_error: 'Give the reason the member will be told' })
    .min(1, 'Give the reason the member will be told')
    .max(500, 'Keep the reason to 500 characters or fewer'),
)

export const MEASURE_DURATIONS = [
  { value: '1', label: '1 day' },
  { value: '3', label: '3 days' },
  { value: '7', label: '1 week' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'indefinitely', label: 'Indefinitely (until lifted)' },
] as const

export const memberActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('restrict'),
    measure: z.enum(['silence', 'suspend'], { errorMap: () => ({ message: 'Choose silence or suspend' }) }),
    duration: z.enum(MEASURE_DURATIONS.map((d) => d.value) as [string, ...string[]], {
      errorMap: () => ({ message: 'Choose how long it lasts' }),
    }),
    reason: requiredReasonSchema,
  }),
  z.object({
    intent: z.literal('lift'),
    measure: z.enum(['silence', 'suspend'], { errorMap: () => ({ message: 'Choose what to lift' }) }),
    reason: requiredReasonSchema,
  }),
  z.object({
    intent: z.literal('role'),
    role: z.enum(ROLES, { errorMap: () => ({ message: 'Choose a role' }) }),
    reason: requiredReasonSchema,
  }),
])

export const STANDINGS = ['good', 'silenced', 'suspended'] as const
export type Standing = (typeof STANDINGS)[number]

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.enum(values).optional())

/** The member search of /admin/members; anything unknown in the address reads as "any". */
export const memberSearchSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: optionalEnum(ROLES).catch(undefined),
  memberType: optionalEnum(MEMBER_TYPES).catch(undefined),
  level: optionalEnum(GOVERNMENT_LEVELS).catch(undefined),
  verified: optionalEnum(['yes', 'no'] as const).catch(undefined),
  standing: optionalEnum(STANDINGS).catch(undefined),
  after: recordId().optional().catch(undefined),
})
export type MemberSearch = z.infer<typeof memberSearchSchema>

export const appealStatementSchema = z.object({
  statement: z
    .string({ required_error: 'Write why you think the decision was wrong' })
    .trim()
    .min(20, 'Write at least 20 characters about why you think the decision was wrong')
    .max(4000, 'Keep your appeal to 4,000 characters or fewer'),
})

export const appealDecisionSchema = z.object({
  appealId: recordId(),
  outcome: z.enum(['uphold', 'overturn'], { errorMap: () => ({ message: 'Choose to uphold or overturn' }) }),
  reason: requiredReasonSchema,
})
