// Helpers for the Case library end-to-end tests: what the curated cases in content/ say (so
// browse, theme and case-page assertions follow the content rather than hard-coded numbers),
// filling the sectioned submission form, and finding cases in lists.
import { readdirSync, readFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import matter from 'gray-matter'
import { expect, uniqueTitle } from './discussions-helpers'

const contentDir = joinPath(process.cwd(), 'content')

function frontMatter(dir: string) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => {
      const parsed = matter(readFileSync(joinPath(dir, file), 'utf8'))
      return { slug: file.replace(/\.md$/, ''), data: parsed.data as Record<string, unknown>, body: parsed.content }
    })
}

// ---------------------------------------------------------------------------------------------
// The taxonomy

export interface Term {
  slug: string
  name: string
}

export interface FailureMode extends Term {
  order: number
  warningSigns: string[]
  prevention: string[]
  body: string
}

export function failureModes(): FailureMode[] {
  return frontMatter(joinPath(contentDir, 'taxonomy/failure-modes'))
    .map(({ slug, data, body }) => ({
      slug,
      name: String(data.name),
      order: Number(data.order),
      warningSigns: data.warning_signs as string[],
      prevention: data.prevention as string[],
      body: body.trim(),
    }))
    .sort((a, b) => a.order - b.order)
}

/** The terms of one facet file (levels, outcomes, domains, phases), in their listed order. */
export function facetTerms(file: 'levels' | 'outcomes' | 'domains' | 'phases'): Term[] {
  const parsed = matter(readFileSync(joinPath(contentDir, 'taxonomy', `${file}.md`), 'utf8'))
  return (parsed.data.terms as { slug: string; name: string }[]).map(({ slug, name }) => ({ slug, name }))
}

export function termName(file: 'levels' | 'outcomes' | 'domains' | 'phases', slug: string): string {
  const term = facetTerms(file).find((t) => t.slug === slug)
  if (!term) throw new Error(`No ${file} term ${slug}`)
  return term.name
}

export function modeName(slug: string): string {
  const mode = failureModes().find((m) => m.slug === slug)
  if (!mode) throw new Error(`No failure mode ${slug}`)
  return mode.name
}

// ---------------------------------------------------------------------------------------------
// The curated cases

export interface CuratedCase {
  slug: string
  title: string
  summary: string
  level: string
  domain: string
  outcome: string
  jurisdiction: string
  years: string
  outcomeDetail: string
  primaryMode: string
  /** Every failure mode, the primary one first. */
  modes: string[]
  /** The failure modes it avoided or overcame. */
  avoidedModes: string[]
  phases: string[]
  rootCauses: string[]
  lessons: string[]
  recommendations: string[]
  sources: { title: string; publisher: string }[]
  published: string
}

export function curatedCases(): CuratedCase[] {
  return frontMatter(joinPath(contentDir, 'cases')).map(({ slug, data }) => {
    // A success may have no failure mode that hurt it: only ones it avoided (not counted here).
    const primary = data.primary_failure_mode as { slug: string } | undefined
    const contributing = (data.contributing_failure_modes ?? []) as { slug: string }[]
    const published = data.published instanceof Date ? data.published.toISOString().slice(0, 10) : String(data.published)
    return {
      slug,
      title: String(data.title),
      summary: String(data.summary),
      level: String(data.level),
      domain: String(data.domain),
      outcome: String(data.outcome),
      jurisdiction: String(data.jurisdiction),
      years: String(data.years),
      outcomeDetail: String(data.outcome_detail),
      primaryMode: primary?.slug ?? '',
      modes: [...(primary ? [primary.slug] : []), ...contributing.map((m) => m.slug)],
      avoidedModes: ((data.avoided_failure_modes ?? []) as { slug: string }[]).map((m) => m.slug),
      phases: data.phases as string[],
      rootCauses: data.root_causes as string[],
      lessons: data.lessons as string[],
      recommendations: data.recommendations as string[],
      sources: (data.sources ?? []) as { title: string; publisher: string }[],
      published,
    }
  })
}

export function curatedCase(slug: string): CuratedCase {
  const found = curatedCases().find((c) => c.slug === slug)
  if (!found) throw new Error(`No curated case ${slug}`)
  return found
}

/**
 * The cases the site should list as related to `slug`: most shared failure modes (whether they
 * hurt a case or it avoided or overcame them: a case that beat a mode is worth reading beside
 * one it hurt), then shared phases, then same domain, then newest (as the model orders them),
 * four at most.
 */
export function expectedRelated(slug: string, limit = 4): { slug: string; title: string; sharedModes: number }[] {
  const all = curatedCases()
  const self = curatedCase(slug)
  const named = (c: CuratedCase) => [...c.modes, ...c.avoidedModes]
  return all
    .filter((c) => c.slug !== slug)
    .map((c) => ({
      c,
      sharedModes: named(c).filter((m) => named(self).includes(m)).length,
      sharedPhases: c.phases.filter((p) => self.phases.includes(p)).length,
      sameDomain: c.domain === self.domain ? 1 : 0,
    }))
    .filter((r) => r.sharedModes > 0 || r.sameDomain)
    .sort(
      (a, b) =>
        b.sharedModes - a.sharedModes ||
        b.sharedPhases - a.sharedPhases ||
        b.sameDomain - a.sameDomain ||
        b.c.published.localeCompare(a.c.published),
    )
    .slice(0, limit)
    .map((r) => ({ slug: r.c.slug, title: r.c.title, sharedModes: r.sharedModes }))
}

