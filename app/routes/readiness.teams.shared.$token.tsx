import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { TeamReport } from '../components/team-report'
import { teamForShareToken } from '../models/team-invitation.server'
import { buildTeamResults, buildTeamTrend, latestAnsweredRound, roundsOf } from '../models/team-results.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Team alignment report: ${data.projectName}`) : pageTitle('Link not found') },
  { name: 'robots', content: 'noindex' },
]

/** The read-only share link: results and trend, no sign-in, nothing else of the assessment. */
export async function loader({ params }: LoaderFunctionArgs) {
  const team = await teamForShareToken(params.token ?? '')
  if (!team) throw new Response('This link does not work: it may have been revoked or replaced. Ask whoever gave it to you for a new one.', { status: 404 })
  const [latest, rounds] = await Promise.all([latestAnsweredRound(team.id), roundsOf(team.id)])
  const answeredRounds = latest ? rounds.filter((r) => r.number <= latest.number) : []
  const [results, trend] = await Promise.all([latest ? buildTeamResults(latest) : null, buildTeamTrend(answeredRounds)])
  return json({ projectName: team.projectName, results, trend })
}

export default function SharedTeamReport() {
  const { projectName, results, trend } = useLoaderData<typeof loader>()
  return (
    <div className="readiness">
      <h1>{projectName}: team alignment report</h1>
      <p className="lead">
        A read-only report shared by the team. It shows how each side of the project rates its readiness and where the sides disagree.
      </p>
      <TeamReport projectName={projectName} results={results} trend={trend} />
    </div>
  )
}
