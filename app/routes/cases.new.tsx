import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CaseForm } from '../components/case-form'
import { requireUser } from '../lib/auth.server'
import { emptyCaseForm } from '../lib/case-form'
import { handleCaseForm } from '../lib/case-form.server'
import { readForm } from '../lib/forms'
import { listFacetTerms } from '../models/taxonomy.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Share a case', 'Case library') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return json({ terms: await listFacetTerms() })
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request)
  return handleCaseForm(viewer, null, await readForm(request))
}

export default function NewCase() {
  const { terms } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const failed = actionData && 'errors' in actionData ? actionData : null
  return (
    <div className="form form--wide">
      <p className="breadcrumbs">
        <Link to="/cases">Case library</Link>
      </p>
      <h1>Share a case</h1>
      <p className="lead">
        Tell other leaders what happened on a project, why, and what you would do differently. Save a draft as often as
        you like; a moderator reviews each case before it is published.
      </p>
      <CaseForm form={failed?.form ?? emptyCaseForm()} terms={terms} errors={failed?.errors} focusSource={failed?.focusSource} mode="draft" />
    </div>
  )
}