// ---------------------------------------------------------------------------------------------
// Cases the tests submit

/**
 * Every case a test publishes uses the Tribal level and only these primary failure modes (no
 * contributing ones), so assertions about other levels and modes can rely on the curated
 * content alone, whatever runs in parallel.
 */
export const SUBMITTED_LEVEL = { slug: 'tribal', name: 'Tribal' }
export const SUBMISSION_MODES = {
  review: { slug: 'data-quality-and-migration', name: 'Data quality and migration' },
  anonymous: { slug: 'sponsorship-fades', name: 'Executive sponsorship fades' },
  noJs: { slug: 'procurement-constraints', name: 'Procurement constraints' },
} as const
export const SUBMISSION_MODE_SLUGS: string[] = Object.values(SUBMISSION_MODES).map((m) => m.slug)

export interface CaseFields {
  title: string
  summary: string
  /** Option labels, as the selects show them. */
  level: string
  domain: string
  jurisdiction: string
  budget: string
  contractModel: string
  years: string
  whatHappened: string
  primaryMode: string
  primaryHow: string
  /** Checkbox labels. */
  phases: string[]
  rootCauses: string[]
  lessons: string[]
  recommendations: string[]
  correctiveAction?: { action: string; worked: string; note?: string }
  outcome: string
  outcomeDetail: string
  source?: { title: string; publisher: string; reportNumber?: string; date?: string; url?: string }
  firstHand?: boolean
  anonymous?: boolean
}

/** A complete case a test can submit; `primaryMode` is one of SUBMISSION_MODES' names. */
export function newCase(prefix: string, primaryMode: string, overrides: Partial<CaseFields> = {}): CaseFields {
  return {
    title: uniqueTitle(prefix),
    summary: 'A county permit system went live before staff had tried it with real applications.',
    level: SUBMITTED_LEVEL.name,
    domain: 'Permitting',
    jurisdiction: 'A mid-size tribal nation permitting office',
    budget: '$1 million to $10 million',
    contractModel: 'Fixed-price systems integrator',
    years: '2019–2021',
    whatHappened: 'The new system went live on a **Monday** with every permit type at once.\n\nQueues grew for weeks.',
    primaryMode,
    primaryHow: 'Old records were loaded without checking them, so half the open permits had no owner.',
    phases: ['Testing', 'Go-live and cutover'],
    rootCauses: ['No trial migration with real records', 'The go-live date was fixed in the contract'],
    lessons: ['Run at least one full trial migration', 'Let the business decide when it is ready'],
    recommendations: ['Budget for two trial migrations', 'Write go-live criteria before the contract'],
    correctiveAction: { action: 'A team cleaned the open permits by hand', worked: 'Partly worked', note: 'It took six weeks.' },
    outcome: 'Recovered',
    outcomeDetail: 'The office cleared the backlog within three months of go-live.',
    source: { title: 'Permit system review', publisher: 'Office of the tribal auditor', reportNumber: 'Report 4', date: '2022' },
    firstHand: true,
    anonymous: false,
    ...overrides,
  }
}

/** Section 1 of the form: the project. */
export async function fillProjectSection(page: Page, fields: CaseFields) {
  await page.locator('#title').fill(fields.title)
  await page.getByLabel('Summary', { exact: true }).fill(fields.summary)
  await page.getByLabel('Level of government', { exact: true }).selectOption({ label: fields.level })
  await page.getByLabel('Domain', { exact: true }).selectOption({ label: fields.domain })
  await page.getByLabel('Jurisdiction', { exact: true }).fill(fields.jurisdiction)
  await page.getByLabel('Budget', { exact: true }).selectOption({ label: fields.budget })
  await page.getByLabel('Contract model', { exact: true }).fill(fields.contractModel)
  await page.getByLabel('Years', { exact: true }).fill(fields.years)
}

export async function expectProjectSection(page: Page, fields: CaseFields) {
  await expect(page.locator('#title')).toHaveValue(fields.title)
  await expect(page.getByLabel('Summary', { exact: true })).toHaveValue(fields.summary)
  await expect(page.getByLabel('Level of government', { exact: true }).locator('option:checked')).toHaveText(fields.level)
  await expect(page.getByLabel('Domain', { exact: true }).locator('option:checked')).toHaveText(fields.domain)
  await expect(page.getByLabel('Jurisdiction', { exact: true })).toHaveValue(fields.jurisdiction)
  await expect(page.getByLabel('Budget', { exact: true }).locator('option:checked')).toHaveText(fields.budget)
  await expect(page.getByLabel('Contract model', { exact: true })).toHaveValue(fields.contractModel)
  await expect(page.getByLabel('Years', { exact: true })).toHaveValue(fields.years)
}

