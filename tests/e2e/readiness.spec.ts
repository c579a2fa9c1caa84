import type { Page } from '@playwright/test'
import { expect, horizontalOverflow, reply, startThread, test, uniqueIp, uniqueTitle } from './discussions-helpers'
import { rsvp, upcomingDemoEvents } from './events-helpers'
import { expectNoAxeViolations, join, printedPages } from './fixtures'
import {
  answer,
  answerAll,
  answerRadio,
  answersFor,
  casesTeaching,
  expectAnswers,
  expectedPractices,
  expectedRanking,
  expectedScore,
  type Level,
  modeNames,
  questionByArea,
  rankedRow,
  rankedRows,
  readinessQuestions,
  recommendations,
  report,
  scoreHeading,
} from './readiness-helpers'

// The weakest area's failure modes (unclear ownership, broken handoffs, capability gaps) are ones
// no other e2e test submits cases for, so the cases it lists come from the curated content alone.
const WEAKEST = 'Decision ownership'
/** The unsaved results page's title: it names the results, not the questionnaire. */
const RESULTS_TITLE = 'Your readiness results · Execution-readiness self-assessment · SectorPulse'

/** Four areas short of "fully": one not yet, two partly, one mostly. */
const FIRST_ANSWERS = answersFor({
  [WEAKEST]: 'Not yet',
  'Data and integration': 'Partly',
  'Vendor management': 'Partly',
  'Business outcomes': 'Mostly',
})

