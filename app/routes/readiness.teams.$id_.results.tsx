import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TeamResultsView } from '../components/team-results'
import { requireUser } from '../lib/auth.server'
import { requireTeamAssessment } from '../lib/team-route.server'
import { discussionPath } from '../lib/team-paths'
import { countTeamComments } from '../models/team-discussion.server'
import { buildTeamResults, mayReadRound } from '../models/team-results.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Results of round ${data.round}: ${data.projectName} · SectorPulse` : 'Team assessment not found · SectorPulse' },
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
    return json({ ...base, results: null, commentCounts: {}, membersWhoHaveBeenThere: [] })
  }
  const [results, commentCounts] = await Promise.all([buildTeamResults(round), countTeamComments(team.id)])
  // Members who have been there: the peer directory (another issue) fills this in after merging,
  // from the weakest and most divergent areas' failure modes. Until then, nobody is suggested.
  const membersWhoHaveBeenThere: { handle: string; displayName: string; why: string }[] = []
  return json({ ...base, results, commentCounts, membersWhoHaveBeenThere })
}

export default function TeamResultsPage() {
  const { id, projectName, round, rounds, results, commentCounts, membersWhoHaveBeenThere } = useLoaderData<typeof loader>()
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
          {membersWhoHaveBeenThere.length ? (
            <section aria-labelledby="been-there-heading">
              <h2 id="been-there-heading">Members who have been there</h2>
              <ul>
                {membersWhoHaveBeenThere.map((m) => (
                  <li key={m.handle}>
                    <Link to={`/members/${m.handle}`}>{m.displayName}</Link> <span className="muted">{m.why}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p className="no-print">
            <Link to={`${base}/report`}>Printable one-page report</Link>
          </p>
        </>
      ) : (
        <section aria-labelledby="answer-first-heading">
          <h2 id="answer-first-heading">Answer first</h2>
          <p>
            So that nobody anchors on anyone else, you see how the others answered round {round} once you have given your own answers.
          </p>
          <p>
            <Link className="button" to={`${base}/answer`}>
              Answer round {round}
            </Link>
          </p>
        </section>
      )}
    </div>
  )
}
