import { type ActionTitleHandle, useActionTitle } from '../lib/document-title'
import { pageTitle } from '../lib/page-title'
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { ErrorSummary, TextField } from '../components/forms'
import { QuestionFieldset } from '../components/readiness-question'
import { ReadinessReport } from '../components/readiness-report'
import { getOptionalUser } from '../lib/auth.server'
import { formatLongDate } from '../lib/dates'
import { type FieldErrors, readForm, typedValues } from '../lib/forms'
import { answersAsValues, parseQuestionnaire, PROJECT_NAME_MAX } from '../lib/readiness-form'
import {
  buildReadinessReport,
  getAssessment,
  listAssessments,
  listReadinessQuestions,
  type ReadinessReport as Report,
  saveAssessment,
} from '../models/readiness.server'

const RESULTS_HEADING = 'Your readiness results'

/** The unsaved results page has no address of its own: its action names it (lib/document-title). */
export const handle: ActionTitleHandle<ActionData> = {
  actionTitle: (actionData) => (actionData?.report ? pageTitle(RESULTS_HEADING, 'Execution-readiness self-assessment') : null),
}

export const meta: MetaFunction = () => [
  { title: pageTitle('Execution-readiness self-assessment') },
  {
    name: 'description',
    content:
      'Thirteen questions that show where a public-sector technology project is exposed, and the cases, discussions and events that teach each weak spot.',
  },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request)
  const retakeId = Number(new URL(request.url).searchParams.get('retake'))
  const [questions, saved, retake] = await Promise.all([
    listReadinessQuestions(),
    user ? listAssessments(user) : [],
    Number.isSafeInteger(retakeId) && retakeId > 0 ? getAssessment(user, retakeId) : null,
  ])
  return json({
    questions: questions.map(({ slug, position, area, question, guidanceHtml, looksLike }) => ({
      slug,
      position,
      area,
      question,
      guidanceHtml,
      looksLike,
    })),
    signedIn: !!user,
    saved: saved.map((a) => ({ ...a, createdOn: formatLongDate(a.createdAt) })),
    retake: retake && { id: retake.id, projectName: retake.projectName, values: answersAsValues(retake.answers, retake.projectName) },
  })
}

type ActionData = { errors: FieldErrors; values: Record<string, string>; report?: Report }

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request)
  const values = typedValues(formData)
  const saving = formData.get('intent') === 'save'
  const user = saving ? await getOptionalUser(request) : null
  if (saving && !user) {
    return json<ActionData>(
      { errors: { form: 'Sign in to save an assessment. You can still see your results without saving.' }, values },
      { status: 401 }
    )
  }

  const questions = await listReadinessQuestions()
  const parsed = parseQuestionnaire(
    formData,
    questions.map((q) => q.slug),
    { withProject: saving }
  )
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values }, { status: 400 })

  if (user) {
    const saved = await saveAssessment(user, parsed.data.project ?? '', parsed.data.answers)
    if (!saved.ok) return json<ActionData>({ errors: { [saved.field ?? 'form']: saved.message }, values }, { status: saved.status })
    return redirect(`/readiness/assessments/${saved.value.id}`)
  }
  return json<ActionData>({ errors: {}, values, report: await buildReadinessReport(questions, parsed.data.answers) })
}

export default function Readiness() {
  const { questions, signedIn, saved, retake } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  // A retake and a fresh start share this page: a new address must redraw the form's defaults.
  const { search } = useLocation()
  const errors = actionData?.errors
  const values = actionData?.values ?? retake?.values ?? {}
  useActionTitle(handle.actionTitle(actionData))

  if (actionData?.report) {
    return (
      <div className="readiness">
        <p className="breadcrumbs">
          <Link to="/readiness">Execution-readiness self-assessment</Link>
        </p>
        <h1>{RESULTS_HEADING}</h1>
        <p className="lead">Not saved. These results are only on this page.</p>
        <ReadinessReport report={actionData.report} />
        <section aria-labelledby="keep-heading" className="readiness-keep">
          <h2 id="keep-heading">Keep these results</h2>
          {signedIn ? (
            <Form method="post">
              {Object.entries(actionData.values)
                .filter(([name]) => name.startsWith('answer-') || name.startsWith('note-'))
                .map(([name, value]) => (
                  <input key={name} type="hidden" name={name} value={value} />
                ))}
              <TextField
                name="project"
                label="Project name"
                hint="Only you can see saved assessments."
                maxLength={PROJECT_NAME_MAX}
                defaultValue={actionData.values.project}
              />
              <button type="submit" name="intent" value="save" className="button" disabled={submitting}>
                Save assessment
              </button>
            </Form>
          ) : (
            <p>
              <Link to="/login?redirectTo=/readiness">Sign in</Link> or <Link to="/join">join</Link> to save an assessment under a project
              name, retake it later and see how each answer moved. To keep a copy now, print this page.
            </p>
          )}
        </section>
      </div>
    )
  }

  return (
    <div className="readiness">
      <h1>Execution-readiness self-assessment</h1>
      <p className="lead">
        Thirteen questions about how your project is being run, not what it is building. Each weak answer points you to the failure modes it
        exposes, the practices that prevent them, and the cases, discussions and events that teach them.
      </p>
      <p>It takes about ten minutes. Anyone can take it; nothing is stored unless you are signed in and choose to save.</p>
      <p>
        Assessing a project with the rest of its team? <Link to="/readiness/teams">Start a team alignment assessment</Link>: IT, program, sponsor,
        vendor, frontline and oversight answer the same questions, and you see where the sides disagree.
      </p>

      {saved.length ? (
        <section aria-labelledby="saved-heading">
          <h2 id="saved-heading">Your saved assessments</h2>
          <ul>
            {saved.map((a) => (
              <li key={a.id}>
                <Link to={`/readiness/assessments/${a.id}`}>{a.projectName}</Link>{' '}
                <span className="muted">
                  {a.createdOn}, {a.score}%
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {retake ? (
        <p className="notice" role="status">
          Retaking “{retake.projectName}”: your last answers are filled in. Change what has moved, then save.
        </p>
      ) : null}

      <ErrorSummary errors={errors} />
      <Form method="post" noValidate className="readiness-form" key={search}>
        <ol className="question-list">
          {questions.map((q) => (
            <QuestionFieldset key={q.slug} question={q} values={values} errors={errors} />
          ))}
        </ol>

        {signedIn ? (
          <div className="form-section">
            <TextField
              name="project"
              label="Project name (to save)"
              hint="Save under the same name each time to see how your answers move. Only you can see saved assessments."
              maxLength={PROJECT_NAME_MAX}
              defaultValue={values.project}
              error={errors?.project}
            />
          </div>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            name="intent"
            value="score"
            className={signedIn ? 'button button--secondary' : 'button'}
            disabled={submitting}
          >
            See my results
          </button>
          {signedIn ? (
            <button type="submit" name="intent" value="save" className="button" disabled={submitting}>
              Save and see my results
            </button>
          ) : null}
        </div>
      </Form>
    </div>
  )
}
