import { z } from 'zod'
import type { ApplicationResult } from '../../db/schema'
import { singleLine } from './single-line'

// What a member adds to a published case from their own work: where and when they saw the same
// thing, and how applying one of its recommendations went.

export const APPLICATION_RESULTS: Record<ApplicationResult, string> = { worked: 'It worked', partly: 'It partly worked', 'did-not': 'It did not work' }

const optionalNote = singleLine(
  'The note',
  z
    .string()
    .trim()
    .max(280, 'Keep the note to 280 characters or fewer')
    .optional()
    .transform((value) => value || null),
)

export const seenTooSchema = z.object({
  seenLevel: z
    .string()
    .max(80)
    .optional()
    .transform((value) => value || null),
  seenYear: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null)
    .pipe(
      z
        .string()
        .regex(/^\d{4}$/, 'Enter the year as four digits, e.g. 2021')
        .transform(Number)
        .refine((year) => year >= 1960 && year <= new Date().getUTCFullYear(), 'Enter a year from 1960 to this year')
        .nullable(),
    ),
  seenNote: optionalNote,
  notePublic: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
})
export type SeenTooEvidence = z.infer<typeof seenTooSchema>

export const appliedLessonSchema = z.object({
  recommendation: z
    .string({ required_error: 'Choose the recommendation you applied' })
    .regex(/^\d{1,2}$/, 'Choose the recommendation you applied')
    .transform(Number),
  result: z.enum(Object.keys(APPLICATION_RESULTS) as [ApplicationResult, ...ApplicationResult[]], {
    errorMap: () => ({ message: 'Say how it went' }),
  }),
  appliedNote: optionalNote,
})
export type AppliedLesson = z.infer<typeof appliedLessonSchema>
