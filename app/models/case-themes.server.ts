import { sql } from 'kysely'
import { db } from '../../db/client'

// Themes: the failure modes as the library's front door

export interface ThemeSummary {
  slug: string
  name: string
  descriptionHtml: string
  /** Published cases this failure mode hurt (avoidances are not failures). */
  caseCount: number
  primaryCount: number
  /** Published cases that avoided or overcame it. */
  avoidedCount: number
}

/** Every failure mode with how many published cases show it (and as the primary mode). */
export async function listThemes(): Promise<ThemeSummary[]> {
  const rows = await db
    .selectFrom('taxonomy_terms as t')
    .leftJoin('case_failure_modes as m', 'm.term_id', 't.id')
    .leftJoin('cases as c', (join) => join.onRef('c.id', '=', 'm.case_id').on('c.status', '=', 'published'))
    .select([
      't.slug',
      't.name',
      't.description_html',
      sql<number>`count(case when m.avoided = 0 then c.id end)`.as('case_count'),
      sql<number>`count(case when m.avoided = 1 then c.id end)`.as('avoided_count'),
      sql<number>`count(case when m.is_primary = 1 then c.id end)`.as('primary_count'),
    ])
    .where('t.facet', '=', 'failure-mode')
    .groupBy('t.id')
    .orderBy('t.position')
    .execute()
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    descriptionHtml: row.description_html,
    caseCount: Number(row.case_count),
    primaryCount: Number(row.primary_count),
    avoidedCount: Number(row.avoided_count),
  }))
}

export interface Theme {
  id: number
  slug: string
  name: string
  descriptionHtml: string
  warningSigns: string[]
  prevention: string[]
  /** Published cases it hurt, primary ones first. */
  cases: ThemeCase[]
  /** Published cases that avoided or overcame it, with how. */
  avoidedBy: ThemeCase[]
}

export interface ThemeCase {
  slug: string
  title: string
  summary: string
  isPrimary: boolean
  how: string
  outcome: string
}

const themeCase = (c: { slug: string; title: string; summary: string; outcome: string; is_primary: number; how: string }): ThemeCase => ({
  slug: c.slug,
  title: c.title,
  summary: c.summary,
  isPrimary: !!c.is_primary,
  how: c.how,
  outcome: c.outcome,
})

/** A failure mode with its guidance and its published cases: those it hurt, then those that avoided it. */
export async function getTheme(slug: string): Promise<Theme | null> {
  const term = await db
    .selectFrom('taxonomy_terms')
    .select(['id', 'slug', 'name', 'description_html', 'warning_signs_json', 'prevention_json'])
    .where('facet', '=', 'failure-mode')
    .where('slug', '=', slug)
    .executeTakeFirst()
  if (!term) return null
  const cases = await db
    .selectFrom('case_failure_modes as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .select(['c.slug', 'c.title', 'c.summary', 'c.outcome', 'm.is_primary', 'm.how', 'm.avoided'])
    .where('m.term_id', '=', term.id)
    .where('c.status', '=', 'published')
    .orderBy('m.is_primary', 'desc')
    .orderBy('c.published_at', 'desc')
    .execute()
  return {
    id: term.id,
    slug: term.slug,
    name: term.name,
    descriptionHtml: term.description_html,
    warningSigns: JSON.parse(term.warning_signs_json),
    prevention: JSON.parse(term.prevention_json),
    cases: cases.filter((c) => !c.avoided).map(themeCase),
    avoidedBy: cases.filter((c) => c.avoided).map(themeCase),
  }
}
