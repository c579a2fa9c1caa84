import { participationRefusal, type SessionUser } from './auth.server'
import { json } from '@remix-run/node'
import { caseChangeNoteSchema, caseContentSchema } from './case-fields'
import { parseForm } from './forms'
import { caseFormToContent, type CaseFormState, formFieldOf, readCaseForm, sourceRowCount, withAnotherSourceRow } from './case-form'
import { redirectWithFlash } from './flash.server'
import { type Viewer } from '../models/case-reading.server'
import { editPublishedCase, saveCaseDraft, submitCase } from '../models/case-submission.server'

export type CaseFormActionData =
  | { errors: Record<string, string>; form: CaseFormState; focusSource?: number }
  | { savedAt: string; id: number }

/**
 * What both case-form routes do with a submission: save (or autosave) the draft, submit it
 * for review, or update a published case. Validation problems come back next to their fields.
 */
export async function handleCaseForm(viewer: SessionUser, caseId: number | null, formData: FormData, publishedSlug?: string) {
  const intent = String(formData.get('intent') ?? 'save')
  const form = readCaseForm(formData)
  const fail = (errors: Record<string, string>, status: number) => json<CaseFormActionData>({ errors, form }, { status })

  if (intent === 'add-source') {
    const grown = withAnotherSourceRow(form)
    return json<CaseFormActionData>({ errors: {}, form: grown, focusSource: sourceRowCount(grown) - 1 })
  }

  if (intent === 'save' || intent === 'autosave') {
    const saved = await saveCaseDraft(viewer, caseId, form)
    if (!saved.ok) return fail({ form: saved.message }, saved.status)
    if (intent === 'autosave') return json<CaseFormActionData>({ savedAt: new Date().toISOString(), id: saved.value.id })
    return redirectWithFlash(`/cases/submissions/${saved.value.id}`, 'Your draft is saved. You can come back to it at any time.')
  }

  const parsed = caseContentSchema.safeParse(caseFormToContent(form))
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) errors[formFieldOf(issue.path)] ??= issue.message
    return fail(errors, 400)
  }

  const refusal = participationRefusal(viewer)
  if (refusal) return fail({ form: refusal }, 403)

  if (intent === 'update') {
    if (caseId === null || !publishedSlug) return fail({ form: 'Only a published case can be updated this way.' }, 409)
    const note = parseForm(formData, caseChangeNoteSchema)
    if (!note.ok) return fail(note.errors, 400)
    const updated = await editPublishedCase(viewer, caseId, parsed.data, note.data.note)
    if (!updated.ok) return fail({ [formFieldOf([updated.field ?? 'form'])]: updated.message }, updated.status)
    return redirectWithFlash(`/cases/${publishedSlug}`, 'The case is updated. Its history keeps the earlier version.')
  }

  const submitted = await submitCase(viewer, caseId, form, parsed.data)
  if (!submitted.ok) return fail({ [formFieldOf([submitted.field ?? 'form'])]: submitted.message }, submitted.status)
  return redirectWithFlash('/cases/submissions', 'Thank you. Your case is waiting for review by a moderator.')
}
