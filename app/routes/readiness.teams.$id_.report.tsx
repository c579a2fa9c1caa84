import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TeamReport } from '../components/team-report'
import { requireUser } from '../lib/auth.server'
import { requireTeamAssessment } from '../lib/team-route.server'
import { buildTeamResults, buildTeamTrend, mayReadRound } from '../models/team-results.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Team report: ${data.projectName}`) : pageTitle('Team assessment not found') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  const readable = (await mayReadRound(user, team.currentRound, team.currentRound.id)) ? team.rounds : team.rounds.slice(0, -1)
  const latest = readable[readable.length - 1]
  const [results, trend] = await Promise.all([latest ? buildTeamResults(latest) : null, buildTeamTrend(readable)])
  return json({ id: team.id, projectName: team.projectName, results, trend })
}

export default function TeamReportPage() {
  const { id, projectName, results, trend } = useLoaderData<typeof loader>()
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to={`/readiness/teams/${id}`}>{projectName}</Link>
      </p>
      <h1>{projectName}: team alignment report</h1>
      <p className="no-print">Print this page (or save it as PDF) for a one-page report.</p>
      <TeamReport projectName={projectName} results={results} trend={trend} />
    </div>
  )
}
