import { sideLabel } from '../lib/team-sides'
import type { TeamTrend } from '../models/team-results.server'
import { TableRegion } from './table-region'

const PLOT_WIDTH = 442
const HEIGHT = 320
const PAD = { top: 20, bottom: 40, left: 48 }
const LABEL_OFFSET = 10
// Bold 14px text runs under 8.5 units a character: the chart widens (and scales down) until the
// longest end label, "Frontline or end-user representative 100%", fits beside the lines.
const labelRoom = (names: string[]) => LABEL_OFFSET + Math.ceil(8.5 * Math.max(...names.map((name) => `${name} 100%`.length))) + 8
// Lines differ by dash and marker as well as colour, and each is labelled at its end.
const DASHES = ['', '8 4', '2 4', '12 4 2 4', '4 4', '16 6']
const COLOURS = ['#005ea2', '#b50909', '#2e6b2e', '#7a3e9d', '#8a5300', '#1b1b1b']

const percent = (score: number | null) => (score === null ? 'no answers' : `${score}%`)

/** Series 0 is the whole team and series n the trend's n-th side, in every chart alike. */
const seriesStyle = (index: number) => ({ colour: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length], square: index % 2 === 1 })

function Marker({ x, y, index, size = 5 }: { x: number; y: number; index: number; size?: number }) {
  const { colour, square } = seriesStyle(index)
  return square ? <rect x={x - size} y={y - size} width={size * 2} height={size * 2} fill={colour} /> : <circle cx={x} cy={y} r={size} fill={colour} />
}

function lineSeries(trend: TeamTrend) {
  return [
    { name: 'Whole team', scores: trend.team },
    ...trend.sides.map((s) => ({ name: sideLabel(s.side), scores: s.scores })),
  ]
}

const lastScore = (scores: (number | null)[]) => scores.filter((score) => score !== null).at(-1) ?? null

const LABEL_GAP = 17

/**
 * Where each line's end label goes: beside its last point, pushed apart (down, then up from the
 * bottom) so that lines ending at about the same score keep labels one can read.
 */
function labelPositions(wanted: (number | null)[], bottom: number): (number | null)[] {
  const order = wanted.map((y, index) => ({ y, index })).filter((l): l is { y: number; index: number } => l.y !== null).sort((a, b) => a.y - b.y)
  for (let i = 1; i < order.length; i++) order[i].y = Math.max(order[i].y, order[i - 1].y + LABEL_GAP)
  for (let i = order.length - 1; i >= 0; i--) order[i].y = Math.min(order[i].y, i === order.length - 1 ? bottom : order[i + 1].y - LABEL_GAP)
  const placed: (number | null)[] = wanted.map(() => null)
  for (const label of order) placed[label.index] = label.y
  return placed
}

/** Where round `index` of `count` sits across a plot; a lone round sits in the middle. */
const roundX = (index: number, count: number, left: number, width: number) => left + (count === 1 ? width / 2 : (index / (count - 1)) * width)

/** The percent grid on the left and the rounds along the bottom, shared by both charts. */
function Axes(props: {
  ticks: number[]
  left: number
  right: number
  x: (index: number) => number
  y: (score: number) => number
  roundsAt: number
  rounds: number[]
  roundName: (round: number) => string
}) {
  const { ticks, left, right, x, y, roundsAt, rounds, roundName } = props
  return (
    <>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={right} y1={y(tick)} y2={y(tick)} className="trend-chart__grid" />
          <text x={left - 7} y={y(tick) + 5} textAnchor="end" className="trend-chart__axis">
            {tick}%
          </text>
        </g>
      ))}
      {rounds.map((round, i) => (
        <text key={round} x={x(i)} y={roundsAt} textAnchor="middle" className="trend-chart__axis">
          {roundName(round)}
        </text>
      ))}
    </>
  )
}

