import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { markSubjectSeen } from '../models/notification.server'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CaseForm } from '../components/case-form'
import { appealPath } from '../lib/appeal-link.server'
import { requireUser } from '../lib/auth.server'
import { handleCaseForm } from '../lib/case-form.server'
import { readForm } from '../lib/forms'
import { APPEAL_STATUS_LABELS } from '../models/appeal.server'
import { getCaseForEditing } from '../models/case-submission.server'
import { listFacetTerms } from '../models/taxonomy.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? pageTitle(`${data.editable.status === 'published' ? 'Edit' : 'Draft'}: ${data.editable.form.title || 'Untitled draft'}`, 'Your cases', 'Case library')
      : pageTitle('Edit case', 'Case library'),
  },
]

async function loadEditable(request: Request, idParam: string | undefined) {
  const viewer = await requireUser(request)
  const found = await getCaseForEditing(viewer, Number(idParam))
  if (!found.ok) throw new Response(found.message, { status: found.status })
  return { viewer, editable: found.value }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, editable } = await loadEditable(request, params.id)
  await markSubjectSeen(viewer.id, { caseId: editable.id })
  // The signed link appeals on the author's behalf, so only the author is given it.
  const { returned } = editable
  const appeal =
    returned && editable.authorId === viewer.id
      ? { href: appealPath(returned.decisionId), status: returned.appealStatus && APPEAL_STATUS_LABELS[returned.appealStatus] }
      : null
  return json({ editable, appeal, terms: await listFacetTerms() })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, editable } = await loadEditable(request, params.id)
  const published = editable.status === 'published' ? editable.slug : undefined
  return handleCaseForm(viewer, editable.id, await readForm(request), published)
}

export default function EditCase() {
  const { editable, appeal, terms } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failed = actionData && 'errors' in actionData ? actionData : null
  const published = editable.status === 'published'
  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to="/cases/submissions">Your cases</Link>
      </p>
      <h1>{published ? 'Edit a published case' : editable.form.title || 'Untitled draft'}</h1>
      {editable.status === 'submitted' ? (
        <p className="notice" role="note">
          This case is waiting for review. You can change it again if a moderator returns it.
        </p>
      ) : null}
      {editable.status === 'returned' && editable.feedback ? (
        <div className="feedback" role="note">
          <h2>Feedback from the moderators</h2>
          {editable.returned ? <p>Returned by {editable.returned.decidedBy}, a moderator:</p> : null}
          <p>{editable.feedback}</p>
          {appeal ? (
            appeal.status ? (
              <p>
                Your appeal of this decision: <strong>{appeal.status}</strong>. <Link to={appeal.href}>See your appeal</Link>
              </p>
            ) : (
              <p>
                Revise the case and submit it again. If you think returning it was wrong, you can{' '}
                <Link to={appeal.href}>appeal this decision</Link>: a different moderator from the one who decided reviews it.
              </p>
            )
          ) : null}
        </div>
      ) : null}
      {published ? (
        <p>
          Changes are published at once, and the <Link to={`/cases/${editable.slug}/history`}>history</Link> keeps the
          earlier version.
        </p>
      ) : null}
      {editable.status === 'submitted' ? (
        <p>
          <Link to={`/cases/${editable.slug}`}>Preview the case as submitted</Link>
        </p>
      ) : (
        <CaseForm
          form={failed?.form ?? editable.form}
          terms={terms}
          errors={failed?.errors}
          focusSource={failed?.focusSource}
          mode={published ? 'published' : 'draft'}
          autosaveAction={published ? undefined : `/cases/submissions/${editable.id}`}
          savedAt={editable.updatedAt}
        />
      )}
    </div>
  )
}
