// Team alignment assessments in Chromium, with and without JavaScript: three members answer as IT,
// program and sponsor; the divergence shows; a second round shows the trend; the share link shows
// the results to a visitor who is not signed in. Every new page has zero axe violations, the
// trend chart page too at 320 px.
import type { Browser, Page } from '@playwright/test'
import { horizontalOverflow } from './discussions-helpers'
import { expect, expectNoAxeViolations, expectNoAxeViolations as expectAccessible, join, newMember, printedPages, test } from './fixtures'

type Level = 'Not yet' | 'Partly' | 'Mostly' | 'Fully'
const CURRENT_STATE = 'Current-state process'

async function member(browser: Browser, javaScriptEnabled: boolean, n: number): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled,
    extraHTTPHeaders: { 'X-Forwarded-For': `198.51.${Math.floor(Math.random() * 250)}.${n + 1 + Math.floor(Math.random() * 200)}` },
  })
  const page = await context.newPage()
  await join(page, newMember())
  return page
}

/** Answers every question of the round at `level`, with `overrides` by area. */
async function answerRound(page: Page, level: Level, overrides: Record<string, Level> = {}) {
  const questions = page.locator('fieldset.question')
  const count = await questions.count()
  for (let i = 0; i < count; i++) {
    const question = questions.nth(i)
    const area = (await question.locator('.question__area').textContent())!.trim()
    await question.getByLabel(overrides[area] ?? level, { exact: true }).check()
  }
  await page.getByRole('button', { name: /Submit my/ }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText('results of round')
}

async function journey(browser: Browser, javaScriptEnabled: boolean) {
  // axe runs inside the page, so its scans belong to the journey with JavaScript on.
  const expectNoAxeViolations = javaScriptEnabled ? expectAccessible : async () => {}
  const it = await member(browser, javaScriptEnabled, 1)
  const program = await member(browser, javaScriptEnabled, 2)
  const sponsor = await member(browser, javaScriptEnabled, 3)
  const project = `Claims intake ${Date.now()} ${javaScriptEnabled ? 'with' : 'without'} JavaScript`

  await it.goto('/readiness/teams')
  await expectNoAxeViolations(it)
  await it.getByLabel('Project name').fill(project)
  await it.getByLabel('The side you speak for').selectOption('it')
  await it.getByRole('button', { name: 'Start the assessment' }).click()
  await expect(it.getByRole('heading', { level: 1 })).toHaveText(project)
  await it.getByRole('button', { name: 'Make an invite link' }).click()
  const inviteLink = (await it.locator('code.secret-link').textContent())!.trim()
  await expectNoAxeViolations(it)
  const teamPath = new URL(it.url()).pathname

  // A visitor who is not signed in is asked to sign in or join first.
  const signedOut = await (await browser.newContext({ javaScriptEnabled })).newPage()
  await signedOut.goto(inviteLink)
  await expect(signedOut.getByRole('heading', { name: 'Sign in or join first' })).toBeVisible()
  await expectNoAxeViolations(signedOut)
  await signedOut.context().close()

  for (const [page, side] of [
    [program, 'program'],
    [sponsor, 'sponsor'],
  ] as const) {
    await page.goto(inviteLink)
    await expectNoAxeViolations(page)
    await page.getByLabel('The side you speak for').selectOption(side)
    await page.getByRole('button', { name: 'Join the assessment' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project)
  }
  // The assessment's page as a participant who does not own it.
  await expect(program.getByRole('button', { name: 'Make an invite link' })).toHaveCount(0)
  await expectNoAxeViolations(program)

  // Before answering, the program side sees no one's answers.
  await program.goto(`${teamPath}/results`)
  await expect(program.getByRole('heading', { name: 'Answer first' })).toBeVisible()
  await expectNoAxeViolations(program)

  await it.goto(`${teamPath}/answer`)
  await expectNoAxeViolations(it)
  await answerRound(it, 'Fully')
  await program.goto(`${teamPath}/answer`)
  await answerRound(program, 'Mostly', { [CURRENT_STATE]: 'Not yet' })
  await sponsor.goto(`${teamPath}/answer`)
  await answerRound(sponsor, 'Mostly')

  const row = sponsor.getByRole('row').filter({ has: sponsor.getByRole('rowheader', { name: new RegExp(`^${CURRENT_STATE}`) }) })
  await expect(row.getByRole('cell')).toHaveText(['Fully', 'Not yet', 'Mostly', /Mostly/, 'Sides disagree: 3 steps apart'])
  await expect(sponsor.getByRole('heading', { name: 'Most divergent areas' })).toBeVisible()
  await expectNoAxeViolations(sponsor)

  // A comment in the private discussion of the divergent question.
  await program.goto(`${teamPath}/results`)
  await program.getByRole('link', { name: new RegExp(`^Discuss ${CURRENT_STATE}`) }).click()
  await program.getByLabel('Your comment').fill('Intake has **never** been mapped end to end.')
  await program.getByRole('button', { name: 'Post the comment' }).click()
  await expect(program.locator('.team-comments strong')).toHaveText('never')
  await expectNoAxeViolations(program)

  // A second round, then the trend.
  await it.goto(teamPath)
  await it.getByRole('button', { name: 'Open round 2' }).click()
  await expect(it.getByRole('status')).toContainText('Round 2 is open')
  await it.goto(`${teamPath}/answer`)
  await answerRound(it, 'Mostly')
  await program.goto(`${teamPath}/answer`)
  await answerRound(program, 'Mostly')
  await it.goto(`${teamPath}/trend`)
  await expect(it.getByRole('img', { name: /per side across rounds/ })).toBeVisible()
  const itRow = it.getByRole('row').filter({ has: it.getByRole('rowheader', { name: 'IT', exact: true }) })
  await expect(itRow.getByRole('cell')).toHaveText(['100%', '67%'])
  await expectNoAxeViolations(it)
  // Per area, each side's line: one small chart per area, the numbers in the table beside.
  const areaRow = it.getByRole('row').filter({ has: it.getByRole('rowheader', { name: CURRENT_STATE, exact: true }) })
  await expect(areaRow.getByRole('cell')).toHaveText(['56%', '67%', '100%', '67%', '0%', '67%', '67%', 'no answers'])
  const areaChart = it.locator('.area-trend__area').filter({ hasText: CURRENT_STATE })
  await expect(areaChart.locator('polyline')).toHaveCount(3)
  await it.setViewportSize({ width: 320, height: 700 })
  await expectNoAxeViolations(it)
  expect(await horizontalOverflow(it), 'horizontal scrolling at 320 px on the trend page').toBeLessThanOrEqual(0)
  // At 320 px each area's chart takes the column's width, so its words keep about their size.
  const box = (await areaChart.locator('svg').boundingBox())!
  expect(box.width).toBeGreaterThanOrEqual(250)
  expect(box.width).toBeLessThanOrEqual(320)
  await it.setViewportSize({ width: 1280, height: 800 })

  await it.goto(`${teamPath}/report`)
  await expectNoAxeViolations(it)
  await it.emulateMedia({ media: 'print' })
  await expect(it.getByRole('heading', { name: 'Every question, side by side' })).toBeVisible()
  await expect(it.getByRole('heading', { name: 'Per area and side' })).toBeVisible()
  expect(await printedPages(it), 'the printed team report').toBe(1)
  await it.emulateMedia({ media: 'screen' })

  // The share link, for a visitor who is not signed in.
  await it.goto(teamPath)
  await it.getByRole('button', { name: 'Make a share link' }).click()
  const shareLink = (await it.locator('code.secret-link').textContent())!.trim()
  const visitor = await (await browser.newContext({ javaScriptEnabled })).newPage()
  await visitor.goto(shareLink)
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText(project)
  await expect(visitor.getByRole('heading', { name: 'Every question, side by side' })).toBeVisible()
  await expect(visitor.getByRole('heading', { name: 'Trend across rounds' })).toBeVisible()
  await expect(visitor.getByText('Intake has')).toHaveCount(0)
  await expectNoAxeViolations(visitor)
}

test.describe('team alignment assessments', () => {
  test('three sides answer, disagree, answer again and share the results', async ({ browser }) => {
    test.setTimeout(300_000)
    await journey(browser, true)
  })

  test('the same journey without JavaScript', async ({ browser }) => {
    test.setTimeout(300_000)
    await journey(browser, false)
  })

  test('the demo share link shows the demo team’s results to anyone', async ({ page }) => {
    await page.goto('/readiness/teams/shared/sectorpulsedemoteamalignmentreport')
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Unemployment insurance system replacement')
    await expect(page.getByRole('img', { name: /per side across rounds/ })).toBeVisible()
    await expectNoAxeViolations(page)
  })
})
