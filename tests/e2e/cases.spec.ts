import type { Page } from '@playwright/test'
import {
  caseCard,
  cardSlugs,
  curatedCase,
  curatedCases,
  decide,
  expectedRelated,
  expectProjectSection,
  facetTerms,
  failureModes,
  fillCase,
  fillRestOfCase,
  modeName,
  newCase,
  openFacet,
  reviewCard,
  saveDraft,
  submissionRow,
  SUBMISSION_MODE_SLUGS,
  SUBMISSION_MODES,
  SUBMITTED_LEVEL,
  submitNewCase,
  termName,
} from './cases-helpers'
import { expect, horizontalOverflow, setRole, test, uniqueIp, uniqueTitle } from './discussions-helpers'
import { expectNoAxeViolations, join } from './fixtures'

const PHOENIX = 'canada-phoenix-pay-system'

/** The results heading on /cases: "4 cases" or "2 cases for “payroll”". */
function resultsHeading(page: Page) {
  return page.locator('#results-heading')
}

function params(page: Page) {
  return new URL(page.url()).searchParams
}

/** Curated cases newest first, as /cases lists them by default. */
function newestFirst(slugs: string[]): string[] {
  const published = new Map(curatedCases().map((c) => [c.slug, c.published]))
  return [...slugs].sort((a, b) => (published.get(b) ?? '').localeCompare(published.get(a) ?? ''))
}

/**
 * Makes the answer to "Submit for review" at `path` take 6 seconds to arrive (the server has
 * already acted on it), longer than the form's 4-second autosave wait. Returns the intents of
 * any POSTs to `path` sent after the submission.
 */
async function slowSubmissions(page: Page, path: string): Promise<string[]> {
  const after: string[] = []
  let submitted = false
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      const request = route.request()
      const body = request.postData() ?? ''
      if (request.method() === 'POST' && body.includes('intent=submit')) {
        submitted = true
        const response = await route.fetch({ maxRedirects: 0 })
        await new Promise((resolve) => setTimeout(resolve, 6_000))
        await route.fulfill({ response })
        return
      }
      if (submitted && request.method() === 'POST') after.push(body.match(/intent=(\w+)/)?.[1] ?? '?')
      await route.continue()
    },
  )
  return after
}

