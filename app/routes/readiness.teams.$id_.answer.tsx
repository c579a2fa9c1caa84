import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary } from '../components/forms'
import { QuestionFieldset } from '../components/readiness-question'
import { requireUser } from '../lib/auth.server'
import { ParticipantsOnly } from '../components/participation-notice'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, readForm, typedValues } from '../lib/forms'
import { answersAsValues, parseQuestionnaire } from '../lib/readiness-form'
import { requireTeamAssessment } from '../lib/team-route.server'
import { sideLabel } from '../lib/team-sides'
import { ownAnswers, questionsForRound, submitTeamAnswers } from '../models/team-results.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Answer round ${data.round}: ${data.projectName}`) : pageTitle('Team assessment not found') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  const [questions, answers] = await Promise.all([questionsForRound(team.currentRound.id), ownAnswers(user, team.currentRound.id)])
  return json({
    id: team.id,
    projectName: team.projectName,
    side: team.side,
    round: team.currentRound.number,
    questions: questions.map((q) => ({
      slug: q.key,
      area: q.area,
      question: q.question,
      guidanceHtml: q.standard?.guidanceHtml ?? null,
      looksLike: q.standard?.looksLike ?? [],
    })),
    answered: answers !== null,
    values: answers ? answersAsValues(answers, null) : {},
  })
}

// A member who may only read is refused by submitTeamAnswers, and the page comes back with their answers.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  const formData = await readForm(request)
  const values = typedValues(formData)
  const questions = await questionsForRound(team.currentRound.id)
  const parsed = parseQuestionnaire(formData, questions.map((q) => q.key))
  if (!parsed.ok) return json<{ errors: FieldErrors; values: Record<string, string> }>({ errors: parsed.errors, values }, { status: 400 })
  const saved = await submitTeamAnswers(user, team.id, parsed.data.answers)
  if (!saved.ok) return json({ errors: { [saved.field ?? 'form']: saved.message }, values }, { status: saved.status })
  return redirectWithFlash(`/readiness/teams/${team.id}/results`, `Your answers to round ${saved.value.round} are in. Here is how the sides compare.`)
}

export default function AnswerTeamAssessment() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const values = actionData?.values ?? data.values
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to={`/readiness/teams/${data.id}`}>{data.projectName}</Link>
      </p>
      <h1>
        {data.projectName}: round {data.round}
      </h1>
      <p className="lead">
        Answer as {sideLabel(data.side)} sees the project today. Nobody sees your answers until they have given their own, and you see theirs
        once you have given yours.
        {data.answered ? ' You have answered this round already: change what you like and submit again.' : ''}
      </p>
      <ErrorSummary errors={actionData?.errors} />
      <ParticipantsOnly submitted={!!actionData}>
        <Form method="post" noValidate className="readiness-form">
          <ol className="question-list">
            {data.questions.map((q) => (
              <QuestionFieldset key={q.slug} question={q} values={values} errors={actionData?.errors} />
            ))}
          </ol>
          <div className="form-actions">
            <button type="submit" className="button">
              {data.answered ? 'Submit my changed answers' : 'Submit my answers'}
            </button>
          </div>
        </Form>
      </ParticipantsOnly>
    </div>
  )
}
