import { z } from 'zod'
import { type FormResult, parseForm } from './forms'
import { singleLine } from './single-line'
import type { ReadinessAnswer } from '../models/readiness.server'

/** The four answers, weakest first; an answer's level is its index. */
export const READINESS_LEVELS = [
  { key: 'not-yet', label: 'Not yet' },
  { key: 'partly', label: 'Partly' },
  { key: 'mostly', label: 'Mostly' },
  { key: 'fully', label: 'Fully' },
] as const
export const FULLY = READINESS_LEVELS.length - 1
export const levelLabel = (level: number) => READINESS_LEVELS[level]?.label ?? 'Not answered'

export const NOTE_MAX = 1000
export const PROJECT_NAME_MAX = 120

const LEVEL_KEYS = READINESS_LEVELS.map((level) => level.key) as [string, ...string[]]

export const answerField = (slug: string) => `answer-${slug}`
export const noteField = (slug: string) => `note-${slug}`

/**
 * The questionnaire's schema, built from the questions in the database (they are content, so
 * their number can change): one required answer and one optional note per question.
 */
function questionnaireSchema(questionSlugs: string[], { withProject }: { withProject: boolean }) {
  const shape: Record<string, z.ZodTypeAny> = {}
  for (const slug of questionSlugs) {
    shape[answerField(slug)] = z.enum(LEVEL_KEYS, {
      errorMap: () => ({ message: 'Choose not yet, partly, mostly or fully' }),
    })
    shape[noteField(slug)] = z
      .string()
      .max(NOTE_MAX, `Keep the note to ${NOTE_MAX} characters or fewer`)
      .optional()
      .transform((note) => note?.trim() || null)
  }
  if (withProject) {
    shape.project = singleLine(
      'The project name',
      z
        .string({ required_error: 'Enter a project name to save this assessment under' })
        .min(1, 'Enter a project name to save this assessment under')
        .max(PROJECT_NAME_MAX, `Keep the project name to ${PROJECT_NAME_MAX} characters or fewer`),
    )
  }
  return z.object(shape)
}

export function parseQuestionnaire(
  formData: FormData,
  questionSlugs: string[],
  { withProject = false } = {}
): FormResult<{ answers: ReadinessAnswer[]; project: string | null }> {
  const parsed = parseForm(formData, questionnaireSchema(questionSlugs, { withProject }))
  if (!parsed.ok) return parsed
  const data = parsed.data as Record<string, string | null>
  return {
    ok: true,
    data: {
      answers: questionSlugs.map((slug) => ({
        questionSlug: slug,
        level: LEVEL_KEYS.indexOf(data[answerField(slug)]!),
        note: data[noteField(slug)] ?? null,
      })),
      project: withProject ? (data.project as string) : null,
    },
  }
}

/** A saved assessment as the form's starting values, for a retake. */
export function answersAsValues(answers: ReadinessAnswer[], projectName: string | null): Record<string, string> {
  const values: Record<string, string> = {}
  for (const answer of answers) {
    const level = READINESS_LEVELS[answer.level]
    if (level) values[answerField(answer.questionSlug)] = level.key
    if (answer.note) values[noteField(answer.questionSlug)] = answer.note
  }
  if (projectName) values.project = projectName
  return values
}