/** Zero axe violations at 1280 px, and no sideways scrolling of the page at 320 px. */
async function checkAxeAndReflow(page: Page, what: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await expectNoAxeViolations(page)
  await page.setViewportSize({ width: 320, height: 640 })
  expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${what}`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1280, height: 800 })
}

/** The links under one of a recommendation's small headings ("Failure modes it exposes", …). */
function listUnder(page: Page, article: ReturnType<typeof recommendations>, heading: string) {
  return article.locator('h4', { hasText: heading }).locator('xpath=following-sibling::*[1]')
}

/** Rank, area and answer of every row, as the report should show them (no movement column). */
function expectedRows(answers: Record<string, Level>): string[][] {
  return expectedRanking(answers).map((q, index) => [String(index + 1), `${q.area} ${q.question}`, answers[q.area]])
}

/** Opens /readiness, answers every question and submits with the given button. */
async function takeAssessment(
  page: Page,
  answers: Record<string, Level>,
  { notes = {}, project, button = 'See my results' }: { notes?: Record<string, string>; project?: string; button?: string } = {},
) {
  await page.goto('/readiness')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Execution-readiness self-assessment')
  await answerAll(page, answers, notes)
  if (project !== undefined) await page.getByLabel('Project name (to save)').fill(project)
  await page.getByRole('button', { name: button, exact: true }).click()
}

test.describe('the readiness self-assessment with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })

  test('a visitor answers every question and gets a ranked report that leads to the cases', async ({ page }) => {
    const note = 'Nobody owns the cutover decision yet.'
    await takeAssessment(page, FIRST_ANSWERS, { notes: { [WEAKEST]: note } })

    // Without JavaScript the form posts to Remix's index route, "/readiness?index".
    await expect(page).toHaveURL(/\/readiness(\?index)?$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
    await expect(page.getByText('Not saved. These results are only on this page.')).toBeVisible()
    await expect(page).toHaveTitle(RESULTS_TITLE)

    // The score and the tally.
    expect(expectedScore(FIRST_ANSWERS)).toBe(79)
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 79%')
    await expect(page.locator('.readiness-score p')).toHaveText('9 fully, 1 mostly, 2 partly and 1 not yet, across 13 areas.')

    // Every area, weakest first; ties keep the questions' order; no comparison on a first go.
    await expect(page.getByRole('heading', { level: 2, name: 'Your areas, weakest first' })).toBeVisible()
    await expect(report(page).locator('table thead th')).toHaveText(['Rank', 'Area', 'Your answer'])
    expect(await rankedRows(page)).toEqual(expectedRows(FIRST_ANSWERS))
    expect((await rankedRows(page)).slice(0, 4).map((row) => row[1].split(' ')[0])).toEqual(['Decision', 'Data', 'Vendor', 'Business'])

    // Where to start: every area short of "fully", the weakest first.
    await expect(page.getByRole('heading', { level: 2, name: 'Where to start' })).toBeVisible()
    await expect(recommendations(page).locator('h3')).toHaveText([
      '1. Decision ownership: not yet',
      '2. Data and integration: partly',
      '3. Vendor management: partly',
      '4. Business outcomes: mostly',
    ])
    const weakest = questionByArea(WEAKEST)
    const first = recommendations(page).first()
    await expect(first.locator('.recommendation__question')).toHaveText(weakest.question)
    await expect(first.locator('.recommendation__note')).toHaveText(`Your note: ${note}`)

    // Its failure modes, each linked to its theme page.
    const modeLinks = listUnder(page, first, 'Failure modes it exposes').getByRole('link')
    await expect(modeLinks).toHaveText(modeNames(weakest))
    expect(await modeLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(
      weakest.failureModes.map((slug) => `/cases/themes/${slug}`),
    )
    // The practices that prevent them.
    await expect(listUnder(page, first, 'Prevention practices').locator('li')).toHaveText(expectedPractices(weakest))

    // Cases that show those failure modes: at least one, at most three.
    const teaching = casesTeaching(weakest)
    const caseLinks = listUnder(page, first, 'Cases to learn from').getByRole('link')
    const count = await caseLinks.count()
    expect(count).toBeGreaterThanOrEqual(1)
    expect(count).toBeLessThanOrEqual(3)
    for (const link of await caseLinks.all()) {
      const href = (await link.getAttribute('href')) ?? ''
      expect(teaching.has(href), `${href} shows one of ${weakest.failureModes.join(', ')}`).toBe(true)
      await expect(link).toHaveText(teaching.get(href)!)
    }

    // A visitor is told how to keep the results.
    const keep = page.locator('.readiness-keep')
    await expect(keep.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login?redirectTo=/readiness')
    await expect(keep.getByRole('button')).toHaveCount(0)

    // Following a case opens it.
    const caseHref = (await caseLinks.first().getAttribute('href'))!
    await caseLinks.first().click()
    await expect(page).toHaveURL(caseHref)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(teaching.get(caseHref)!)
  })

  test('a member saves, retakes with the last answers filled in, and sees what moved', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const project = uniqueTitle('Benefits modernization')

    // Saving needs a project name; the answers survive the refusal.
    await takeAssessment(page, FIRST_ANSWERS, { button: 'Save and see my results' })
    await expect(page.getByRole('alert')).toContainText('There is a problem')
    const projectError = page.getByRole('alert').getByRole('link', { name: 'Enter a project name to save this assessment under' })
    await expect(projectError).toHaveAttribute('href', '#project')
    await expectAnswers(page, FIRST_ANSWERS)
    await page.getByLabel('Project name (to save)').fill(project)
    await page.getByRole('button', { name: 'Save and see my results' }).click()

    // The saved assessment has its own page, headed by the project's name.
    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    const firstPath = new URL(page.url()).pathname
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
    await expect(page.locator('.lead')).toContainText('The first saved for this project.')
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 79%')
    expect(await rankedRows(page)).toEqual(expectedRows(FIRST_ANSWERS))

    // Retake: the form starts from the last answers and the same project.
    await page.getByRole('link', { name: 'Retake this assessment' }).click()
    await expect(page).toHaveURL(new RegExp(`/readiness\\?retake=${firstPath.split('/').pop()}$`))
    await expect(page.getByRole('status').filter({ hasText: 'Retaking' })).toHaveText(
      `Retaking “${project}”: your last answers are filled in. Change what has moved, then save.`,
    )
    await expectAnswers(page, FIRST_ANSWERS)
    await expect(page.getByLabel('Project name (to save)')).toHaveValue(project)

    // One answer up a step, one down two.
    const second = { ...FIRST_ANSWERS, [WEAKEST]: 'Partly', 'Business outcomes': 'Not yet' } satisfies Record<string, Level>
    await answer(page, questionByArea(WEAKEST), 'Partly')
    await answer(page, questionByArea('Business outcomes'), 'Not yet')
    await page.getByRole('button', { name: 'Save and see my results' }).click()

    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    expect(new URL(page.url()).pathname).not.toBe(firstPath)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
    await expect(page.locator('.lead')).toContainText(/Compared with the one saved on \S/)
    expect(expectedScore(second)).toBe(77)
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 77%')
    await expect(page.locator('.readiness-score p')).toContainText(/Last time \(.+\) it was 79%\.$/)
    await expect(report(page).locator('table thead th')).toHaveText(['Rank', 'Area', 'Your answer', 'Since last time'])
    await expect(rankedRow(page, WEAKEST).locator('td').last()).toHaveText('Up 1 step (was Not yet)')
    await expect(rankedRow(page, 'Business outcomes').locator('td').last()).toHaveText('Down 2 steps (was Mostly)')
    await expect(rankedRow(page, 'Vendor management').locator('td').last()).toHaveText('No change')
    // The ranking follows the new answers: Business outcomes is now the weakest.
    expect((await rankedRows(page)).map((row) => row.slice(0, 3))).toEqual(expectedRows(second))
    await expect(recommendations(page).locator('h3').first()).toHaveText('1. Business outcomes: not yet')

    // Both are listed on /readiness, newest first, each with its score.
    await page.getByRole('link', { name: 'Execution-readiness self-assessment' }).first().click()
    await expect(page).toHaveURL(/\/readiness$/)
    const saved = page.getByRole('region', { name: 'Your saved assessments' }).getByRole('listitem')
    await expect(saved).toHaveCount(2)
    await expect(saved.nth(0)).toContainText(/, 77%$/)
    await expect(saved.nth(1)).toContainText(/, 79%$/)
    await expect(saved.nth(1).getByRole('link', { name: project })).toHaveAttribute('href', firstPath)
    await expect(saved.nth(0).getByRole('link', { name: project })).not.toHaveAttribute('href', firstPath)
  })
})

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the readiness form with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled })

    test('an unanswered question is named in the error summary, which leads to it, and every answer is kept', async ({ page }) => {
      const missing = questionByArea('Vendor management')
      const answers: Record<string, Level | undefined> = { ...FIRST_ANSWERS, 'Vendor management': undefined }
      const note = 'The contract pays per deliverable.'
      await page.goto('/readiness')
      await answerAll(page, answers as Record<string, Level>, { 'Data and integration': note })
      await page.getByRole('button', { name: 'See my results' }).click()

      const summary = page.getByRole('alert')
      await expect(summary).toContainText('There is a problem')
      const links = summary.getByRole('link')
      await expect(links).toHaveCount(1)
      await expect(links).toHaveText('Choose not yet, partly, mostly or fully')
      await expect(links).toHaveAttribute('href', `#answer-${missing.slug}`)
      // The link's target is the question's first choice, which says what is wrong.
      const firstChoice = page.locator(`#answer-${missing.slug}`)
      await expect(firstChoice).toHaveAttribute('type', 'radio')
      await expect(firstChoice).toHaveAccessibleName('Not yet')
      await expect(firstChoice).toHaveAccessibleDescription(/Choose not yet, partly, mostly or fully/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Execution-readiness self-assessment')

      // Everything answered is still answered, the note is still there.
      await expectAnswers(page, answers)
      await expect(page.locator(`#note-${questionByArea('Data and integration').slug}`)).toHaveValue(note)

      // Following the link moves focus to the question's first choice.
      await links.click()
      await expect(page).toHaveURL(new RegExp(`#answer-${missing.slug}$`))
      await expect(firstChoice).toBeFocused()
      await expect(firstChoice).toBeInViewport()

      // Answering it gives the results.
      await answer(page, missing, 'Partly')
      await page.getByRole('button', { name: 'See my results' }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
      await expect(scoreHeading(page)).toHaveText(`Overall readiness: ${expectedScore(FIRST_ANSWERS)}%`)
    })
  })
}