async function checkAxeAndReflow(page: Page, what: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await expectNoAxeViolations(page)
  await page.setViewportSize({ width: 320, height: 640 })
  expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${what}`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1280, height: 800 })
}

test.describe('the case library with JavaScript on', () => {
  test('browse by two facets, search with highlighted hits, and go back to the previous filters', async ({ page }) => {
    test.setTimeout(60_000)
    const mode = 'capability-gaps'
    const level = 'international'
    const all = curatedCases()
    const expected = all.filter((c) => c.level === level && c.modes.includes(mode)).map((c) => c.slug)
    expect(expected.length).toBeGreaterThan(1)

    await page.goto('/cases')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case library')
    // Every value of every facet shows how many cases it would give.
    const labels = await page.locator('.facets fieldset label').allTextContents()
    expect(labels.length).toBe(
      // Failure modes twice: those that hurt a case, and those it avoided.
      2 * failureModes().length + (['phases', 'levels', 'domains', 'outcomes'] as const).reduce((n, f) => n + facetTerms(f).length, 0),
    )
    for (const label of labels) expect(label).toMatch(/\S \(\d+\)$/)
    // Counts for values no test adds cases to follow the curated content.
    await expect(page.locator(`label[for="mode-${mode}"]`)).toHaveText(
      `${modeName(mode)} (${all.filter((c) => c.modes.includes(mode)).length})`,
    )
    await expect(page.locator(`label[for="level-${level}"]`)).toHaveText(
      `International (${all.filter((c) => c.level === level).length})`,
    )

    // Two facets.
    await page.getByRole('checkbox', { name: new RegExp(`^${modeName(mode)} \\(`) }).check()
    await openFacet(page, 'Level of government')
    await page.getByRole('checkbox', { name: /^International \(/ }).check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect(page).toHaveURL(/[?&]mode=capability-gaps(&|$)/)
    await expect(page).toHaveURL(/[?&]level=international(&|$)/)
    expect(params(page).getAll('mode')).toEqual([mode])
    expect(params(page).getAll('level')).toEqual([level])
    await expect(resultsHeading(page)).toHaveText(`${expected.length} cases`)
    await expect(page.locator('li.case-card')).toHaveCount(expected.length)
    expect(await cardSlugs(page)).toEqual(newestFirst(expected))
    for (const card of await page.locator('li.case-card').all()) {
      await expect(card.locator('.case-card__meta').first()).toContainText('International ·')
    }
    // The chosen values stay chosen, and each one's count is the result count.
    await expect(page.locator(`#mode-${mode}`)).toBeChecked()
    await expect(page.locator(`#level-${level}`)).toBeChecked()
    await expect(page.locator(`label[for="mode-${mode}"]`)).toHaveText(`${modeName(mode)} (${expected.length})`)
    await expect(page.locator(`label[for="level-${level}"]`)).toHaveText(`International (${expected.length})`)
    // Another level's count is what choosing it as well would add (the level facet ignores itself).
    const federal = all.filter((c) => c.level === 'federal' && c.modes.includes(mode)).length
    await expect(page.locator('label[for="level-federal"]')).toHaveText(`Federal (${federal})`)
    await expect(page.locator('.facet summary', { hasText: 'Level of government' })).toContainText('(1 chosen)')

    // Search within the filters: every result shows its hits marked.
    await page.getByLabel('Search the cases').fill('payroll')
    await page.getByRole('button', { name: 'Show cases' }).click()
    await expect(page).toHaveURL(/[?&]q=payroll(&|$)/)
    expect(params(page).getAll('mode')).toEqual([mode])
    expect(params(page).getAll('level')).toEqual([level])
    await expect(resultsHeading(page)).toHaveText(/^\d+ cases? for “payroll”$/)
    const found = await cardSlugs(page)
    expect(found).toEqual(expect.arrayContaining([PHOENIX, 'new-zealand-novopay-schools-payroll']))
    expect(expected).toEqual(expect.arrayContaining(found))
    await expect(resultsHeading(page)).toHaveText(`${found.length} ${found.length === 1 ? 'case' : 'cases'} for “payroll”`)
    for (const card of await page.locator('li.case-card').all()) {
      const marks = card.locator('mark')
      expect(await marks.count()).toBeGreaterThan(0)
      for (const mark of await marks.allTextContents()) expect(mark).toMatch(/^payroll/i)
    }

    // Back: the filters as they were before the search, in the results and in the form.
    await page.goBack()
    await expect(page).not.toHaveURL(/q=payroll/)
    expect(params(page).getAll('mode')).toEqual([mode])
    expect(params(page).getAll('level')).toEqual([level])
    await expect(resultsHeading(page)).toHaveText(`${expected.length} cases`)
    expect(await cardSlugs(page)).toEqual(newestFirst(expected))
    await expect(page.locator('li.case-card mark')).toHaveCount(0)
    // The form must show the state of the page shown, or the next Apply silently brings the search back.
    await expect.soft(page.getByLabel('Search the cases'), 'the search box after Back').toHaveValue('')
    await expect(page.locator(`#mode-${mode}`)).toBeChecked()
    await expect(page.locator(`#level-${level}`)).toBeChecked()

    // Back once more: the unfiltered library, with nothing left checked.
    await page.goBack()
    await expect(page).toHaveURL(/\/cases$/)
    await expect(resultsHeading(page)).toHaveText(/^\d+ cases$/)
    await expect.soft(page.locator(`#mode-${mode}`), 'the failure-mode checkbox after Back').not.toBeChecked()
    await expect.soft(page.locator(`#level-${level}`), 'the level checkbox after Back').not.toBeChecked()
    await expect.soft(page.getByLabel('Search the cases'), 'the search box after Back').toHaveValue('')
  })

  test('Clear all removes every filter from the results and the form', async ({ page }) => {
    await page.goto('/cases')
    await page.locator('#mode-unmanaged-risks').check()
    await openFacet(page, 'Level of government')
    await page.locator('#level-state').check()
    await page.getByLabel('Search the cases').fill('unemployment')
    await page.getByRole('button', { name: 'Show cases' }).click()
    await expect(page).toHaveURL(/[?&]q=unemployment(&|$)/)
    await expect(resultsHeading(page)).toHaveText(/for “unemployment”$/)

    await page.getByRole('link', { name: 'Clear all' }).click()
    await expect(page).toHaveURL(/\/cases$/)
    await expect(page.getByRole('link', { name: 'Clear all' })).toHaveCount(0)
    const total = (await resultsHeading(page).textContent()) ?? ''
    expect(total).toMatch(/^\d+ cases$/)
    await expect.soft(page.getByLabel('Search the cases'), 'the search box after Clear all').toHaveValue('')
    await expect.soft(page.locator('#mode-unmanaged-risks'), 'the failure-mode checkbox after Clear all').not.toBeChecked()
    await expect.soft(page.locator('#level-state'), 'the level checkbox after Clear all').not.toBeChecked()
    // So sorting the cleared library does not bring the cleared filters back.
    await page.getByLabel('Sort by').selectOption({ label: 'Most “seen this too”' })
    await page.getByRole('button', { name: 'Show cases' }).click()
    await expect(page).toHaveURL(/[?&]sort=seen(&|$)/)
    expect(params(page).getAll('mode'), 'filters after Clear all, then Show cases').toEqual([])
    expect(params(page).getAll('level')).toEqual([])
    expect(params(page).get('q') ?? '').toBe('')
    await expect(resultsHeading(page)).toHaveText(total)
  })

  test('themes list every failure mode with counts; a theme page has its guidance, cases and discussions', async ({ page }) => {
    const modes = failureModes()
    const all = curatedCases()
    await page.goto('/cases')
    await page.getByRole('link', { name: 'Browse by theme' }).click()
    await expect(page).toHaveURL(/\/cases\/themes$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Browse cases by theme')
    const cards = page.locator('li.card')
    await expect(cards.locator('h2')).toHaveText(modes.map((m) => m.name))
    for (const mode of modes) {
      const card = cards.filter({ has: page.getByRole('link', { name: mode.name, exact: true }) })
      await expect(card.getByRole('link')).toHaveAttribute('href', `/cases/themes/${mode.slug}`)
      const total = all.filter((c) => c.modes.includes(mode.slug)).length
      const primary = all.filter((c) => c.primaryMode === mode.slug).length
      const text = `${total} ${total === 1 ? 'case' : 'cases'}${primary ? `, ${primary} as the main cause` : ''}`
      // Tests publish cases under a few modes of their own; those counts can only grow.
      // Only the cases a mode hurt count; the ones that avoided it are said apart.
      const avoided = ' · avoided or overcome in \\d+'
      if (SUBMISSION_MODE_SLUGS.includes(mode.slug)) await expect(card.locator('.muted')).toHaveText(/^Hurt \d+ cases?/)
      else await expect(card.locator('.muted'), mode.name).toHaveText(new RegExp(`^Hurt ${text}(${avoided})?$`))
    }

    const theme = modes.find((m) => m.slug === 'unmanaged-risks')!
    await page.getByRole('link', { name: theme.name, exact: true }).click()
    await expect(page).toHaveURL(/\/cases\/themes\/unmanaged-risks$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(theme.name)
    // The definition, then warning signs and prevention from the taxonomy.
    await expect(page.locator('.lead')).toContainText(theme.body.split('.')[0])
    const signs = page.getByRole('region', { name: 'Warning signs' })
    await expect(signs.getByRole('listitem')).toHaveText(theme.warningSigns)
    const prevention = page.getByRole('region', { name: 'How to prevent it' })
    await expect(prevention.getByRole('listitem')).toHaveText(theme.prevention)

    // Its cases: primary ones first (newest first within each group).
    const withMode = all.filter((c) => c.modes.includes(theme.slug))
    const primaryFirst = [
      ...newestFirst(withMode.filter((c) => c.primaryMode === theme.slug).map((c) => c.slug)),
      ...newestFirst(withMode.filter((c) => c.primaryMode !== theme.slug).map((c) => c.slug)),
    ]
    const casesRegion = page.getByRole('region', { name: /^Cases it hurt \(/ })
    await expect(casesRegion.getByRole('heading', { level: 2 })).toContainText(`Cases it hurt (${withMode.length})`)
    // The cases it hurt; those that avoided it follow in a section of their own.
    const hurtSlugs = await casesRegion
      .locator('li.case-card h3 a')
      .evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').replace(/^\/cases\//, '')))
    expect(hurtSlugs).toEqual(primaryFirst)
    const primaries = withMode.filter((c) => c.primaryMode === theme.slug).length
    const kinds = await casesRegion.locator('li.case-card .case-card__meta').allTextContents()
    expect(kinds.map((k) => (k.startsWith('Main cause') ? 'main' : k.startsWith('Contributing cause') ? 'contributing' : k))).toEqual([
      ...Array(primaries).fill('main'),
      ...Array(withMode.length - primaries).fill('contributing'),
    ])
    await expect(caseCard(page, curatedCase(PHOENIX).title)).toContainText('Main cause · Partially delivered')
    await expect(casesRegion.getByRole('link', { name: 'Filter the library' })).toHaveAttribute('href', '/cases?mode=unmanaged-risks')

    // Discussions tagged with the theme, and the way to all of them.
    const discussions = page.getByRole('region', { name: 'Discussions about unmanaged risks' })
    await expect(discussions.getByRole('link', { name: 'The payroll go-live criteria I wish we had used', exact: true })).toBeVisible()
    await discussions.getByRole('link', { name: 'All discussions tagged Unmanaged risks' }).click()
    await expect(page).toHaveURL(/\/discussions\?tag=unmanaged-risks$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Discussions')
    const rows = page.locator('li.thread-row')
    expect(await rows.count()).toBeGreaterThan(0)
    for (const row of await rows.all()) await expect(row.getByRole('list', { name: 'Tags' })).toContainText('Unmanaged risks')
  })

  test('a case page shows every section, reactions toggle with counts, related cases and its discussion', async ({
    page,
  }) => {
    test.setTimeout(60_000)
    const phoenix = curatedCase(PHOENIX)
    await page.goto('/cases')
    await page.getByLabel('Search the cases').fill('Phoenix')
    await page.getByRole('button', { name: 'Show cases' }).click()
    await expect(resultsHeading(page)).toHaveText('1 case for “Phoenix”')
    await page.getByRole('link', { name: phoenix.title, exact: true }).click()
    await expect(page).toHaveURL(`/cases/${PHOENIX}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(phoenix.title)
    await expect(page.locator('.lead')).toHaveText(phoenix.summary)

    const headings = await page.locator('article.case h2').allTextContents()
    for (const heading of [
      'Context',
      'What happened',
      'Failure modes that hurt it',
      'Root causes',
      'Lessons learned',
      'Recommendations',
      'Corrective actions and whether they worked',
      'Outcome',
      'Where this account comes from',
      'Was this useful?',
      'Related cases',
      'Discussion',
    ]) {
      expect(headings, heading).toContain(heading)
    }

    const context = page.getByRole('region', { name: 'Context' })
    const value = (term: string) => context.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]')
    await expect(value('Level of government')).toHaveText(termName('levels', phoenix.level))
    await expect(value('Level of government').getByRole('link')).toHaveAttribute('href', `/cases?level=${phoenix.level}`)
    await expect(value('Domain')).toHaveText(termName('domains', phoenix.domain))
    await expect(value('Jurisdiction')).toHaveText(phoenix.jurisdiction)
    await expect(value('Budget')).toHaveText('Over $1 billion')
    await expect(value('Years')).toHaveText(phoenix.years)
    await expect(value('Phases where it bit')).toHaveText(phoenix.phases.map((p) => termName('phases', p)).join(', '))
    await expect(page.getByRole('region', { name: 'What happened' })).toContainText('Phoenix went live in February 2016')

    // Failure modes: the primary one first, each linking to its theme.
    const modes = page.getByRole('region', { name: 'Failure modes that hurt it' }).locator('ul.mode-list > li')
    await expect(modes).toHaveCount(phoenix.modes.length)
    await expect(modes.first()).toContainText(`Primary: ${modeName(phoenix.primaryMode)}`)
    const links = await modes.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(links[0]).toBe(`/cases/themes/${phoenix.primaryMode}`)
    expect([...links].sort()).toEqual(phoenix.modes.map((m) => `/cases/themes/${m}`).sort())
    for (const item of (await modes.all()).slice(1)) await expect(item).toContainText('Contributing:')

    await expect(page.getByRole('region', { name: 'Root causes' }).getByRole('listitem')).toHaveText(phoenix.rootCauses)
    await expect(page.getByRole('region', { name: 'Lessons learned' }).getByRole('listitem')).toHaveText(phoenix.lessons)
    await expect(page.getByRole('region', { name: 'Recommendations' }).getByRole('listitem')).toHaveText(phoenix.recommendations)
    const sources = page.getByRole('region', { name: 'Where this account comes from' })
    await expect(sources.locator('cite')).toHaveText(phoenix.sources.map((s) => s.title))
    for (const source of phoenix.sources) await expect(sources).toContainText(source.publisher)
    const outcome = page.getByRole('region', { name: 'Outcome', exact: true })
    await expect(outcome).toContainText(`${termName('outcomes', phoenix.outcome)}.`)
    await expect(outcome).toContainText(phoenix.outcomeDetail)

    // Related cases, most shared failure modes first.
    const related = page.getByRole('region', { name: 'Related cases' })
    const expectedCases = expectedRelated(PHOENIX)
    await expect(related.locator('h3')).toHaveText(expectedCases.map((c) => c.title))
    await expect(related.locator('li .muted')).toHaveText(
      expectedCases.map((c) => `${c.sharedModes} shared failure ${c.sharedModes === 1 ? 'mode' : 'modes'}`),
    )

    // Signed out: a way to sign in instead of the buttons.
    const reactions = page.getByRole('region', { name: 'Was this useful?' })
    await expect(reactions.getByRole('button')).toHaveCount(0)
    await expect(reactions.getByRole('link', { name: 'Sign in' })).toBeVisible()

    // Signed in: the helpful mark toggles on and off, and the counts follow.
    await join(page)
    await page.goto(`/cases/${PHOENIX}`)
    const counts = reactions.locator('p').first()
    const text = (await counts.textContent()) ?? ''
    const [, helpful0, seen0] = text.match(/(\d+) members? found this helpful · (\d+) members? ha(?:s|ve) seen this too/) ?? []
    expect(helpful0, text).toBeDefined()
    const line = (helpful: number, seen: number) =>
      `${helpful} ${helpful === 1 ? 'member found' : 'members found'} this helpful · ${seen} ${seen === 1 ? 'member has' : 'members have'} seen this too`
    const h = Number(helpful0)
    const s = Number(seen0)

    await reactions.getByRole('button', { name: 'Helpful', exact: true }).click()
    await expect(reactions.getByRole('button', { name: 'Helpful (undo)' })).toHaveAttribute('aria-pressed', 'true')
    await expect(counts).toHaveText(line(h + 1, s))
    // The mark is kept.
    await page.reload()
    await expect(counts).toHaveText(line(h + 1, s))
    await expect(reactions.getByRole('button', { name: 'Helpful (undo)' })).toHaveAttribute('aria-pressed', 'true')
    // And undone. ("We've seen this too" carries evidence now: tests/e2e/case-evidence.spec.ts.)
    await reactions.getByRole('button', { name: 'Helpful (undo)' }).click()
    await expect(reactions.getByRole('button', { name: 'Helpful', exact: true })).toHaveAttribute('aria-pressed', 'false')
    await expect(counts).toHaveText(line(h, s))

    // A comment in the discussion under the case.
    const comment = `Our payroll team read the readiness review twice. ${Date.now()}`
    await page.getByLabel('Add to the discussion').fill(comment)
    await page.getByRole('button', { name: 'Post comment' }).click()
    await expect(page).toHaveURL(new RegExp(`/cases/${PHOENIX}#post-\\d+$`))
    const discussion = page.getByRole('region', { name: 'Discussion' })
    await expect(discussion.locator('article[id^="post-"]', { hasText: comment })).toBeVisible()
    await expect(page.getByLabel('Add to the discussion')).toHaveValue('')
    await page.reload()
    await expect(discussion.locator('article[id^="post-"]', { hasText: comment })).toBeVisible()
  })

  test('submit a case: draft, come back, submit, returned with feedback, resubmitted, published, edited', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(180_000)
    const author = await join(page)
    const mode = SUBMISSION_MODES.review
    const fields = newCase('Permits migrated without a trial run', mode.name, { firstHand: false })

    // Part of the form, saved as a draft: the draft's page keeps what was typed.
    const draftPath = await saveDraft(page, fields)
    await expect(page.getByRole('status')).toContainText('Your draft is saved')
    await expectProjectSection(page, fields)
    await expect(page.getByLabel('The driving event')).toHaveValue('')

    // Leave, and come back through "Your cases".
    await page.goto('/cases')
    await page.locator('summary', { hasText: author.displayName }).click()
    await page.getByRole('link', { name: 'Your cases' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/)
    const row = submissionRow(page, fields.title)
    await expect(row.locator('.status-tag')).toHaveText('Draft')
    await row.getByRole('link', { name: fields.title, exact: true }).click()
    await expect(page).toHaveURL(draftPath)
    await expectProjectSection(page, fields)

    // Complete it and submit it for review.
    await fillRestOfCase(page, fields)
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/)
    await expect(page.getByRole('status')).toContainText('Your case is waiting for review by a moderator')
    await expect(submissionRow(page, fields.title).locator('.status-tag')).toHaveText('Waiting for review')
    // While it waits it cannot be changed, only previewed.
    await page.goto(draftPath)
    await expect(page.getByRole('note')).toContainText('This case is waiting for review')
    await expect(page.getByRole('button', { name: 'Submit for review' })).toHaveCount(0)
    await page.getByRole('link', { name: 'Preview the case as submitted' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
    await expect(page.getByRole('note')).toContainText('This case is not published')
    const previewPath = new URL(page.url()).pathname

    // Other members cannot open it.
    const moderator = await anotherMember()
    expect((await moderator.page.goto(draftPath))?.status()).toBe(404)
    expect((await moderator.page.goto(previewPath))?.status()).toBe(404)

    // A moderator returns it with feedback.
    await setRole(moderator.member.handle, 'moderator')
    await moderator.page.goto('/moderation/cases')
    await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText('Cases to review')
    const card = reviewCard(moderator.page, fields.title)
    await expect(card).toContainText(`By ${author.displayName}`)
    await expect(card).toContainText(fields.summary)
    await expect(card.getByRole('link', { name: fields.title })).toHaveAttribute('href', previewPath)
    // Returning needs feedback.
    await card.getByRole('button', { name: 'Return with feedback' }).click()
    await expect(moderator.page.getByRole('alert')).toContainText('Write what the author should change')
    const feedback = 'Please say how many open permits were affected, and name the audit report.'
    await decide(moderator.page, fields.title, 'Return with feedback', { feedback })

    // The author sees it returned with the feedback, fixes it and resubmits.
    await page.goto('/cases/submissions')
    const returned = submissionRow(page, fields.title)
    await expect(returned.locator('.status-tag')).toHaveText('Returned to you')
    await expect(returned.locator('.feedback')).toContainText(feedback)
    await returned.getByRole('link', { name: 'Revise and resubmit' }).click()
    await expect(page).toHaveURL(draftPath)
    await expect(page.getByRole('note')).toContainText(feedback)
    // Everything submitted before is still in the form.
    await expectProjectSection(page, fields)
    await expect(page.getByLabel('The driving event')).toHaveValue(fields.whatHappened)
    await expect(page.locator('#primaryHow')).toHaveValue(fields.primaryHow)
    const fixedSummary = 'A county permit system went live before staff tried it; 4,100 open permits lost their owner.'
    await page.getByLabel('Summary', { exact: true }).fill(fixedSummary)
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/)
    await expect(submissionRow(page, fields.title).locator('.status-tag')).toHaveText('Waiting for review')
    await expect(submissionRow(page, fields.title).locator('.feedback')).toHaveCount(0)

    // The moderator publishes it.
    await moderator.page.goto('/moderation/cases')
    await expect(reviewCard(moderator.page, fields.title)).toContainText(fixedSummary)
    await decide(moderator.page, fields.title, 'Publish')

    // It is in the library, and first among the main-cause cases of its primary failure mode.
    await page.goto('/cases/submissions')
    await expect(submissionRow(page, fields.title).locator('.status-tag')).toHaveText('Published')
    await page.goto('/cases')
    const listed = caseCard(page, fields.title)
    await expect(listed).toContainText(fixedSummary)
    await expect(listed).toContainText(`${SUBMITTED_LEVEL.name} · Permitting · ${fields.years} · Recovered`)
    await expect(listed.getByRole('link', { name: mode.name })).toHaveAttribute('href', `/cases/themes/${mode.slug}`)
    await listed.getByRole('link', { name: mode.name }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(mode.name)
    const first = page.locator('li.case-card').first()
    await expect(first.getByRole('heading', { level: 3 })).toHaveText(fields.title)
    await expect(first).toContainText('Main cause · Recovered')
    await expect(first).toContainText(fields.primaryHow)

    // The case page shows what was submitted.
    await first.getByRole('link', { name: fields.title }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
    const casePath = new URL(page.url()).pathname
    await expect(page.locator('.case__byline')).toContainText(`Shared by ${author.displayName}`)
    await expect(page.getByRole('region', { name: 'What happened' }).locator('strong')).toHaveText('Monday')
    await expect(page.getByRole('region', { name: 'Lessons learned' }).getByRole('listitem')).toHaveText(fields.lessons)
    await expect(page.getByRole('region', { name: 'Where this account comes from' })).toContainText('Drawn from the public record')
    await expect(page.getByRole('region', { name: 'Where this account comes from' }).locator('cite')).toHaveText(fields.source!.title)

    // The log shows both decisions, newest first.
    await moderator.page.goto('/moderation/log')
    const rows = moderator.page.locator('tbody tr').filter({ has: moderator.page.getByRole('link', { name: fields.title, exact: true }) })
    await expect(rows).toHaveCount(2)
    await expect(rows.locator('td:nth-child(3)')).toHaveText(['Published case', 'Returned case to its author'])
    await expect(rows.nth(0)).toContainText(moderator.member.displayName)
    await expect(rows.nth(1)).toContainText(moderator.member.displayName)
    await expect(rows.nth(1)).toContainText(feedback)
    await expect(rows.nth(0).getByRole('link', { name: fields.title })).toHaveAttribute('href', casePath)

    // The author edits the published case; the history shows the change.
    await page.getByRole('link', { name: 'Edit this case' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit a published case')
    await expect(page.getByLabel('Summary', { exact: true })).toHaveValue(fixedSummary)
    const editedSummary = `${fixedSummary} The office now runs a trial migration first.`
    await page.getByLabel('Summary', { exact: true }).fill(editedSummary)
    await page.getByLabel('What did you change?').fill('Added what the office does now')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page).toHaveURL(casePath)
    await expect(page.getByRole('status')).toContainText('The case is updated')
    await expect(page.locator('.lead')).toHaveText(editedSummary)
    await page.getByRole('link', { name: 'Edited 1 time: see what changed' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('History of this case')
    const versions = page.locator('li.revision')
    await expect(versions).toHaveCount(2)
    await expect(versions.nth(0).getByRole('heading')).toHaveText('Version 2 (current)')
    await expect(versions.nth(0)).toContainText('Added what the office does now')
    await expect(versions.nth(0).locator('.change dt')).toHaveText(['Summary'])
    await expect(versions.nth(0).locator('del')).toHaveText(fixedSummary)
    await expect(versions.nth(0).locator('ins')).toHaveText(editedSummary)
    await expect(versions.nth(1).getByRole('heading')).toHaveText('Version 1')
    await expect(versions.nth(1)).toContainText('The first published version.')
    await expectNoAxeViolations(page)
  })

  test('an anonymized case never shows its author, except to moderators', async ({ page, anotherMember, browser, baseURL }) => {
    test.setTimeout(150_000)
    const author = await join(page)
    const mode = SUBMISSION_MODES.anonymous
    const fields = newCase('The sponsor left and nobody owned the rollout', mode.name, { anonymous: true })
    await submitNewCase(page, fields)

    // The moderator sees who wrote it, and that it is to be published anonymously.
    const moderator = await anotherMember()
    await setRole(moderator.member.handle, 'moderator')
    await moderator.page.goto('/moderation/cases')
    await expect(reviewCard(moderator.page, fields.title)).toContainText(`By ${author.displayName} (to be published anonymously)`)
    await decide(moderator.page, fields.title, 'Publish')
    await moderator.page.goto('/moderation/log')
    await moderator.page.getByRole('link', { name: fields.title, exact: true }).first().click()
    await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
    const casePath = new URL(moderator.page.url()).pathname
    const modByline = moderator.page.locator('.case__byline')
    await expect(modByline).toContainText('Shared by Anonymous state leader')
    await expect(modByline).toContainText(`visible to moderators only: ${author.displayName}`)
    await expect(modByline.getByRole('link', { name: author.displayName })).toHaveAttribute('href', `/members/${author.handle}`)

    const traces = [author.displayName, author.handle, author.email]
    const expectNoTrace = async (viewer: Page, where: string) => {
      const html = await viewer.content()
      for (const trace of traces) expect(html.includes(trace), `${trace} appears on ${where}`).toBe(false)
    }

    const visitorContext = await browser.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': uniqueIp() } })
    try {
      const visitor = await visitorContext.newPage()
      const member = await anotherMember()
      for (const [who, viewer] of [
        ['an anonymous visitor', visitor],
        ['another member', member.page],
      ] as const) {
        // The case page.
        await viewer.goto(casePath)
        await expect(viewer.getByRole('heading', { level: 1 })).toHaveText(fields.title)
        await expect(viewer.locator('.case__byline')).toContainText('Shared by Anonymous state leader')
        await expect(viewer.locator('.case__byline').getByRole('link')).toHaveCount(0)
        await expectNoTrace(viewer, `the case page, for ${who}`)

        // Search results for its title.
        await viewer.goto(`/cases?q=${encodeURIComponent(fields.title)}`)
        await expect(caseCard(viewer, fields.title)).toHaveCount(1)
        await expectNoTrace(viewer, `the search results, for ${who}`)

        // Its theme page.
        await viewer.goto(`/cases/themes/${mode.slug}`)
        await expect(caseCard(viewer, fields.title)).toHaveCount(1)
        await expectNoTrace(viewer, `the theme page, for ${who}`)

        // The author's profile says nothing about the case.
        await viewer.goto(`/members/${author.handle}`)
        await expect(viewer.getByRole('heading', { level: 1 })).toHaveText(author.displayName)
        const profile = await viewer.content()
        expect(profile.includes(fields.title), `the case's title on the author's profile, for ${who}`).toBe(false)
        expect(profile.includes(casePath), `a link to the case on the author's profile, for ${who}`).toBe(false)
      }
    } finally {
      await visitorContext.close()
    }
  })

  test('autosave keeps a change to a draft without pressing anything', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const fields = newCase('Autosaved permit migration notes', SUBMISSION_MODES.review.name)
    const draftPath = await saveDraft(page, fields)
    const status = page.locator('.case-form > p.muted[aria-live="polite"]')
    await expect(status).toHaveText(/^Draft saved at \d{2}:\d{2} UTC\.$/)

    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname)
    })
    const changed = 'Renamed: a tribal nation permitting office and its two field offices'
    await page.getByLabel('Jurisdiction', { exact: true }).fill(changed)
    await page.getByLabel('The driving event').fill('Typed while the autosave timer ran.')
    await expect(status).toHaveText('Unsaved changes.')
    // About six seconds, pressing nothing.
    await page.waitForTimeout(6_000)
    await expect(status).toHaveText(/^Draft saved at \d{2}:\d{2} UTC\.$/)
    expect(posts).toEqual([draftPath])
    await expect(page).toHaveURL(draftPath)

    await page.reload()
    await expect(page.getByLabel('Jurisdiction', { exact: true })).toHaveValue(changed)
    await expect(page.getByLabel('The driving event')).toHaveValue('Typed while the autosave timer ran.')
    await expect(page.locator('#title')).toHaveValue(fields.title)
  })

  test('Submit for review right after typing is not undone by the pending autosave, even on a slow connection', async ({
    page,
  }) => {
    test.setTimeout(60_000)
    await join(page)
    const fields = newCase('Submitted while an autosave was pending', SUBMISSION_MODES.review.name)
    const draftPath = await saveDraft(page, fields)
    await fillRestOfCase(page, fields)
    await expect(page.locator('.case-form > p.muted[aria-live="polite"]')).toHaveText('Unsaved changes.')

    const autosavesAfterSubmit = await slowSubmissions(page, draftPath)
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/, { timeout: 15_000 })
    await expect(page.getByRole('status')).toContainText('Your case is waiting for review by a moderator')
    await expect(submissionRow(page, fields.title).locator('.status-tag')).toHaveText('Waiting for review')
    expect(autosavesAfterSubmit, 'autosaves sent after Submit for review').toEqual([])
  })

  test('submitting a new case on a slow connection leaves exactly one case, not a stray autosaved copy', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const fields = newCase('Submitted straight from a new form', SUBMISSION_MODES.review.name)
    await page.goto('/cases/new')
    await fillCase(page, fields)
    await slowSubmissions(page, '/cases/new')
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/, { timeout: 15_000 })
    // Give a pending autosave every chance to land, then look at the author's list.
    await page.waitForTimeout(2_000)
    await page.reload()
    const rows = submissionRow(page, fields.title)
    await expect(rows.locator('.status-tag'), 'the author\'s cases with this title').toHaveText(['Waiting for review'])
  })

  test('autosave on a new case creates one draft, which Save draft then keeps using', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const fields = newCase('Autosaved before the first save', SUBMISSION_MODES.review.name)
    await page.goto('/cases/new')
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/cases/new')
    await page.locator('#title').fill(fields.title)
    expect((await saved).status()).toBe(200)
    await expect(page.locator('.case-form > p.muted[aria-live="polite"]')).toHaveText(/^Draft saved at/)
    await expect(page).toHaveURL(/\/cases\/new$/)

    await page.getByLabel('Summary', { exact: true }).fill(fields.summary)
    await page.getByRole('button', { name: 'Save draft' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions\/\d+$/)
    await expect(page.getByLabel('Summary', { exact: true })).toHaveValue(fields.summary)
    const draftPath = new URL(page.url()).pathname

    await page.goto('/cases/submissions')
    await expect(submissionRow(page, fields.title)).toHaveCount(1)
    await expect(submissionRow(page, fields.title).getByRole('link', { name: fields.title })).toHaveAttribute('href', draftPath)
  })
})

test('a case whose title matches a library page still opens at its own address', async ({ page, anotherMember }) => {
  test.setTimeout(90_000)
  await join(page)
  // Titles are free text; "Submissions" (like "New case!" or "Themes!!") slugifies to the name of
  // a fixed page under /cases. The summary tells this run's case apart from any other so titled.
  const token = uniqueTitle('marker').split(' ')[1]
  const fields = newCase('unused', SUBMISSION_MODES.noJs.name, {
    title: 'Submissions',
    summary: `A case titled like a library page, ${token}.`,
  })
  await page.goto('/cases/new')
  await fillCase(page, fields)
  await page.getByRole('button', { name: 'Submit for review' }).click()
  await expect(page).toHaveURL(/\/cases\/submissions$/)
  const moderator = await anotherMember()
  await setRole(moderator.member.handle, 'moderator')
  await decide(moderator.page, fields.title, 'Publish', { hasText: token })

  await page.goto(`/cases?q=${token}`)
  const card = page.locator('li.case-card', { hasText: token })
  await expect(card).toHaveCount(1)
  const link = card.getByRole('link', { name: fields.title, exact: true })
  expect(await link.getAttribute('href')).not.toMatch(/^\/cases\/(submissions|new|themes)$/)
  await link.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
  await expect(page.locator('.lead')).toHaveText(fields.summary)
})

test.describe('the case library with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })

  test('browse with two facets and a search through the form', async ({ page }) => {
    const mode = 'unmanaged-risks'
    const level = 'state'
    const expected = curatedCases()
      .filter((c) => c.level === level && c.modes.includes(mode))
      .map((c) => c.slug)
    await page.goto('/cases')
    await page.locator(`#mode-${mode}`).check()
    await openFacet(page, 'Level of government')
    await page.locator(`#level-${level}`).check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect(page).toHaveURL(/[?&]level=state(&|$)/)
    expect(params(page).getAll('mode')).toEqual([mode])
    expect(params(page).getAll('level')).toEqual([level])
    await expect(resultsHeading(page)).toHaveText(`${expected.length} cases`)
    expect(await cardSlugs(page)).toEqual(newestFirst(expected))
    await expect(page.locator(`#mode-${mode}`)).toBeChecked()
    await expect(page.locator(`#level-${level}`)).toBeChecked()
    await expect(page.locator(`label[for="level-${level}"]`)).toHaveText(`State (${expected.length})`)

    await page.getByLabel('Search the cases').fill('unemployment')
    await page.getByRole('button', { name: 'Show cases' }).click()
    await expect(page).toHaveURL(/[?&]q=unemployment(&|$)/)
    await expect(resultsHeading(page)).toHaveText(/^\d+ cases? for “unemployment”$/)
    expect(params(page).get('q')).toBe('unemployment')
    expect(params(page).getAll('mode')).toEqual([mode])
    expect(params(page).getAll('level')).toEqual([level])
    const found = await cardSlugs(page)
    expect(found.length).toBeGreaterThan(0)
    expect(expected).toEqual(expect.arrayContaining(found))
    await expect(resultsHeading(page)).toHaveText(`${found.length} ${found.length === 1 ? 'case' : 'cases'} for “unemployment”`)
    for (const card of await page.locator('li.case-card').all()) {
      for (const mark of await card.locator('mark').allTextContents()) expect(mark).toMatch(/^unemployment/i)
      expect(await card.locator('mark').count()).toBeGreaterThan(0)
    }
    await expect(page.getByLabel('Search the cases')).toHaveValue('unemployment')
  })

  test('save a draft, then submit it for review', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const fields = newCase('Procurement rules shaped a permit system', SUBMISSION_MODES.noJs.name)
    const draftPath = await saveDraft(page, fields)
    await expect(page.getByRole('status')).toContainText('Your draft is saved')
    await expectProjectSection(page, fields)
    await expect(page.locator('.case-form > p.muted')).toHaveText(/^Draft saved at/)

    // A submit with a gap comes back with the problem and everything typed.
    await fillRestOfCase(page, { ...fields, lessons: [] })
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page.getByRole('alert')).toContainText('Add at least one lesson')
    await expect(page.getByLabel('Lessons learned', { exact: true })).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('The driving event')).toHaveValue(fields.whatHappened)
    await expect(page.getByRole('checkbox', { name: 'Testing', exact: true })).toBeChecked()
    await expectProjectSection(page, fields)

    await page.getByLabel('Lessons learned', { exact: true }).fill(fields.lessons.join('\n'))
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page).toHaveURL(/\/cases\/submissions$/)
    await expect(page.getByRole('status')).toContainText('Your case is waiting for review')
    const row = submissionRow(page, fields.title)
    await expect(row.locator('.status-tag')).toHaveText('Waiting for review')
    await expect(row.getByRole('link', { name: fields.title })).toHaveAttribute('href', draftPath)
  })
})

