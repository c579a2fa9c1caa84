export interface HeatmapAxis {
  slug: string
  name: string
}

// Light to dark; the two darkest carry white text (both pairs pass 4.5:1).
const SHADES = ['#dbe9f6', '#a9cce3', '#6baed6', '#2f6fb0', '#12294a']
const EMPTY_SHADE = '#f3f5f7'

const LABEL_WIDTH = 350
const HEADER_HEIGHT = 130
const CELL_WIDTH = 64
const CELL_HEIGHT = 30

export function shadeFor(count: number, max: number): { fill: string; text: string } {
  if (count === 0 || max === 0) return { fill: EMPTY_SHADE, text: '#4a4f55' }
  const index = Math.min(SHADES.length - 1, Math.floor(((count - 1) / max) * SHADES.length))
  return { fill: SHADES[index], text: index >= 3 ? '#ffffff' : '#1b1b1b' }
}

/**
 * The failure mode x phase heatmap as server-rendered SVG. It is a picture for sighted mouse
 * users; the page's table holds the same numbers and links for keyboards and screen readers,
 * so the picture is hidden from assistive technology and its links are out of the tab order.
 */
export function Heatmap({
  rows,
  columns,
  cells,
  href,
}: {
  rows: HeatmapAxis[]
  columns: HeatmapAxis[]
  cells: Record<string, Record<string, number>>
  href: (row: string, column: string) => string
}) {
  const max = Math.max(0, ...rows.flatMap((r) => columns.map((c) => cells[r.slug]?.[c.slug] ?? 0)))
  // Room on the right for the last rotated phase name.
  const width = LABEL_WIDTH + columns.length * CELL_WIDTH + 130
  const height = HEADER_HEIGHT + rows.length * CELL_HEIGHT + 4
  return (
    <svg
      className="heatmap"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      aria-hidden="true"
      focusable="false"
      fontFamily="system-ui, sans-serif"
      fontSize="13"
    >
      {columns.map((column, index) => {
        const x = LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH / 2
        return (
          <text key={column.slug} transform={`translate(${x} ${HEADER_HEIGHT - 8}) rotate(-40)`} fill="#1b1b1b">
            {column.name}
          </text>
        )
      })}
      {rows.map((row, rowIndex) => {
        const y = HEADER_HEIGHT + rowIndex * CELL_HEIGHT
        return (
          <g key={row.slug}>
            <text x={LABEL_WIDTH - 8} y={y + CELL_HEIGHT / 2 + 5} textAnchor="end" fill="#1b1b1b">
              {row.name}
            </text>
            {columns.map((column, columnIndex) => {
              const count = cells[row.slug]?.[column.slug] ?? 0
              const shade = shadeFor(count, max)
              const x = LABEL_WIDTH + columnIndex * CELL_WIDTH
              const cell = (
                <>
                  <rect x={x + 1} y={y + 1} width={CELL_WIDTH - 2} height={CELL_HEIGHT - 2} fill={shade.fill} rx="2" />
                  <text x={x + CELL_WIDTH / 2} y={y + CELL_HEIGHT / 2 + 5} textAnchor="middle" fill={shade.text} fontWeight="600">
                    {count}
                  </text>
                </>
              )
              return count ? (
                <a key={column.slug} href={href(row.slug, column.slug)} tabIndex={-1}>
                  <title>{`${row.name} in ${column.name}: ${count} ${count === 1 ? 'case' : 'cases'}`}</title>
                  {cell}
                </a>
              ) : (
                <g key={column.slug}>{cell}</g>
              )
            })}
          </g>
        )
      })}
    </svg>
  )
}
