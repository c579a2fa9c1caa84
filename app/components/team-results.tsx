import { Link } from '@remix-run/react'
import { TeachingGrid } from './readiness-report'
import { levelLabel } from '../lib/readiness-form'
import { teamPath } from '../lib/team-paths'
import { sideLabel } from '../lib/team-sides'
import type { QuestionResult, TeamResults } from '../models/team-results.server'
import { TableRegion } from './table-region'

const steps = (n: number) => `${n} ${n === 1 ? 'step' : 'steps'}`

/** A level in words; a side or team mean between two steps also shows its number. */
export function LevelText({ level }: { level: number }) {
  const label = levelLabel(Math.round(level))
  return <>{Number.isInteger(level) ? label : `${label} (${level.toFixed(1)} of 3)`}</>
}

function Gap({ result }: { result: QuestionResult }) {
  if (result.sides.length < 2) return <span className="muted">One side answered</span>
  if (result.divergent) return <strong className="gap gap--divergent">Sides disagree: {steps(result.spread)} apart</strong>
  return <>{result.spread === 0 ? 'Sides agree' : `${steps(result.spread)} apart`}</>
}

/**
 * What a participant who has not answered the current round sees instead of what the others
 * said (no anchoring): `what` completes "you ... once you have given your own answers".
 */
export function AnswerFirst({ teamId, round, what }: { teamId: number; round: number; what: string }) {
  return (
    <section aria-labelledby="answer-first-heading">
      <h2 id="answer-first-heading">Answer first</h2>
      <p>
        So that nobody anchors on anyone else, you {what} once you have given your own answers to round {round}.
      </p>
      <p>
        <Link className="button" to={`${teamPath(teamId)}/answer`}>
          Answer round {round}
        </Link>
      </p>
    </section>
  )
}

interface Props {
  results: TeamResults
  /** Where each question's private discussion is, for participants; none on the share link. */
  discussion?: { path: (key: string) => string; counts: Record<string, number> }
}

/** A round's results: every question with each side's answer side by side, the ranked views, and what to learn. */
export function TeamResultsView({ results, discussion }: Props) {
  const divergent = results.questions.filter((q) => q.divergent).length
  return (
    <div className="team-results">
      <section aria-labelledby="overview-heading">
        <h2 id="overview-heading">
          Round {results.round.number}: team readiness {results.score}%
        </h2>
        <p>
          {results.respondents} {results.respondents === 1 ? 'person' : 'people'} answered, for {results.sides.map(sideLabel).join(', ') || 'no side yet'}.{' '}
          {divergent
            ? `The sides disagree by two steps or more on ${divergent} ${divergent === 1 ? 'question' : 'questions'}, marked “Sides disagree” below.`
            : 'No two sides are two steps or more apart on any question.'}
        </p>
      </section>

      <div className="ranked-views">
        <section aria-labelledby="weakest-heading">
          <h2 id="weakest-heading">Weakest areas</h2>
          {results.weakest.length ? (
            <ol>
              {results.weakest.map((q) => (
                <li key={q.key}>
                  <a href={`#result-${q.key}`}>{q.area}</a>: team <LevelText level={q.teamLevel} />
                </li>
              ))}
            </ol>
          ) : (
            <p>Everyone answered “fully” everywhere.</p>
          )}
        </section>
        <section aria-labelledby="divergent-heading">
          <h2 id="divergent-heading">Most divergent areas</h2>
          {results.mostDivergent.length ? (
            <ol>
              {results.mostDivergent.map((q) => (
                <li key={q.key}>
                  <a href={`#result-${q.key}`}>{q.area}</a>: {steps(q.spread)} between sides{q.divergent ? ' (sides disagree)' : ''}
                </li>
              ))}
            </ol>
          ) : (
            <p>The sides gave the same answers everywhere.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="by-question-heading">
        <h2 id="by-question-heading">Every question, side by side</h2>
        <TableRegion captionId="by-question-caption">
          <table className="team-results__table">
            <caption id="by-question-caption" className="visually-hidden">
              Every question: each side’s answer, the whole team’s and the gap between sides
            </caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                {results.sides.map((side) => (
                  <th scope="col" key={side}>
                    {sideLabel(side)}
                  </th>
                ))}
                <th scope="col">Whole team</th>
                <th scope="col">Gap between sides</th>
              </tr>
            </thead>
            <tbody>
              {results.questions.map((q) => (
                <tr key={q.key} id={`result-${q.key}`} className={q.divergent ? 'divergent' : undefined}>
                  <th scope="row">
                    {q.area}
                    <span className="muted detail">{q.question}</span>
                    {discussion ? (
                      <Link className="detail" to={discussion.path(q.key)}>
                        Discuss {q.area}
                        {discussion.counts[q.key] ? ` (${discussion.counts[q.key]} ${discussion.counts[q.key] === 1 ? 'comment' : 'comments'})` : ''}
                      </Link>
                    ) : null}
                  </th>
                  {results.sides.map((side) => {
                    const answer = q.sides.find((s) => s.side === side)
                    return <td key={side}>{answer ? <LevelText level={answer.level} /> : <span className="muted">No answer</span>}</td>
                  })}
                  <td>
                    <LevelText level={q.teamLevel} />
                  </td>
                  <td>
                    <Gap result={q} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>

      <section aria-labelledby="recommendations-heading" className="team-recommendations">
        <h2 id="recommendations-heading">Where to start</h2>
        {results.recommendations.length ? (
          <p>The weakest and the most divergent areas, with the failure modes they expose, how to prevent them, and what other teams learned.</p>
        ) : (
          <p>Nothing to recommend: the team answered fully and alike everywhere.</p>
        )}
        {results.recommendations.map(({ result, why, teaching }) => (
          <article key={result.key} className="recommendation" aria-labelledby={`recommend-${result.key}`}>
            <h3 id={`recommend-${result.key}`}>
              {result.area}: {why.map((w) => (w === 'weakest' ? 'among the weakest' : 'the sides see it differently')).join(', and ')}
            </h3>
            <p className="recommendation__question">{result.question}</p>
            <TeachingGrid question={result.standard!} teaching={teaching} />
          </article>
        ))}
      </section>
    </div>
  )
}
