import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SelectField, TextField } from '../components/forms'
import { requireUser } from '../lib/auth.server'
import { ParticipantsOnly } from '../components/participation-notice'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { PROJECT_NAME_MAX } from '../lib/readiness-form'
import { startTeamSchema } from '../lib/team-assessment-form'
import { SIDE_OPTIONS, sideLabel } from '../lib/team-sides'
import { createTeamAssessment, listTeamAssessments } from '../models/team-assessment.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Team alignment assessments') }, { name: 'robots', content: 'noindex' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ assessments: await listTeamAssessments(user) })
}

// A member who may only read is refused by createTeamAssessment, with what they typed kept.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const values = typedValues(formData)
  const parsed = parseForm(formData, startTeamSchema)
  if (!parsed.ok) return json<{ errors: FieldErrors; values: Record<string, string> }>({ errors: parsed.errors, values }, { status: 400 })
  const created = await createTeamAssessment(user, parsed.data)
  if (!created.ok) return json({ errors: { [created.field ?? 'form']: created.message }, values }, { status: created.status })
  return redirectWithFlash(`/readiness/teams/${created.value.id}`, 'Your team assessment is started. Invite the team, then answer.')
}

export default function TeamAssessments() {
  const { assessments } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to="/readiness">Execution-readiness self-assessment</Link>
      </p>
      <h1>Team alignment assessments</h1>
      <p className="lead">
        Ask IT, the program, the sponsor, the vendor, the frontline and oversight the same readiness questions, then see where the sides agree
        and where they do not. Nobody sees anyone’s answers until they have given their own.
      </p>

      <section aria-labelledby="yours-heading">
        <h2 id="yours-heading">Your team assessments</h2>
        {assessments.length ? (
          <ul>
            {assessments.map((a) => (
              <li key={a.id}>
                <Link to={`/readiness/teams/${a.id}`}>{a.projectName}</Link>{' '}
                <span className="muted">
                  you speak for {sideLabel(a.side)}
                  {a.isOwner ? ', you own it' : ''}, {a.rounds} {a.rounds === 1 ? 'round' : 'rounds'}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>You take part in no team assessment yet. Start one below, or follow an invitation someone sent you.</p>
        )}
      </section>

      <section aria-labelledby="start-heading">
        <h2 id="start-heading">Start a team assessment</h2>
        <ErrorSummary errors={actionData?.errors} />
        <ParticipantsOnly submitted={!!actionData}>
          <Form method="post" noValidate>
            <TextField
              name="projectName"
              label="Project name"
              hint="The project the team is assessing. Only the people you invite see the assessment."
              maxLength={PROJECT_NAME_MAX}
              defaultValue={actionData?.values.projectName}
              error={actionData?.errors.projectName}
            />
            <SelectField
              name="side"
              label="The side you speak for"
              options={SIDE_OPTIONS}
              placeholder="Choose a side"
              required
              defaultValue={actionData?.values.side ?? ''}
              error={actionData?.errors.side}
            />
            <button type="submit" className="button">
              Start the assessment
            </button>
          </Form>
        </ParticipantsOnly>
      </section>
    </div>
  )
}
