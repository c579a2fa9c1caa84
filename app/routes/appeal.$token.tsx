import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DecisionSummary } from '../components/decision-summary'
import { ErrorSummary, TextAreaField } from '../components/forms'
import { decisionIdFromAppealToken } from '../lib/appeal-link.server'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import { appealStatementSchema } from '../lib/member-moderation-validation'
import { fileAppeal, getDecision } from '../models/appeal.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Appeal a moderation decision') }, { name: 'robots', content: 'noindex' }]

// No sign-in: the signed link in the member's email or notification is what names them, so a
// suspended member (who cannot sign in) can appeal too.
function decisionIdFrom(token: string | undefined): number {
  const decisionId = token ? decisionIdFromAppealToken(token) : null
  if (!decisionId) throw new Response('This appeal link is not valid. Use the link in the email or notification you received.', { status: 404 })
  return decisionId
}

export async function loader({ params }: LoaderFunctionArgs) {
  const decision = await getDecision(decisionIdFrom(params.token))
  if (!decision) throw new Response('This decision does not exist.', { status: 404 })
  return json({ decision })
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

export async function action({ request, params }: ActionFunctionArgs) {
  const decisionId = decisionIdFrom(params.token)
  const formData = await readForm(request)
  const values = typedValues(formData)
  const parsed = parseForm(formData, appealStatementSchema)
  if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values }, { status: 400 })
  const filed = await fileAppeal(decisionId, parsed.data.statement)
  if (!filed.ok) return json<ActionData>({ errors: { form: filed.message }, values }, { status: filed.status })
  return redirectWithFlash(new URL(request.url).pathname, 'Your appeal is with the moderators. A moderator other than the one who decided will review it, and you will hear the outcome by email.')
}

export default function Appeal() {
  const { decision } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  return (
    <div className="form">
      <h1>Appeal a moderation decision</h1>
      <ErrorSummary errors={errors} />
      <DecisionSummary decision={decision} />
      {decision.appealable ? (
        <Form method="post" noValidate>
          <TextAreaField
            name="statement"
            label="Why do you think this decision was wrong?"
            hint="A moderator other than the one who decided reads this and upholds or reverses the decision. Keep to the facts; 20 to 4,000 characters."
            rows={8}
            maxLength={4000}
            required
            defaultValue={actionData?.values.statement}
            error={errors?.statement}
          />
          <button type="submit" className="button">
            Send appeal
          </button>
        </Form>
      ) : decision.appeal ? null : (
        <p>This decision no longer stands, so there is nothing to appeal.</p>
      )}
      <p>
        How moderation and appeals work is described in the <Link to="/guidelines">community guidelines</Link>. Signed in,
        you can see every decision about your account on <Link to="/appeals">your moderation decisions</Link>.
      </p>
    </div>
  )
}