/** Readiness per side across rounds as a line chart; the table beside it has the same numbers. */
export function TrendChart({ trend, projectName }: { trend: TeamTrend; projectName: string }) {
  const series = lineSeries(trend)
  const plotWidth = PLOT_WIDTH
  const width = PAD.left + plotWidth + labelRoom(series.map((s) => s.name))
  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const x = (index: number) => roundX(index, trend.rounds.length, PAD.left, plotWidth)
  const y = (score: number) => PAD.top + plotHeight - (score / 100) * plotHeight
  const labelY = labelPositions(series.map((s) => lastScore(s.scores)).map((score) => (score === null ? null : y(score) + 5)), PAD.top + plotHeight + 5)
  const description = series
    .map((s) => `${s.name}: ${s.scores.map((score, i) => `round ${trend.rounds[i]} ${percent(score)}`).join(', ')}`)
    .join('. ')
  return (
    <figure className="trend-chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby="trend-title trend-desc" className="trend-chart__svg">
        <title id="trend-title">{`Readiness of “${projectName}” per side across rounds, in percent`}</title>
        <desc id="trend-desc">{description}</desc>
        <Axes ticks={[0, 25, 50, 75, 100]} left={PAD.left} right={PAD.left + plotWidth} x={x} y={y} roundsAt={HEIGHT - 12} rounds={trend.rounds} roundName={(round) => `Round ${round}`} />
        {series.map((s, index) => {
          const points = s.scores.map((score, i) => (score === null ? null : { x: x(i), y: y(score), score })).filter((p) => p !== null)
          const last = points[points.length - 1]
          const { colour, dash } = seriesStyle(index)
          return (
            <g key={s.name}>
              <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke={colour} strokeWidth={index === 0 ? 4 : 2.5} strokeDasharray={dash} />
              {points.map((p, i) => (
                <Marker key={i} x={p.x} y={p.y} index={index} />
              ))}
              {last ? (
                <text x={PAD.left + plotWidth + LABEL_OFFSET} y={labelY[index]!} fill={colour} className="trend-chart__label">
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

const SMALL_WIDTH = 300
const SMALL_HEIGHT = 160
const SMALL_PAD = { top: 10, right: 32, bottom: 26, left: 44 }
// Sides that gave an area the same score would hide one another: each side's line sits this many
// units off the next one's, a shift of about two percent that keeps every line in sight.
const SIDE_OFFSET = 3

/**
 * One small chart per area, each side a line across the rounds, all on the same scale so the
 * areas compare at a glance. A picture for sighted readers: the table after it holds the same
 * numbers (and the whole team's), so the pictures are hidden from assistive technology.
 */
function AreaTrendCharts({ trend }: { trend: TeamTrend }) {
  const plotWidth = SMALL_WIDTH - SMALL_PAD.left - SMALL_PAD.right
  const plotHeight = SMALL_HEIGHT - SMALL_PAD.top - SMALL_PAD.bottom
  const x = (index: number) => roundX(index, trend.rounds.length, SMALL_PAD.left, plotWidth)
  const y = (score: number) => SMALL_PAD.top + plotHeight - (score / 100) * plotHeight
  // Beyond four rounds "Round N" no longer fits side by side.
  const roundName = (round: number) => (trend.rounds.length > 4 ? `R${round}` : `Round ${round}`)
  return (
    <figure className="trend-chart area-trend">
      <div aria-hidden="true">
        <ul className="area-trend__legend">
          {trend.sides.map((s, i) => (
            <li key={s.side}>
              <svg viewBox="0 0 40 12" width="40" height="12" focusable="false">
                <line x1={2} x2={38} y1={6} y2={6} stroke={seriesStyle(i + 1).colour} strokeWidth={2.5} strokeDasharray={seriesStyle(i + 1).dash} />
                <Marker x={20} y={6} index={i + 1} size={4} />
              </svg>
              {sideLabel(s.side)}
            </li>
          ))}
        </ul>
        <div className="area-trend__grid">
          {trend.areas.map((area) => (
            <div key={area.key} className="area-trend__area">
              <p className="area-trend__name">{area.area}</p>
              <svg viewBox={`0 0 ${SMALL_WIDTH} ${SMALL_HEIGHT}`} className="trend-chart__svg" focusable="false">
                <Axes ticks={[0, 50, 100]} left={SMALL_PAD.left} right={SMALL_PAD.left + plotWidth} x={x} y={y} roundsAt={SMALL_HEIGHT - 6} rounds={trend.rounds} roundName={roundName} />
                {area.sides.map((s, sideIndex) => {
                  const index = sideIndex + 1
                  const offset = (sideIndex - (area.sides.length - 1) / 2) * SIDE_OFFSET
                  const points = s.scores.map((score, i) => (score === null ? null : { x: x(i), y: y(score) + offset })).filter((p) => p !== null)
                  return (
                    <g key={s.side}>
                      <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke={seriesStyle(index).colour} strokeWidth={2.5} strokeDasharray={seriesStyle(index).dash} />
                      {points.map((p, i) => (
                        <Marker key={i} x={p.x} y={p.y} index={index} size={4} />
                      ))}
                    </g>
                  )
                })}
              </svg>
            </div>
          ))}
        </div>
      </div>
      <figcaption>Each area’s readiness per side, in percent, one small chart per area on the same scale. The same numbers, with the whole team’s, are in the table below.</figcaption>
    </figure>
  )
}

/**
 * The trend per side (the chart and its numbers), then per area: a small chart per area and a
 * table with each area's score per round for the whole team and each side.
 */
export function TrendSections({ trend, projectName, headingLevel = 2 }: { trend: TeamTrend; projectName: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const roundHeaders = (prefix: string) =>
    trend.rounds.map((round) => (
      <th scope="col" key={`${prefix}-${round}`}>
        Round {round}
      </th>
    ))
  const groups = [{ key: 'team', name: 'Whole team' }, ...trend.sides.map((s) => ({ key: s.side, name: sideLabel(s.side) }))]
  return (
    <>
      <section aria-labelledby="trend-sides-heading">
        <Heading id="trend-sides-heading">Per side</Heading>
        <TrendChart trend={trend} projectName={projectName} />
        <TableRegion captionId="trend-sides-caption">
          <table>
            <caption id="trend-sides-caption" className="visually-hidden">
              Readiness per side, by round
            </caption>
            <thead>
              <tr>
                <th scope="col">Side</th>
                {roundHeaders('side')}
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
        <Heading id="trend-areas-heading">Per area and side</Heading>
        <AreaTrendCharts trend={trend} />
        <TableRegion captionId="trend-areas-caption">
          <table className="area-trend__table">
            <caption id="trend-areas-caption" className="visually-hidden">
              Readiness per area, for the whole team and each side, by round
            </caption>
            <colgroup>
              <col />
            </colgroup>
            {groups.map((group) => (
              <colgroup key={group.key} span={trend.rounds.length} />
            ))}
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  Area
                </th>
                {groups.map((group) => (
                  <th scope="colgroup" colSpan={trend.rounds.length} key={group.key}>
                    {group.name}
                  </th>
                ))}
              </tr>
              <tr>{groups.flatMap((group) => roundHeaders(group.key))}</tr>
            </thead>
            <tbody>
              {trend.areas.map((area) => (
                <tr key={area.key}>
                  <th scope="row">{area.area}</th>
                  {[area.team, ...area.sides.map((s) => s.scores)].flatMap((scores, group) =>
                    scores.map((score, i) => <td key={`${group}-${i}`}>{percent(score)}</td>),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </>
  )
}