/** Sections 2 to 8: everything after the project. */
export async function fillRestOfCase(page: Page, fields: CaseFields) {
  await page.getByLabel('The driving event').fill(fields.whatHappened)
  await page.getByLabel('Primary failure mode', { exact: false }).selectOption({ label: fields.primaryMode })
  await page.locator('#primaryHow').fill(fields.primaryHow)
  for (const phase of fields.phases) await page.getByRole('checkbox', { name: phase, exact: true }).check()
  await page.getByLabel('Root causes', { exact: true }).fill(fields.rootCauses.join('\n'))
  await page.getByLabel('Lessons learned', { exact: true }).fill(fields.lessons.join('\n'))
  await page.getByLabel('Recommendations', { exact: true }).fill(fields.recommendations.join('\n'))
  if (fields.correctiveAction) {
    await page.getByLabel('Action 1', { exact: true }).fill(fields.correctiveAction.action)
    await page.locator('#correctiveWorked-0').selectOption({ label: fields.correctiveAction.worked })
    if (fields.correctiveAction.note) await page.locator('#correctiveNote-0').fill(fields.correctiveAction.note)
  }
  await page.getByLabel('Outcome', { exact: true }).selectOption({ label: fields.outcome })
  await page.getByLabel('What the outcome was').fill(fields.outcomeDetail)
  if (fields.source) {
    await page.locator('#sourceTitle-0').fill(fields.source.title)
    await page.locator('#sourcePublisher-0').fill(fields.source.publisher)
    if (fields.source.reportNumber) await page.locator('#sourceNumber-0').fill(fields.source.reportNumber)
    if (fields.source.date) await page.locator('#sourceDate-0').fill(fields.source.date)
    if (fields.source.url) await page.locator('#sourceUrl-0').fill(fields.source.url)
  }
  if (fields.firstHand) {
    await page.getByLabel('Yes: I was there').check()
    await page.getByLabel('If you were there: your role on the project').fill('I ran the permit office during the rollout')
  } else {
    await page.getByLabel('No: it is drawn from the public record').check()
  }
  await page.getByLabel('Publish anonymously').setChecked(!!fields.anonymous)
}

export async function fillCase(page: Page, fields: CaseFields) {
  await fillProjectSection(page, fields)
  await fillRestOfCase(page, fields)
}

/** Starts a case at /cases/new, saves a draft of its first section and returns the draft's path. */
export async function saveDraft(page: Page, fields: CaseFields): Promise<string> {
  await page.goto('/cases/new')
  await fillProjectSection(page, fields)
  await page.getByRole('button', { name: 'Save draft' }).click()
  await expect(page).toHaveURL(/\/cases\/submissions\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
  return new URL(page.url()).pathname
}

/** Fills a whole case at /cases/new and submits it for review. */
export async function submitNewCase(page: Page, fields: CaseFields) {
  await page.goto('/cases/new')
  await fillCase(page, fields)
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await expect(page).toHaveURL(/\/cases\/submissions$/)
  await expect(submissionRow(page, fields.title).locator('.status-tag')).toHaveText('Waiting for review')
}

/** A case in the author's list at /cases/submissions. */
export function submissionRow(page: Page, title: string): Locator {
  return page.locator('li.case-card').filter({ has: page.getByRole('link', { name: title, exact: true }) })
}

/** A case waiting in /moderation/cases (`hasText` tells apart cases with the same title). */
export function reviewCard(page: Page, title: string, hasText?: string): Locator {
  const card = page.locator('.flag-queue > li').filter({ has: page.getByRole('link', { name: title, exact: true }) })
  return hasText ? card.filter({ hasText }) : card
}

/** A result card on /cases (or a theme page). */
export function caseCard(page: Page, title: string): Locator {
  return page.locator('li.case-card').filter({ has: page.getByRole('link', { name: title, exact: true }) })
}

/** The slugs of the result cards on the page, in order. */
export async function cardSlugs(page: Page): Promise<string[]> {
  const hrefs = await page.locator('li.case-card h3 a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  return hrefs.map((href) => href.replace(/^\/cases\//, ''))
}

/** Publishes (or returns) a waiting case from /moderation/cases as the signed-in moderator. */
export async function decide(
  page: Page,
  title: string,
  decision: 'Publish' | 'Return with feedback',
  { feedback, hasText }: { feedback?: string; hasText?: string } = {},
) {
  await page.goto('/moderation/cases')
  const card = reviewCard(page, title, hasText)
  await expect(card).toHaveCount(1)
  if (feedback) await card.getByLabel('Feedback for the author').fill(feedback)
  await card.getByRole('button', { name: decision }).click()
  await expect(page.getByRole('status')).toContainText(
    decision === 'Publish' ? 'The case is published.' : 'The case is returned to its author with your feedback.',
  )
  await expect(reviewCard(page, title, hasText)).toHaveCount(0)
}

/** Opens a facet's disclosure (if closed) so its checkboxes can be used. */
export async function openFacet(page: Page, label: string) {
  const details = page.locator('details.facet').filter({ has: page.locator('summary', { hasText: label }) })
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').click()
  return details
}
