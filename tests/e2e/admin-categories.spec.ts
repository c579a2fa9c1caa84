// An admin manages categories with plain forms (no JavaScript): a refused name, an added
// category, a move; and a moderator verifies a member by hand from /admin/members/<id>.
// axe scans the refused forms with JavaScript on (axe runs inside the page).
import { randomBytes } from 'node:crypto'
import { expect, expectNoAxeViolations, join, newMember } from './fixtures'
import { setRole, test } from './discussions-helpers'

for (const javaScriptEnabled of [false, true]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled })

    test('an admin adds a category after a refused name, then moves it up', async ({ page }) => {
      const admin = await join(page)
      await setRole(admin.handle, 'admin')
      await page.goto('/admin/categories')
      await page.locator('#add-name').fill('x')
      await page.locator('#add-description').fill('Publishing **data** well.')
      await page.getByRole('button', { name: 'Add the category' }).click()
      await expect(page.getByRole('alert')).toContainText('Name must be at least 2 characters')
      await expect(page.locator('#add-name-error')).toContainText('Name must be at least 2 characters')
      if (javaScriptEnabled) await expectNoAxeViolations(page)

      const name = `Open data ${randomBytes(3).toString('hex')}`
      await page.locator('#add-name').fill(name)
      await page.getByRole('button', { name: 'Add the category' }).click()
      await expect(page.getByRole('status')).toContainText(`The category ${name} is added.`)
      const headings = page.locator('main ol > li h2')
      await expect(headings.last()).toHaveText(name)

      await page.getByRole('button', { name: `Move up ${name}` }).click()
      await expect(page.getByRole('status')).toContainText('The order of categories is saved.')
      await expect(headings.nth((await headings.count()) - 2)).toHaveText(name)
    })

    test('a moderator verifies a member by hand from their admin page', async ({ page, browser }) => {
      // Two members join (each a password hash) and axe scans a page: past 30 s on a busy CI machine.
      test.slow()
      const memberPage = await browser.newPage()
      // An address outside government, so the member carries no mark until a moderator gives one.
      const fields = newMember()
      const member = await join(memberPage, { ...fields, email: fields.email.replace('agency.example.gov', 'partner-firm.example.com') })
      await memberPage.close()
      const moderator = await join(page)
      await setRole(moderator.handle, 'moderator')
      await page.goto(`/admin/members?q=${member.handle}`)
      await page.getByRole('link', { name: member.displayName }).click()
      await page.getByRole('button', { name: 'Mark as a verified public servant' }).click()
      await expect(page.getByRole('alert')).toContainText('Say why, for the moderation log')
      if (javaScriptEnabled) await expectNoAxeViolations(page)
      await page.getByLabel('How you verified them').fill('Checked with their agency by phone')
      await page.getByRole('button', { name: 'Mark as a verified public servant' }).click()
      await expect(page.getByRole('status')).toContainText(`${member.displayName} is now marked as a verified public servant.`)
      await expect(page.getByRole('main')).toContainText('Yes, by a moderator')
      await expect(page.getByRole('button', { name: 'Remove the verified mark' })).toBeVisible()
    })
  })
}