test.describe('the readiness report prints cleanly', () => {
  test('a saved assessment prints without the site chrome or its actions', async ({ page }) => {
    await join(page)
    await takeAssessment(page, FIRST_ANSWERS, { project: uniqueTitle('Printed project'), button: 'Save and see my results' })
    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    const retake = page.getByRole('link', { name: 'Retake this assessment' })
    const remove = page.getByRole('button', { name: 'Delete this assessment' })
    await expect(retake).toBeVisible()
    await expect(remove).toBeVisible()
    await expect(page.locator('header.site-header')).toBeVisible()

    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('header.site-header')).toBeHidden()
    await expect(page.locator('footer.site-footer')).toBeHidden()
    await expect(page.getByRole('search')).toBeHidden()
    await expect(retake).toBeHidden()
    await expect(remove).toBeHidden()
    await expect(page.locator('.breadcrumbs')).toBeHidden()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    for (const heading of [/^Overall readiness: \d+%$/, 'Your areas, weakest first', 'Where to start']) {
      await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible()
    }
    await expect(recommendations(page).locator('h3')).toHaveCount(4)
    for (const h3 of await recommendations(page).locator('h3').all()) await expect(h3).toBeVisible()
    expect(await printedPages(page)).toBe(1)
  })

  test("a visitor's results print without the chrome or the sign-in prompt", async ({ page }) => {
    await takeAssessment(page, FIRST_ANSWERS)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('header.site-header')).toBeHidden()
    await expect(page.locator('footer.site-footer')).toBeHidden()
    await expect(page.getByRole('heading', { name: 'Keep these results' })).toBeHidden()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(scoreHeading(page)).toBeVisible()
    await expect(page.getByRole('heading', { level: 2, name: 'Where to start' })).toBeVisible()
    expect(await printedPages(page)).toBe(1)
  })
})

