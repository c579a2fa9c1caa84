// What a member adds to a case from their own work, in a real browser with and without
// JavaScript: "we've seen this too" with where and when, and "we applied this lesson". Then the
// case library on a 390 px phone: results before the filters, which fold away and still work
// without JavaScript.
import { expect, expectNoAxeViolations, join, test } from './fixtures'

for (const javaScriptEnabled of [true, false]) {
  test.describe(`evidence on a case, ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, () => {
    test.use({ javaScriptEnabled })
    // One case per variant: the two run at the same time, and each counts what it added.
    const CASE = javaScriptEnabled ? '/cases/nyc-citytime-payroll' : '/cases/fbi-virtual-case-file'

    test('seen this too with where and when, then applied a lesson; both show on the case', async ({ page }) => {
      const member = await join(page)
      await page.goto(CASE)
      const note = `We saw timesheets padded the same way ${Date.now().toString(36)}${javaScriptEnabled ? 'js' : 'nojs'}`

      // A year that is not one is refused next to the field, and what was typed stays.
      const seen = page.locator('form', { has: page.getByRole('heading', { name: 'We’ve seen this too' }) })
      await seen.getByLabel('Level of government where you saw it').selectOption({ label: 'Local' })
      await seen.getByLabel('Year').fill('twenty')
      await seen.getByLabel('A short note (optional)').fill(note)
      await seen.getByLabel(/Show my note on this case/).check()
      await seen.getByRole('button', { name: 'We’ve seen this too' }).click()
      await expect(page.locator('#seenYear-error')).toHaveText('Error: Enter the year as four digits, e.g. 2021')
      await expect(page.getByLabel('A short note (optional)')).toHaveValue(note)

      await page.getByLabel('Year').fill('2022')
      await page.getByRole('button', { name: 'We’ve seen this too', exact: true }).click()
      const reactions = page.locator('#reactions')
      await expect(reactions.getByRole('button', { name: 'We’ve seen this too (undo)' })).toBeVisible()
      await expect(reactions.getByRole('list', { name: 'What members who have seen this too say' })).toContainText(`“${note}” (Local, 2022)`)

      // We applied this lesson: the first recommendation, partly.
      const applied = page.locator('#applied')
      const first = applied.getByRole('listitem').first()
      const before = (await first.textContent()) ?? ''
      const count = Number(/Applied by (\d+)/.exec(before)?.[1] ?? 0)
      await applied.getByLabel('The recommendation you applied').selectOption({ index: 1 })
      await applied.getByLabel('It partly worked').check()
      await applied.getByRole('button', { name: 'Record that we applied it' }).click()
      await expect(page.locator('#applied').getByRole('listitem').first()).toContainText(`Applied by ${count + 1} ${count + 1 === 1 ? 'member' : 'members'}:`)
      // axe runs in the page, so it needs JavaScript; the page is the same markup either way.
      if (javaScriptEnabled) await expectNoAxeViolations(page)
    })
  })
}

test.describe('the case library on a 390 px phone, without JavaScript', () => {
  test.use({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })

  test('shows the results before the filters, which fold away and still filter', async ({ page }) => {
    await page.goto('/cases')
    const results = page.getByRole('heading', { name: /^\d+ cases$/ })
    const filters = page.locator('details.facets > summary')
    const resultsBox = (await results.boundingBox())!
    const filtersBox = (await filters.boundingBox())!
    expect(resultsBox.y).toBeLessThan(filtersBox.y)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

    // The filters fold away and open again.
    await filters.click()
    await expect(page.getByRole('button', { name: 'Apply filters' })).toBeHidden()
    await filters.click()
    await page.getByRole('checkbox', { name: /^Big-bang scope \(/ }).first().check()
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await expect(page).toHaveURL(/[?&]mode=big-bang-scope(&|$)/)
    await expect(page.locator('li.case-card a', { hasText: 'GOV.UK' })).toHaveCount(0)
  })
})

test.describe('the case library on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } })

  test('passes axe with its filters open, filtered by a failure mode avoided', async ({ page }) => {
    test.setTimeout(90_000)
    await page.goto('/cases?avoided=big-bang-scope')
    await expect(page.locator('li.case-card a', { hasText: 'GOV.UK' })).toHaveCount(1)
    await expectNoAxeViolations(page)
  })
})
