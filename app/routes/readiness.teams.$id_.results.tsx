import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { AnswerFirst, TeamResultsView } from '../components/team-results'
import { requireUser } from '../lib/auth.server'
import { requireTeamAssessment } from '../lib/team-route.server'
import { discussionPath } from '../lib/team-paths'
import { countTeamComments } from '../models/team-discussion.server'
import { buildTeamResults, mayReadRound } from '../models/team-results.server'
import { membersWhoHaveBeenThere as listMembersWhoHaveBeenThere } from '../models/member-directory.server'
import { PeersWhoHaveBeenThere } from '../components/peers'
import { directoryPath } from '../lib/directory-query'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Results of round ${data.round}: ${data.projectName}`) : pageTitle('Team assessment not found') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  const asked = new URL(request.url).searchParams.get('round')
  const round = asked === null ? team.currentRound : team.rounds.find((r) => String(r.number) === asked)
  if (!round) throw new Response('This assessment has no round with that number.', { status: 404 })
  const base = { id: team.id, projectName: team.projectName, round: round.number, rounds: team.rounds.map((r) => r.number) }
  // No anchoring: the current round's answers stay hidden until the viewer has given theirs.
  if (!(await mayReadRound(user, round, team.currentRound.id))) {
    return json({ ...base, results: null, commentCounts: {}, membersWhoHaveBeenThere: [], failureModes: [] as string[] })
  }
  const [results, commentCounts] = await Promise.all([buildTeamResults(round), countTeamComments(team.id)])
  // Peers for the areas the team is recommended to work on: the weakest and the most divergent.
  const failureModes = [...new Set(results.recommendations.flatMap((r) => r.result.standard?.failureModes.map((m) => m.slug) ?? []))]
  const membersWhoHaveBeenThere = await listMembersWhoHaveBeenThere(failureModes)
  return json({ ...base, results, commentCounts, membersWhoHaveBeenThere, failureModes })
}

export default function TeamResultsPage() {
  const { id, projectName, round, rounds, results, commentCounts, membersWhoHaveBeenThere, failureModes } = useLoaderData<typeof loader>()
  const base = `/readiness/teams/${id}`
  return (
    <div className="readiness">
      <p className="breadcrumbs">
        <Link to={base}>{projectName}</Link>
      </p>
      <h1>
        {projectName}: results of round {round}
      </h1>
      {rounds.length > 1 ? (
        <nav aria-label="Rounds" className="round-nav">
          <ul>
            {rounds.map((n) => (
              <li key={n}>{n === round ? <span aria-current="page">Round {n}</span> : <Link to={`${base}/results?round=${n}`}>Round {n}</Link>}</li>
            ))}
            <li>
              <Link to={`${base}/trend`}>Trend across rounds</Link>
            </li>
          </ul>
        </nav>
      ) : null}
      {results ? (
        <>
          <TeamResultsView results={results} discussion={{ path: (key) => discussionPath(id, key), counts: commentCounts }} />
          {failureModes.length ? (
            <section aria-labelledby="been-there-heading" className="no-print">
              <PeersWhoHaveBeenThere
                members={membersWhoHaveBeenThere}
                Heading="h2"
                headingId="been-there-heading"
                directoryHref={directoryPath({ mode: failureModes[0] })}
              />
            </section>
          ) : null}
          <p className="no-print">
            <Link to={`${base}/report`}>Printable one-page report</Link>
          </p>
        </>
      ) : (
        <AnswerFirst teamId={id} round={round} what={`see how the others answered round ${round}`} />
      )}
    </div>
  )
}
