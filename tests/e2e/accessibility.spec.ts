import { expect, expectNoAxeViolations, join, signOut, test } from './fixtures'
import { MEMBER_PAGES, PUBLIC_PAGES } from './pages'
import { AXE_CRITERIA, checksWcag } from './wcag'

test.describe('every public page', () => {
  for (const { path, heading } of PUBLIC_PAGES) {
    test(`${path} has no WCAG 2.1 AA violations and reflows at 320 px`, async ({ page }) => {
      checksWcag(...AXE_CRITERIA, '1.4.10')
      await page.goto(path)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading)
      await expectNoAxeViolations(page)

      await page.setViewportSize({ width: 320, height: 640 })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, 'horizontal scrolling at 320 px').toBeLessThanOrEqual(0)
    })
  }
})

test('member pages have no WCAG 2.1 AA violations and reflow at 320 px', async ({ page }) => {
  checksWcag(...AXE_CRITERIA, '1.4.10')
  test.setTimeout(90_000)
  const member = await join(page)
  for (const { path, heading } of MEMBER_PAGES) {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(path.replace('{handle}', member.handle))
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading.replace('{displayName}', member.displayName))
    await expectNoAxeViolations(page)
    await page.setViewportSize({ width: 320, height: 640 })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `horizontal scrolling at 320 px on ${path}`).toBeLessThanOrEqual(0)
  }
})

test('pages in their error and open states have no violations', async ({ page }) => {
  checksWcag(...AXE_CRITERIA, '3.3.1')
  await page.goto('/join')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expectNoAxeViolations(page)

  await page.goto('/login')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await expectNoAxeViolations(page)

  const member = await join(page)
  await page.locator('summary', { hasText: member.displayName }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  await expectNoAxeViolations(page)

  await page.goto('/settings')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expectNoAxeViolations(page)
  await signOut(page, member.displayName)
})

test('text stays readable at 200% zoom', async ({ page }) => {
  checksWcag('1.4.4')
  // 200% zoom of a 1280 px window is a 640 CSS px viewport with the same content.
  await page.setViewportSize({ width: 640, height: 400 })
  for (const { path } of PUBLIC_PAGES) {
    await page.goto(path)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `horizontal scrolling on ${path}`).toBeLessThanOrEqual(0)
  }
})
