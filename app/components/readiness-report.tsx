import { Link } from '@remix-run/react'
import { FULLY, levelLabel } from '../lib/readiness-form'
import type { ReadinessQuestion, ReadinessReport as Report, Teaching } from '../models/readiness.server'
import { PeersWhoHaveBeenThere } from './peers'
import { directoryPath } from '../lib/directory-query'
import { TableRegion } from './table-region'

const PRACTICES_PER_AREA = 5

function Movement({ level, previousLevel }: { level: number; previousLevel: number | null }) {
  if (previousLevel === null) return <>New question</>
  const change = level - previousLevel
  if (change === 0) return <>No change</>
  const steps = Math.abs(change) === 1 ? 'step' : 'steps'
  return (
    <span className={change > 0 ? 'movement movement--up' : 'movement movement--down'}>
      {change > 0 ? `Up ${change} ${steps}` : `Down ${-change} ${steps}`} (was {levelLabel(previousLevel)})
    </span>
  )
}

/** For one area: the failure modes it exposes, how to prevent them, and the cases, discussions and events that teach them. */
export function TeachingGrid({ question, teaching }: { question: ReadinessQuestion; teaching: Teaching }) {
  const { cases, discussions, events } = teaching
  const practices = [...new Set(question.failureModes.flatMap((mode) => mode.prevention.slice(0, 2)))].slice(0, PRACTICES_PER_AREA)
  return (
    <div className="recommendation__grid">
      <div>
        <h4>Failure modes it exposes</h4>
        <ul className="recommendation__modes">
          {question.failureModes.map((mode) => (
            <li key={mode.slug}>
              <Link to={`/cases/themes/${mode.slug}`}>{mode.name}</Link>
            </li>
          ))}
        </ul>
        <h4>Prevention practices</h4>
        <ul>
          {practices.map((practice) => (
            <li key={practice}>{practice}</li>
          ))}
        </ul>
      </div>
      <div>
        <h4>Cases to learn from</h4>
        {cases.length ? (
          <ul>
            {cases.map((c) => (
              <li key={c.slug}>
                <Link to={`/cases/${c.slug}`}>{c.title}</Link>
                <span className="muted detail">
                  {c.isPrimary ? 'Primary failure mode' : 'Also shows'}: {c.failureMode}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>No published case shows these failure modes yet.</p>
        )}
      </div>
      <div>
        <h4>Open discussions</h4>
        {discussions.length ? (
          <ul>
            {discussions.map((t) => (
              <li key={t.id}>
                <Link to={`/discussions/${t.id}/${t.slug}`}>{t.title}</Link>{' '}
                <span className="muted detail">
                  {t.replyCount} {t.replyCount === 1 ? 'reply' : 'replies'}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>
            No open discussion on these themes. <Link to="/discussions/new">Start one</Link>.
          </p>
        )}
        <h4>Upcoming events</h4>
        {events.length ? (
          <ul>
            {events.map((e) => (
              <li key={e.id}>
                <Link to={`/events/${e.id}/${e.slug}`}>{e.title}</Link> <span className="muted detail">{e.when}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>
            No upcoming event on these themes. <Link to="/events">See all events</Link>.
          </p>
        )}
      </div>
    </div>
  )
}

/** The result of an assessment: the score, every area ranked weakest first, and what teaches each weak one. */
export function ReadinessReport({ report, comparedWith }: { report: Report; comparedWith?: string | null }) {
  const comparing = report.previousScore !== null
  const counts = [0, 0, 0, 0]
  for (const area of report.ranked) counts[area.level]++
  return (
    <div className="readiness-report">
      <section aria-labelledby="score-heading" className="readiness-score">
        <h2 id="score-heading">Overall readiness: {report.score}%</h2>
        <p>
          {counts[FULLY]} fully, {counts[2]} mostly, {counts[1]} partly and {counts[0]} not yet, across {report.ranked.length} areas.
          {comparing ? ` Last time${comparedWith ? ` (${comparedWith})` : ''} it was ${report.previousScore}%.` : null}
        </p>
      </section>

      <section aria-labelledby="ranking-heading">
        <h2 id="ranking-heading">Your areas, weakest first</h2>
        <TableRegion captionId="ranking-caption">
          <table>
            <caption id="ranking-caption" className="visually-hidden">Your areas ranked, weakest first</caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Area</th>
                <th scope="col">Your answer</th>
                {comparing ? <th scope="col">Since last time</th> : null}
              </tr>
            </thead>
            <tbody>
              {report.ranked.map((area, index) => (
                <tr key={area.question.slug}>
                  <td>{index + 1}</td>
                  <th scope="row">
                    {area.question.area}
                    <span className="muted detail">{area.question.question}</span>
                  </th>
                  <td>
                    <span className={`level level--${area.level}`}>{levelLabel(area.level)}</span>
                  </td>
                  {comparing ? (
                    <td>
                      <Movement level={area.level} previousLevel={area.previousLevel} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>

      <section aria-labelledby="recommendations-heading">
        <h2 id="recommendations-heading">Where to start</h2>
        {report.recommendations.length ? (
          <p>
            The {report.recommendations.length === 1 ? 'area' : `${report.recommendations.length} weakest areas`} below, with the failure
            modes
            {report.recommendations.length === 1 ? ' it exposes' : ' they expose'}, how to prevent them, and what other teams learned.
          </p>
        ) : (
          <p>You answered fully everywhere. Retake the assessment as the project moves on: readiness changes with every phase.</p>
        )}
        {report.recommendations.map(({ area, peers, ...teaching }, index) => {
          const headingId = `area-${area.question.slug}`
          return (
            <article key={area.question.slug} className="recommendation" aria-labelledby={headingId}>
              <h3 id={headingId}>
                {index + 1}. {area.question.area}: {levelLabel(area.level).toLowerCase()}
              </h3>
              <p className="recommendation__question">{area.question.question}</p>
              {area.note ? (
                <p className="recommendation__note">
                  <strong>Your note:</strong> {area.note}
                </p>
              ) : null}
              <TeachingGrid question={area.question} teaching={teaching} />
              {/* A list of people to contact is for the screen; the printed report stays one page. */}
              <div className="no-print">
                <PeersWhoHaveBeenThere
                  members={peers}
                  Heading="h4"
                  directoryHref={directoryPath({ mode: area.question.failureModes[0]?.slug ?? null })}
                />
              </div>
            </article>
          )
        })}
      </section>
    </div>
  )
}
