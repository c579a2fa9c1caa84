import { TeamResultsView } from './team-results'
import { TrendSections } from './team-trend'
import type { TeamResults, TeamTrend } from '../models/team-results.server'

/**
 * The team report: the latest readable round side by side and, with more than one round, the
 * trend. The share link shows exactly this; printed, it fits one page (see the print styles).
 */
export function TeamReport({ projectName, results, trend }: { projectName: string; results: TeamResults | null; trend: TeamTrend }) {
  return (
    <div className="team-report">
      {results ? <TeamResultsView results={results} /> : <p>Nobody has answered yet.</p>}
      {trend.rounds.length > 1 ? (
        <section aria-labelledby="trend-heading" className="team-report__trend">
          <h2 id="trend-heading">Trend across rounds</h2>
          <TrendSections trend={trend} projectName={projectName} headingLevel={3} />
        </section>
      ) : null}
    </div>
  )
}
