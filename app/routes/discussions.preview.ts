import { type ActionFunctionArgs, json } from '@remix-run/node'
import { requireUser } from '../lib/auth.server'
import { postPlaceSchema } from '../lib/discussion-validation'
import { readForm } from '../lib/forms'
import { previewBody } from '../lib/preview.server'

/** The live preview: the same rendering pipeline as posting, without saving anything. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const preview = await previewBody(user, formData, postPlaceSchema.parse(formData.get('previewAs') ?? undefined))
  if (!preview.ok) return json({ html: '', error: preview.errors.body ?? preview.errors.form }, { status: preview.status, headers: preview.headers })
  return json({ html: preview.html, error: undefined })
}