test.describe('saved assessments are private', () => {
  test('only the member who saved one can open or delete it', async ({ page, anotherMember, browser, baseURL }) => {
    test.setTimeout(60_000)
    await join(page)
    const project = uniqueTitle('Private project')
    await takeAssessment(page, FIRST_ANSWERS, { project, button: 'Save and see my results' })
    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    const path = new URL(page.url()).pathname

    // A visitor is asked to sign in.
    const visitor = await browser.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': uniqueIp() } })
    const visitorPage = await visitor.newPage()
    await visitorPage.goto(path)
    await expect(visitorPage).toHaveURL(/\/login/)
    await expect(visitorPage.getByText(project)).toHaveCount(0)
    await visitor.close()

    // Another member gets "not found", and cannot delete it either.
    const other = await anotherMember()
    const response = await other.page.goto(path)
    expect(response?.status()).toBe(404)
    await expect(other.page.getByText(project)).toHaveCount(0)
    const deleted = await other.page.request.post(path, { form: {}, headers: { Origin: baseURL! } })
    expect(deleted.status()).toBe(404)
    await other.page.goto('/readiness')
    await expect(other.page.getByRole('region', { name: 'Your saved assessments' })).toHaveCount(0)
    // A retake address for someone else's assessment fills nothing in.
    await other.page.goto(`/readiness?retake=${path.split('/').pop()}`)
    await expect(other.page.getByText('Retaking')).toHaveCount(0)
    await expect(answerRadio(other.page, readinessQuestions()[0], 'Fully')).not.toBeChecked()

    // The owner still has it, and can delete it.
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
    await page.getByRole('button', { name: 'Delete this assessment' }).click()
    await expect(page).toHaveURL(/\/readiness$/)
    await expect(page.getByRole('status')).toContainText('The assessment is deleted.')
    await expect(page.getByRole('link', { name: project })).toHaveCount(0)
    expect((await page.goto(path))?.status()).toBe(404)
  })
})

