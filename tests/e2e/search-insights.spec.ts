import { readdirSync, readFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { Page } from '@playwright/test'
import { cardSlugs, curatedCase, curatedCases, facetTerms, modeName, SUBMISSION_MODE_SLUGS, termName } from './cases-helpers'
import { expect, test } from './fixtures'

// A word that appears in one curated case only, and there only in a lesson: not in its title or
// summary, nor anywhere in any other content (checked below, so an edit to the content that
// breaks this is reported as such).
const LESSON_WORD = 'vocabulary'
const LESSON_CASE = 'uk-universal-credit-2013-reset'
// A word in the demo discussions, cases and events alike, and in nothing the other tests write.
const SHARED_WORD = 'reconcile'

const contentDir = joinPath(process.cwd(), 'content')

/** The .md files under a content folder whose text contains `stem` (case-insensitive). */
function filesMentioning(dir: string, stem: string): string[] {
  return readdirSync(joinPath(contentDir, dir))
    .filter((file) => file.endsWith('.md'))
    .filter((file) => readFileSync(joinPath(contentDir, dir, file), 'utf8').toLowerCase().includes(stem))
}

function headerSearch(page: Page) {
  return page.locator('header form.site-search')
}

async function searchFromHeader(page: Page, words: string) {
  const box = headerSearch(page).getByRole('searchbox', { name: 'Search discussions, cases and events' })
  await expect(box).toHaveAttribute('id', 'site-search-q')
  await box.fill(words)
  await headerSearch(page).getByRole('button', { name: 'Search' }).click()
  await expect(page).toHaveURL(`/search?q=${encodeURIComponent(words)}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search')
}

function results(page: Page) {
  return page.locator('ol.search-results > li.search-result')
}

function resultTypes(page: Page) {
  return page.getByRole('navigation', { name: 'Result types' })
}

/** The four tabs' counts, read from "All (4)", "Discussions (1)", … */
async function tabCounts(page: Page): Promise<Record<string, number>> {
  const texts = await resultTypes(page).getByRole('listitem').allTextContents()
  return Object.fromEntries(
    texts.map((text) => {
      const match = /^(\w+) \((\d+)\)$/.exec(text.trim())
      if (!match) throw new Error(`A result-type tab reads "${text}"`)
      return [match[1], Number(match[2])]
    }),
  )
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`search with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled })

    test('the header box finds a case by a word only its lessons use, marks the word, and opens the case', async ({ page }) => {
      // The word is where the test says it is, and nowhere else.
      const target = curatedCase(LESSON_CASE)
      expect(target.lessons.some((lesson) => lesson.toLowerCase().includes(LESSON_WORD))).toBe(true)
      expect(`${target.title} ${target.summary}`.toLowerCase()).not.toContain('vocabular')
      expect(filesMentioning('cases', 'vocabular')).toEqual([`${LESSON_CASE}.md`])
      expect(filesMentioning('demo/threads', 'vocabular')).toEqual([])
      expect(filesMentioning('demo/events', 'vocabular')).toEqual([])

      await page.goto('/events')
      await searchFromHeader(page, LESSON_WORD)
      await expect(page.getByRole('status')).toHaveText(`1 result for “${LESSON_WORD}”, most relevant first.`)
      expect(await tabCounts(page)).toEqual({ All: 1, Discussions: 0, Cases: 1, Events: 0 })
      // The page's own search box shows what was searched.
      await expect(page.locator('#q')).toHaveValue(LESSON_WORD)

      await expect(results(page)).toHaveCount(1)
      const hit = results(page).first()
      await expect(hit.locator('.search-result__type')).toHaveText(`Case · ${termName('outcomes', target.outcome)}`)
      const link = hit.getByRole('heading', { level: 2 }).getByRole('link')
      await expect(link).toHaveText(target.title)
      await expect(link).toHaveAttribute('href', `/cases/${LESSON_CASE}`)
      // The title does not hold the word, so nothing in it is marked; the snippet marks the word.
      await expect(link.locator('mark')).toHaveCount(0)
      const marks = hit.locator('.search-result__snippet mark')
      await expect(marks).toHaveCount(1)
      await expect(marks).toHaveText(new RegExp(`^${LESSON_WORD}$`, 'i'))
      await expect(hit.locator('.search-result__snippet')).toContainText('new vocabulary')

      await link.click()
      await expect(page).toHaveURL(`/cases/${LESSON_CASE}`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title)
      await expect(page.getByText('Agile methods need matching governance, assurance and skills, not just new vocabulary.')).toBeVisible()
    })

    test('the type tabs show how many of each kind match and narrow the results to that kind', async ({ page }) => {
      const expected = {
        Discussions: filesMentioning('demo/threads', 'reconcil').length,
        Cases: filesMentioning('cases', 'reconcil').length,
        Events: filesMentioning('demo/events', 'reconcil').length,
      }
      for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0)
      const all = expected.Discussions + expected.Cases + expected.Events

      await page.goto('/cases')
      await searchFromHeader(page, SHARED_WORD)
      expect(await tabCounts(page)).toEqual({ All: all, ...expected })
      await expect(resultTypes(page).locator('[aria-current="page"]')).toHaveText(`All (${all})`)
      await expect(page.getByRole('status')).toHaveText(`${all} results for “${SHARED_WORD}”, most relevant first.`)
      await expect(results(page)).toHaveCount(all)
      const kinds = await results(page).locator('.search-result__type').allTextContents()
      for (const kind of ['Discussion', 'Case', 'Event']) expect(kinds.some((k) => k.startsWith(kind))).toBe(true)
      // Every result marks the word (or a form of it) somewhere.
      for (const result of await results(page).all()) {
        const marked = await result.locator('mark').allTextContents()
        expect(marked.length).toBeGreaterThan(0)
        for (const word of marked) expect(word).toMatch(/^reconcil/i)
      }

      const singular: Record<string, string> = { Discussions: 'Discussion', Cases: 'Case', Events: 'Event' }
      for (const tab of ['Cases', 'Events', 'Discussions'] as const) {
        await resultTypes(page).getByRole('link', { name: `${tab} (${expected[tab]})` }).click()
        await expect(page).toHaveURL(new RegExp(`[?&]type=${tab.toLowerCase()}(&|$)`))
        await expect(resultTypes(page).locator('[aria-current="page"]')).toHaveText(`${tab} (${expected[tab]})`)
        await expect(results(page)).toHaveCount(expected[tab])
        for (const kind of await results(page).locator('.search-result__type').allTextContents()) {
          expect(kind.startsWith(singular[tab])).toBe(true)
        }
        await expect(page.getByRole('status')).toHaveText(
          `${expected[tab]} ${expected[tab] === 1 ? 'result' : 'results'} for “${SHARED_WORD}”, most relevant first.`,
        )
        // The other tabs keep their counts.
        expect(await tabCounts(page)).toEqual({ All: all, ...expected })
      }

      // A new search from the page keeps the chosen type.
      await page.locator('#q').fill('reconciliation')
      await page.getByRole('search', { name: 'Search SectorPulse' }).getByRole('button', { name: 'Search' }).click()
      await expect(page).toHaveURL(/[?&]type=discussions(&|$)/)
      await expect(page).toHaveURL(/[?&]q=reconciliation(&|$)/)
      await expect(resultTypes(page).locator('[aria-current="page"]')).toHaveText(/^Discussions \(\d+\)$/)
      for (const kind of await results(page).locator('.search-result__type').allTextContents()) {
        expect(kind.startsWith('Discussion')).toBe(true)
      }

      await resultTypes(page).getByRole('link', { name: /^All \(\d+\)$/ }).click()
      await expect(page).not.toHaveURL(/type=/)
      await expect(resultTypes(page).locator('[aria-current="page"]')).toHaveText(/^All \(\d+\)$/)
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Insights

interface Cell {
  mode: string
  phase: string
  slugs: string[]
}

/**
 * Heatmap cells from the curated content, for failure modes no other e2e test submits cases
 * with (so the counts cannot move while this runs), biggest first.
 */
function stableCells(outcome?: string): Cell[] {
  const cases = curatedCases().filter((c) => !outcome || c.outcome === outcome)
  const cells: Cell[] = []
  for (const mode of [...new Set(curatedCases().flatMap((c) => c.modes))]) {
    if (SUBMISSION_MODE_SLUGS.includes(mode)) continue
    for (const phase of facetTerms('phases').map((p) => p.slug)) {
      const slugs = cases.filter((c) => c.modes.includes(mode) && c.phases.includes(phase)).map((c) => c.slug)
      if (slugs.length) cells.push({ mode, phase, slugs })
    }
  }
  return cells.sort((a, b) => b.slugs.length - a.slugs.length || a.mode.localeCompare(b.mode) || a.phase.localeCompare(b.phase))
}

function cellHref(cell: Cell, outcome?: string) {
  const params = new URLSearchParams({ mode: cell.mode, phase: cell.phase })
  if (outcome) params.append('outcome', outcome)
  return `/cases?${params}`
}

function cellLabel(cell: Cell) {
  const n = cell.slugs.length
  return `${n} ${n === 1 ? 'case' : 'cases'}: ${modeName(cell.mode)} in ${termName('phases', cell.phase)}`
}

/** The case list shows exactly the cell's cases, with its filters chosen. */
async function expectCellCases(page: Page, cell: Cell, outcome?: string) {
  const params = new URL(page.url()).searchParams
  expect(params.getAll('mode')).toEqual([cell.mode])
  expect(params.getAll('phase')).toEqual([cell.phase])
  expect(params.getAll('outcome')).toEqual(outcome ? [outcome] : [])
  const n = cell.slugs.length
  await expect(page.locator('#results-heading')).toHaveText(`${n} ${n === 1 ? 'case' : 'cases'}`)
  await expect(page.locator('li.case-card')).toHaveCount(n)
  expect((await cardSlugs(page)).sort()).toEqual([...cell.slugs].sort())
  await expect(page.locator(`#mode-${cell.mode}`)).toBeChecked()
  await expect(page.locator(`#phase-${cell.phase}`)).toBeChecked()
  if (outcome) {
    await expect(page.locator(`#outcome-${outcome}`)).toBeChecked()
    for (const card of await page.locator('li.case-card').all()) {
      await expect(card.locator('.outcome')).toHaveText(termName('outcomes', outcome))
    }
  }
}

function tableCell(page: Page, cell: Cell) {
  return page.locator('table.heatmap-table').getByRole('link', { name: cellLabel(cell), exact: true })
}

function svgCell(page: Page, href: string) {
  return page.locator(`svg.heatmap a[href="${href}"]`)
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`insights with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled })

    test('a heatmap cell, in the table or the picture, lists exactly its cases', async ({ page }) => {
      const [cell] = stableCells()
      expect(cell.slugs.length).toBeGreaterThan(1)
      const href = cellHref(cell)

      await page.goto('/insights')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Insights')
      const link = tableCell(page, cell)
      await expect(link).toHaveText(String(cell.slugs.length))
      await expect(link).toHaveAttribute('href', href)
      await link.click()
      await expect(page).toHaveURL(href)
      await expectCellCases(page, cell)

      // The picture: hidden from assistive technology, its links out of the tab order, the same
      // number, and a click leads to the same list.
      await page.goto('/insights')
      await expect(page.locator('svg.heatmap')).toHaveAttribute('aria-hidden', 'true')
      const picture = svgCell(page, href)
      await expect(picture).toHaveCount(1)
      await expect(picture).toHaveAttribute('tabindex', '-1')
      await expect(picture.locator('text')).toHaveText(String(cell.slugs.length))
      await expect(picture.locator('title')).toHaveText(
        `${modeName(cell.mode)} in ${termName('phases', cell.phase)}: ${cell.slugs.length} cases`,
      )
      await picture.click()
      await expect(page).toHaveURL(href)
      await expectCellCases(page, cell)
    })

    test('an outcome chosen on insights stays in the case list a cell leads to', async ({ page }) => {
      // An outcome, and a cell whose number that outcome changes.
      const outcomes = facetTerms('outcomes').map((o) => o.slug)
      const choice = outcomes
        .flatMap((outcome) =>
          stableCells(outcome).map((cell) => ({
            outcome,
            cell,
            unfiltered: stableCells().find((c) => c.mode === cell.mode && c.phase === cell.phase)!,
          })),
        )
        .find(({ cell, unfiltered }) => cell.slugs.length > 1 && unfiltered.slugs.length > cell.slugs.length)
      if (!choice) throw new Error('The curated cases need a heatmap cell that an outcome narrows')
      const { outcome, cell, unfiltered } = choice
      const outcomeName = termName('outcomes', outcome)

      await page.goto('/insights')
      await expect(tableCell(page, unfiltered)).toHaveText(String(unfiltered.slugs.length))
      await page.getByLabel('Outcome', { exact: true }).selectOption({ label: outcomeName })
      await page.getByRole('button', { name: 'Apply', exact: true }).click()
      await expect(page).toHaveURL(new RegExp(`[?&]outcome=${outcome}(&|$)`))
      await expect(page.getByRole('status')).toContainText(`(${outcomeName})`)
      await expect(page.getByLabel('Outcome', { exact: true }).locator('option:checked')).toHaveText(outcomeName)

      const href = cellHref(cell, outcome)
      await expect(svgCell(page, href)).toHaveCount(1)
      const link = tableCell(page, cell)
      await expect(link).toHaveText(String(cell.slugs.length))
      await link.click()
      await expect(page).toHaveURL(href)
      await expectCellCases(page, cell, outcome)

      // The same through the picture.
      await page.goBack()
      await expect(page).toHaveURL(new RegExp(`/insights\\?.*outcome=${outcome}`))
      await svgCell(page, href).click()
      await expect(page).toHaveURL(href)
      await expectCellCases(page, cell, outcome)
    })
  })
}
