import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { ErrorSummary, SelectField } from '../components/forms'
import { getOptionalUser, requireParticipant } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'
import { parseForm, readForm } from '../lib/forms'
import { sideSchema } from '../lib/team-assessment-form'
import { SIDE_OPTIONS } from '../lib/team-sides'
import { acceptInvitation, findInvitation } from '../models/team-invitation.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Invitation: ${data.invitation.projectName}`) : pageTitle('Invitation not found') },
  { name: 'robots', content: 'noindex' },
]

const GONE = 'This invitation has been used, withdrawn or replaced. Ask the person who invited you for a new one.'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token ?? '')
  if (!invitation) throw new Response(GONE, { status: 404 })
  const user = await getOptionalUser(request)
  return json({ invitation, signedIn: !!user })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireParticipant(request)
  const parsed = parseForm(await readForm(request), sideSchema)
  if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 })
  const accepted = await acceptInvitation(user, params.token ?? '', parsed.data.side)
  if (!accepted.ok) throw new Response(accepted.message, { status: accepted.status })
  return redirectWithFlash(`/readiness/teams/${accepted.value.assessmentId}`, 'You have joined the team assessment. Answer when you are ready.')
}

export default function TeamInvitation() {
  const { invitation, signedIn } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { pathname } = useLocation()
  const back = new URLSearchParams({ redirectTo: pathname })
  return (
    <div className="readiness">
      <h1>Join the team assessment for “{invitation.projectName}”</h1>
      <p className="lead">
        {invitation.invitedBy ? `${invitation.invitedBy} invites you` : 'You are invited'} to a team alignment assessment on SectorPulse. Each
        person answers the same readiness questions for the side they speak for; nobody sees anyone’s answers until they have given their
        own, and then the team sees where its sides agree and where they do not.
      </p>
      {signedIn ? (
        <>
          <ErrorSummary errors={actionData?.errors} />
          <Form method="post" noValidate>
            <SelectField
              name="side"
              label="The side you speak for"
              options={SIDE_OPTIONS}
              placeholder="Choose a side"
              defaultValue=""
              error={actionData?.errors.side}
            />
            <button type="submit" className="button">
              Join the assessment
            </button>
          </Form>
        </>
      ) : (
        <section aria-labelledby="account-heading">
          <h2 id="account-heading">Sign in or join first</h2>
          <p>
            Team assessments are for SectorPulse members. <Link to={`/login?${back}`}>Sign in</Link> and you come straight back here. New to
            SectorPulse? <Link to={`/join?${back}`}>Join</Link>, then follow the link in your invitation again to accept it.
          </p>
        </section>
      )}
    </div>
  )
}
