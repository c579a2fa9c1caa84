import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DecisionSummary } from '../components/decision-summary'
import { appealPath } from '../lib/appeal-link.server'
import { requireUser } from '../lib/auth.server'
import { listMemberDecisions } from '../models/appeal.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Your moderation decisions and appeals') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const decisions = await listMemberDecisions(user.id)
  return json({ decisions: decisions.map((decision) => ({ ...decision, appealHref: decision.appealable ? appealPath(decision.id) : null })) })
}

export default function Appeals() {
  const { decisions } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Your moderation decisions and appeals</h1>
      <p>
        Every moderation decision that affected you, who made it and why, and the state of your appeals. You can appeal a
        decision once while it stands; a moderator other than the one who decided reviews it. See the{' '}
        <Link to="/guidelines">community guidelines</Link> for how moderation works.
      </p>
      {decisions.length === 0 ? (
        <p className="empty">No moderation decision has affected you.</p>
      ) : (
        <ol className="decision-list">
          {decisions.map((decision) => (
            <li key={decision.id} className="card">
              <DecisionSummary decision={decision} />
              {decision.appealHref ? (
                <p>
                  <Link to={decision.appealHref} className="button button--secondary">
                    Appeal this decision
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </>
  )
}
