import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
//
// Members' Markdown was rendered with its headings as typed, so a "#" in a reply became an h1
// in the middle of a thread page. Text is now rendered with its highest heading one level below
// the heading it is shown under and the others at their distance from it, up to h6
// (renderMarkdown's headingsUnder); this moves the HTML already stored the same way. The
// sanitizer allows no attributes on headings, so a stored heading tag is exactly "<hN>"; code
// that shows "<h1>" is stored escaped and is not touched.
const OPENING_POST = 'post_id in (select id from posts where number = 1)'
const SHIFTS: { table: string; column: string; under: number; where?: string }[] = [
  { table: 'posts', column: 'body_html', under: 2, where: 'number = 1' },
  { table: 'posts', column: 'body_html', under: 3, where: 'number > 1' },
  { table: 'post_revisions', column: 'body_html', under: 2, where: OPENING_POST },
  { table: 'post_revisions', column: 'body_html', under: 3, where: `not (${OPENING_POST})` },
  { table: 'team_comments', column: 'body_html', under: 2 },
  { table: 'cases', column: 'what_happened_html', under: 2 },
  { table: 'events', column: 'description_html', under: 2 },
  { table: 'events', column: 'recap_html', under: 2 },
  { table: 'users', column: 'bio_html', under: 1 },
]

const DEPTHS = [1, 2, 3, 4, 5, 6]
const has = (column: string, depth: number) => `${column} like '%<h${depth}>%'`

/** replace(...) calls moving every heading by `shift` levels (up to h6), in an order that moves none twice. */
function moved(column: string, shift: number): string {
  let expression = column
  for (const depth of shift > 0 ? [...DEPTHS].reverse() : DEPTHS) {
    const to = Math.min(depth + shift, 6)
    if (to === depth || to < 1) continue
    expression = `replace(replace(${expression}, '<h${depth}>', '<h${to}>'), '</h${depth}>', '</h${to}>')`
  }
  return expression
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, column, under, where } of SHIFTS) {
    // The highest heading in the text decides the shift: it becomes an h(under + 1).
    const byTop = DEPTHS.map((top) => `when ${has(column, top)} then ${moved(column, under + 1 - top)}`).join(' ')
    const headed = `(${DEPTHS.map((depth) => has(column, depth)).join(' or ')})`
    await sql.raw(`update ${table} set ${column} = case ${byTop} else ${column} end where ${headed}${where ? ` and ${where}` : ''}`).execute(db)
  }
}

export async function down(): Promise<void> {
  // Not reversible: after the move, a stored h4 may have been typed as "#" or as "###".
}
