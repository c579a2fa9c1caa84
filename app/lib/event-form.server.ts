import { json } from '@remix-run/node'
import { eventInputSchema, formatProblems } from './event-fields'
import { type FieldErrors, parseForm, typedValues } from './forms'
import { listTimeZones } from './time-zones'
import { listTerms } from '../models/taxonomy.server'

export type EventFormActionData = { errors: FieldErrors; values: Record<string, string | string[]> }

/** The organizer form's submission, validated; or the 400 answer that shows what to fix. */
export function parseEventForm(formData: FormData) {
  const values = { ...typedValues(formData), themes: formData.getAll('themes').map(String) }
  const result = parseForm(formData, eventInputSchema)
  // Report the format's needs alongside every other problem, not only once the rest are fixed.
  const parsed = result.ok ? result : { ok: false as const, errors: { ...formatProblems(values as Record<string, unknown>), ...result.errors } }
  const fail = (errors: FieldErrors, status = 400) => json<EventFormActionData>({ errors, values }, { status })
  return { parsed, fail }
}

export async function eventFormOptions() {
  const themes = await listTerms('failure-mode')
  return { themes: themes.map(({ slug, name }) => ({ slug, name })), timeZones: listTimeZones() }
}
