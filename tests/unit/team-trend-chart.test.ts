import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { TrendChart } from '../../app/components/team-trend'
import { TEAM_SIDES } from '../../app/lib/team-sides'

// Bold 14px text (the end labels' style) runs under 8.5 units a character in the fonts we use.
const LABEL_UNITS_PER_CHARACTER = 8.5

function endLabels(svg: string) {
  const width = Number(/viewBox="0 0 (\d+(?:\.\d+)?) /.exec(svg)![1])
  return [...svg.matchAll(/<text x="([\d.]+)"[^>]*class="trend-chart__label"[^>]*>(.*?)<\/text>/g)].map(([, x, text]) => ({
    text: text.replace(/<!-- -->/g, ''),
    room: width - Number(x),
  }))
}

describe('the trend chart per side', () => {
  it('leaves room for every side’s end label, the longest included, inside the picture', () => {
    const trend = {
      rounds: [1, 2],
      team: [40, 60],
      sides: TEAM_SIDES.map((side, i) => ({ side: side.key, scores: [30 + i * 10, 100 - i * 10] })),
      areas: [],
    }
    const labels = endLabels(renderToStaticMarkup(createElement(TrendChart, { trend, projectName: 'Benefits' })))
    expect(labels.map((label) => label.text)).toContain('Frontline or end-user representative 60%')
    for (const label of labels) expect(label.room, label.text).toBeGreaterThanOrEqual(label.text.length * LABEL_UNITS_PER_CHARACTER)
  })
})
