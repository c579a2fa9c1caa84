import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TrendSections } from '../components/team-trend'
import { requireUser } from '../lib/auth.server'
import { requireTeamAssessment } from '../lib/team-route.server'
import { buildTeamTrend, mayReadRound } from '../models/team-results.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Trend: ${data.projectName}`) : pageTitle('Team assessment not found') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  // The current round joins the trend once the viewer has answered it (no anchoring).
  const readable = (await mayReadRound(user, team.currentRound, team.currentRound.id)) ? team.rounds : team.rounds.slice(0, -1)
  return json({ id: team.id, projectName: team.projectName, trend: await buildTeamTrend(readable), hidesCurrent: readable.length < team.rounds.length })
}

export default function TeamTrendPage() {
  const { id, projectName, trend, hidesCurrent } = useLoaderData<typeof loader>()
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to={`/readiness/teams/${id}`}>{projectName}</Link>
      </p>
      <h1>{projectName}: trend across rounds</h1>
      {hidesCurrent ? (
        <p className="notice">
          The current round joins the trend once you have <Link to={`/readiness/teams/${id}/answer`}>given your answers</Link>.
        </p>
      ) : null}
      {trend.rounds.length ? (
        <TrendSections trend={trend} projectName={projectName} />
      ) : (
        <p>No round is readable yet.</p>
      )}
    </div>
  )
}
