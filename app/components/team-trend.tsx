import { sideLabel } from '../lib/team-sides'
import type { TeamTrend } from '../models/team-results.server'
import { TableRegion } from './table-region'

const WIDTH = 640
const HEIGHT = 320
const PAD = { top: 20, right: 150, bottom: 40, left: 48 }
// Lines differ by dash and marker as well as colour, and each is labelled at its end.
const DASHES = ['', '8 4', '2 4', '12 4 2 4', '4 4', '16 6']
const COLOURS = ['#005ea2', '#b50909', '#2e6b2e', '#7a3e9d', '#8a5300', '#1b1b1b']

const percent = (score: number | null) => (score === null ? 'no answers' : `${score}%`)

function lineSeries(trend: TeamTrend) {
  return [
    { name: 'Whole team', scores: trend.team },
    ...trend.sides.map((s) => ({ name: sideLabel(s.side), scores: s.scores })),
  ]
}

/** Readiness per side across rounds as a line chart; the table beside it has the same numbers. */
export function TrendChart({ trend, projectName }: { trend: TeamTrend; projectName: string }) {
  const series = lineSeries(trend)
  const plotWidth = WIDTH - PAD.left - PAD.right
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (index: number) => PAD.left + (trend.rounds.length === 1 ? plotWidth / 2 : (index / (trend.rounds.length - 1)) * plotWidth)
  const y = (score: number) => PAD.top + plotHeight - (score / 100) * plotHeight
  const description = series
    .map((s) => `${s.name}: ${s.scores.map((score, i) => `round ${trend.rounds[i]} ${percent(score)}`).join(', ')}`)
    .join('. ')
  return (
    <figure className="trend-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="trend-title trend-desc" className="trend-chart__svg">
        <title id="trend-title">{`Readiness of “${projectName}” per side across rounds, in percent`}</title>
        <desc id="trend-desc">{description}</desc>
        {[0, 25, 50, 75, 100].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={PAD.left + plotWidth} y1={y(tick)} y2={y(tick)} className="trend-chart__grid" />
            <text x={PAD.left - 8} y={y(tick) + 5} textAnchor="end" className="trend-chart__axis">
              {tick}%
            </text>
          </g>
        ))}
        {trend.rounds.map((round, i) => (
          <text key={round} x={x(i)} y={HEIGHT - 12} textAnchor="middle" className="trend-chart__axis">
            Round {round}
          </text>
        ))}
        {series.map((s, index) => {
          const points = s.scores.map((score, i) => (score === null ? null : { x: x(i), y: y(score), score })).filter((p) => p !== null)
          const last = points[points.length - 1]
          const colour = COLOURS[index % COLOURS.length]
          return (
            <g key={s.name}>
              <polyline
                points={points.map((p) => `${p.x},${p.y}`).join(' ')}
                fill="none"
                stroke={colour}
                strokeWidth={index === 0 ? 4 : 2.5}
                strokeDasharray={DASHES[index % DASHES.length]}
              />
              {points.map((p, i) =>
                index % 2 ? (
                  <rect key={i} x={p.x - 5} y={p.y - 5} width={10} height={10} fill={colour} />
                ) : (
                  <circle key={i} cx={p.x} cy={p.y} r={5} fill={colour} />
                ),
              )}
              {last ? (
                <text x={PAD.left + plotWidth + 10} y={last.y + 5 + (index - series.length / 2) * 2} fill={colour} className="trend-chart__label">
                  {s.name} {last.score}%
                </text>
              ) : null}
            </g>
          )
        })}
      </svg>
      <figcaption>Readiness per side, in percent of the most each side could score. The same numbers are in the table below.</figcaption>
    </figure>
  )
}

/** The trend's numbers: per side, then per area, one column per round. */
export function TrendTables({ trend, headingLevel = 2 }: { trend: TeamTrend; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const rounds = trend.rounds.map((round) => (
    <th scope="col" key={round}>
      Round {round}
    </th>
  ))
  return (
    <>
      <section aria-labelledby="trend-sides-heading">
        <Heading id="trend-sides-heading">Per side</Heading>
        <TableRegion captionId="trend-sides-caption">
          <table>
            <caption id="trend-sides-caption" className="visually-hidden">
              Readiness per side, by round
            </caption>
            <thead>
              <tr>
                <th scope="col">Side</th>
                {rounds}
              </tr>
            </thead>
            <tbody>
              {lineSeries(trend).map((s) => (
                <tr key={s.name}>
                  <th scope="row">{s.name}</th>
                  {s.scores.map((score, i) => (
                    <td key={i}>{percent(score)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
      <section aria-labelledby="trend-areas-heading">
        <Heading id="trend-areas-heading">Per area (whole team)</Heading>
        <TableRegion captionId="trend-areas-caption">
          <table>
            <caption id="trend-areas-caption" className="visually-hidden">
              Whole-team readiness per area, by round
            </caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                {rounds}
              </tr>
            </thead>
            <tbody>
              {trend.areas.map((area) => (
                <tr key={area.key}>
                  <th scope="row">{area.area}</th>
                  {area.scores.map((score, i) => (
                    <td key={i}>{percent(score)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </>
  )
}