test.describe('case library pages are accessible', () => {
  test('browse, case, theme and history pages have no violations; /cases and a case page reflow at 320 px', async ({ page }) => {
    test.setTimeout(90_000)
    await page.goto('/cases')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case library')
    await checkAxeAndReflow(page, '/cases')

    await page.goto('/cases?mode=capability-gaps&level=international&q=payroll')
    await expect(page.locator('li.case-card mark').first()).toBeVisible()
    await checkAxeAndReflow(page, '/cases, filtered and searched')

    await page.goto(`/cases/${PHOENIX}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(curatedCase(PHOENIX).title)
    await checkAxeAndReflow(page, 'a case page, signed out')

    await page.goto('/cases/themes')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Browse cases by theme')
    await expectNoAxeViolations(page)

    await page.goto('/cases/themes/unmanaged-risks')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unmanaged risks')
    await expectNoAxeViolations(page)

    await join(page)
    await page.goto(`/cases/${PHOENIX}`)
    await expect(page.getByLabel('Add to the discussion')).toBeVisible()
    await checkAxeAndReflow(page, 'a case page, signed in')

    // A curated case's history: one version. (The edit flow above checks one with changes.)
    await page.goto(`/cases/${PHOENIX}/history`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('History of this case')
    await expect(page.locator('li.revision')).toHaveCount(1)
    await expect(page.locator('li.revision')).toContainText('The first published version.')
    await expectNoAxeViolations(page)
  })

  test('the submission pages and the review queue have no violations, with and without errors', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(90_000)
    await join(page)
    await page.goto('/cases/new')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Share a case')
    await expectNoAxeViolations(page)

    await page.getByRole('button', { name: 'Submit for review' }).click()
    const summary = page.getByRole('alert')
    await expect(summary).toContainText('There is a problem')
    await expect(summary).toContainText('Enter a title')
    await expect(summary).toContainText('Say whether this is a first-hand account or drawn from the public record')
    await expect(summary).toContainText('Choose at least one phase')
    await expect(page.locator('#title')).toHaveAttribute('aria-invalid', 'true')
    await expect(page).toHaveURL(/\/cases\/new$/)
    await expectNoAxeViolations(page)
    // Each problem links to its field.
    for (const href of await summary.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(href!).count(), `${href} in the error summary`).toBe(1)
    }

    const fields = newCase('A case waiting for the review queue', SUBMISSION_MODES.noJs.name)
    await submitNewCase(page, fields)
    await expectNoAxeViolations(page)

    const moderator = await anotherMember()
    await setRole(moderator.member.handle, 'moderator')
    await moderator.page.goto('/moderation/cases')
    await expect(reviewCard(moderator.page, fields.title)).toHaveCount(1)
    await checkAxeAndReflow(moderator.page, '/moderation/cases')
    // With an error showing.
    await reviewCard(moderator.page, fields.title).getByRole('button', { name: 'Return with feedback' }).click()
    await expect(moderator.page.getByRole('alert')).toContainText('Write what the author should change')
    await expectNoAxeViolations(moderator.page)
  })
})
