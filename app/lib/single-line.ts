import { z } from 'zod'

// Controls (C0, DEL, C1) and the invisible characters that reorder or break the text around
// them (bidi embeddings, overrides and isolates; line and paragraph separators).
const UNWANTED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/** The one normalization of a one-line value: NFC, line breaks and tabs as spaces, runs of spaces as one, trimmed. */
export function normalizeSingleLine(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\t\n\v\f\r\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
}

/**
 * Every single-line field's schema: `schema` (its length and other rules) applied to the
 * normalized value, which must hold no control or text-direction characters.
 * `what` names the field in the message, e.g. "Title".
 */
export function singleLine<T extends z.ZodTypeAny>(what: string, schema: T) {
  return z
    .preprocess((value) => (typeof value === 'string' ? normalizeSingleLine(value) : value), schema)
    .superRefine((value, context) => {
      if (typeof value === 'string' && UNWANTED.test(value)) {
        context.addIssue({ code: 'custom', message: `${what} cannot contain control characters` })
      }
    })
}
