import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ReadinessReport } from '../components/readiness-report'
import { requireUser } from '../lib/auth.server'
import { formatLongDate } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { buildReadinessReport, deleteAssessment, getAssessment, listReadinessQuestions } from '../models/readiness.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`${data.projectName}: readiness assessment`) : pageTitle('Assessment not found') },
  { name: 'robots', content: 'noindex' },
]

const assessmentId = (param: string | undefined) => {
  const id = Number(param)
  return Number.isSafeInteger(id) && id > 0 ? id : 0
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const assessment = await getAssessment(user, assessmentId(params.id))
  // Another member's assessment is answered exactly like one that does not exist.
  if (!assessment) throw new Response('No assessment of yours has that number.', { status: 404 })
  const questions = await listReadinessQuestions()
  const report = await buildReadinessReport(questions, assessment.answers, assessment.previous?.answers ?? null)
  return json({
    id: assessment.id,
    projectName: assessment.projectName,
    savedOn: formatLongDate(assessment.createdAt),
    previousOn: assessment.previous ? formatLongDate(assessment.previous.createdAt) : null,
    report,
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const deleted = await deleteAssessment(user, assessmentId(params.id))
  if (!deleted.ok) throw new Response(deleted.message, { status: deleted.status })
  return redirectWithFlash('/readiness', 'The assessment is deleted.')
}

export default function SavedAssessment() {
  const { id, projectName, savedOn, previousOn, report } = useLoaderData<typeof loader>()
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to="/readiness">Execution-readiness self-assessment</Link>
      </p>
      <h1>{projectName}</h1>
      <p className="lead">
        Readiness assessment saved on {savedOn}.{' '}
        {previousOn ? `Compared with the one saved on ${previousOn}.` : 'The first saved for this project.'}
      </p>
      <ReadinessReport report={report} comparedWith={previousOn} />
      <div className="form-actions no-print">
        <Link className="button" to={`/readiness?retake=${id}`}>
          Retake this assessment
        </Link>
        <Form method="post">
          <button type="submit" className="button button--danger">
            Delete this assessment
          </button>
        </Form>
      </div>
    </div>
  )
}