test.describe('readiness and the home page are accessible', () => {
  test("a visitor's results page (JavaScript on) has no violations and reflows at 320 px", async ({ page }) => {
    await page.goto('/readiness')
    await checkAxeAndReflow(page, 'the readiness form')
    await takeAssessment(page, FIRST_ANSWERS, { notes: { [WEAKEST]: 'A note that is <b>not</b> markup.' } })
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 79%')
    await expect(recommendations(page).first().locator('.recommendation__note')).toHaveText(
      'Your note: A note that is <b>not</b> markup.',
    )
    await checkAxeAndReflow(page, 'the readiness results')

    // The form in its error state.
    await page.goto('/readiness')
    await page.getByRole('button', { name: 'See my results' }).click()
    await expect(page.getByRole('alert')).toContainText('There is a problem')
    await expect(page.getByRole('alert').getByRole('link')).toHaveCount(readinessQuestions().length)
    await checkAxeAndReflow(page, 'the readiness form with errors')
  })

  test('a saved assessment, compared with the last one, has no violations and reflows at 320 px', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const project = uniqueTitle('Accessible project')
    await takeAssessment(page, FIRST_ANSWERS, { project, button: 'Save and see my results' })
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
    await checkAxeAndReflow(page, 'a first saved assessment')

    await page.getByRole('link', { name: 'Retake this assessment' }).click()
    await expect(page.getByLabel('Project name (to save)')).toHaveValue(project)
    await checkAxeAndReflow(page, 'the readiness form, retaking')
    await answer(page, questionByArea(WEAKEST), 'Mostly')
    await page.getByRole('button', { name: 'Save and see my results' }).click()
    await expect(rankedRow(page, WEAKEST).locator('td').last()).toHaveText('Up 2 steps (was Not yet)')
    await checkAxeAndReflow(page, 'a saved assessment with movement')

    await page.goto('/readiness')
    await expect(page.getByRole('region', { name: 'Your saved assessments' }).getByRole('listitem')).toHaveCount(2)
    await checkAxeAndReflow(page, 'the readiness form with saved assessments')
  })

  test('the home page of a member with an unread thread and an RSVP has no violations and reflows at 320 px', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(90_000)
    const member = await join(page)
    const title = uniqueTitle('Who signs off the cutover')
    const threadPath = await startThread(page, {
      category: 'Testing & go-live',
      title,
      body: 'We have a date but nobody has said who decides we are ready.',
    })
    const replier = await anotherMember()
    await replier.page.goto(threadPath)
    await reply(replier.page, 'Our program director signs, after the business owners do.')

    const event = upcomingDemoEvents().find((e) => e.capacity === null)
    if (!event) throw new Error('The demo content needs an upcoming event without a capacity')
    await page.goto(`/events/${event.id}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(event.title)
    await rsvp(page, 'Interested')

    await page.goto('/')
    await expect(page.getByRole('heading', { level: 2, name: `Your SectorPulse, ${member.displayName}` })).toBeVisible()
    const unread = page.getByRole('region', { name: 'Unread in your threads' })
    await expect(unread.getByRole('listitem').filter({ hasText: title })).toContainText('1 new')
    await expect(unread.getByRole('link', { name: title })).toHaveAttribute('href', /\/discussions\/\d+\/[a-z0-9-]+/)
    const rsvps = page.getByRole('region', { name: 'Your upcoming events' })
    await expect(rsvps.getByRole('listitem').filter({ hasText: event.title })).toContainText('Interested')
    await expect(page.getByRole('link', { name: 'Take the readiness self-assessment' })).toHaveAttribute('href', '/readiness')
    await checkAxeAndReflow(page, 'the home page of a member')
  })
})

test.describe('the readiness self-assessment with JavaScript on', () => {
  test('a member who looks at the results first can save them from the results page', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const project = uniqueTitle('Results first')
    const note = 'The handoff to operations has no owner.'
    await takeAssessment(page, FIRST_ANSWERS, { project, notes: { [WEAKEST]: note } })
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 79%')
    await expect(page).toHaveTitle(RESULTS_TITLE)

    const keep = page.getByRole('region', { name: 'Keep these results' })
    const projectField = keep.getByLabel('Project name')
    // The project name typed on the form is not lost on the way to the results. (Soft, so the
    // rest of the journey is still checked while this fails.)
    await expect.soft(projectField, 'the project name typed before "See my results"').toHaveValue(project)
    await projectField.fill(project)
    await keep.getByRole('button', { name: 'Save assessment' }).click()

    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
    // The unsaved results' title does not outlive them.
    await expect(page).toHaveTitle(`${project}: readiness assessment · SectorPulse`)
    await expect(scoreHeading(page)).toHaveText('Overall readiness: 79%')
    expect(await rankedRows(page)).toEqual(expectedRows(FIRST_ANSWERS))
    await expect(recommendations(page).first().locator('.recommendation__note')).toHaveText(`Your note: ${note}`)

    // A retake brings the note back too.
    await page.getByRole('link', { name: 'Retake this assessment' }).click()
    await expectAnswers(page, FIRST_ANSWERS)
    await expect(page.locator(`#note-${questionByArea(WEAKEST).slug}`)).toHaveValue(note)
  })

  test('leaving a retake for a fresh assessment starts from an empty form, as it does without JavaScript', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const note = 'Nobody has been named.'
    await takeAssessment(page, FIRST_ANSWERS, {
      project: uniqueTitle('Left behind'),
      notes: { [WEAKEST]: note },
      button: 'Save and see my results',
    })
    await expect(page).toHaveURL(/\/readiness\/assessments\/\d+$/)
    await page.getByRole('link', { name: 'Retake this assessment' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Retaking' })).toBeVisible()
    await expectAnswers(page, FIRST_ANSWERS)

    // The header's link to a fresh assessment: no retake notice, so nothing of the retake either.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Readiness' }).click()
    await expect(page).toHaveURL(/\/readiness$/)
    await expect(page.getByRole('status').filter({ hasText: 'Retaking' })).toHaveCount(0)
    await expectAnswers(page, {})
    await expect(page.locator(`#note-${questionByArea(WEAKEST).slug}`)).toHaveValue('')
    await expect(page.getByLabel('Project name (to save)')).toHaveValue('')
  })
})
