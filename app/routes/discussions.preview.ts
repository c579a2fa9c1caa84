import { type ActionFunctionArgs, json } from '@remix-run/node'
import { z } from 'zod'
import { requireUser } from '../lib/auth.server'
import { parseForm, readForm } from '../lib/forms'
import { previewPostBody } from '../models/post-body.server'

const previewSchema = z.object({ body: z.string().max(20_000).default('') })

/** The live preview: the same rendering pipeline as posting, without saving anything. */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request)
  const parsed = parseForm(await readForm(request), previewSchema)
  if (!parsed.ok) return json({ html: '' }, { status: 400 })
  return json({ html: await previewPostBody(parsed.data.body) })
}
