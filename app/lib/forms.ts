import { z } from 'zod'

/** The submitted form; a body that is not a form (JSON, broken multipart) is a 400, not a 500. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch {
    throw new Response('This address accepts form submissions only.', { status: 400 })
  }
}

export type FieldErrors = Record<string, string>

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

/** The one way a route validates a submitted form: a zod schema, one message per field. */
export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): FormResult<z.infer<S>> {
  const values: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {}
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key)
    values[key] = all.length > 1 ? all : all[0]
  }
  const result = schema.safeParse(values)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'form'
    errors[field] ??= issue.message
  }
  return { ok: false, errors }
}

/** What the member typed, to put back in the form, without any password fields. */
export function typedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of formData) {
    if (typeof value === 'string' && !/password/i.test(key) && key !== 'website') {
      values[key] = value.slice(0, 20_000)
    }
  }
  return values
}

/**
 * A record's number from a form: a whole number a database can hold. Beyond the safe integers
 * JavaScript writes "1e+23", which SQLite merely finds nothing for and PostgreSQL refuses.
 */
export const recordId = () => z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** A record's number from a URL segment, or 0 (which names nothing) for anything else. */
export function recordIdParam(param: string | undefined): number {
  const id = Number(param)
  return Number.isSafeInteger(id) && id > 0 ? id : 0
}
