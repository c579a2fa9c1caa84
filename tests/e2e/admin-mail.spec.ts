import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { withServerDatabaseFile } from './database-file'
import { expect, expectNoAxeViolations, join, openAccountMenu } from './fixtures'
import { horizontalOverflow, setRole, test } from './discussions-helpers'
import { ADMIN_PAGES } from './pages'

/** A message the mail server refused, straight in the e2e server's outbox. */
function insertFailedMail(to: string): void {
  withServerDatabaseFile(process.env.E2E_DATABASE_PATH, (sqlite) => {
    const now = new Date().toISOString()
    sqlite
      .prepare(
        `insert into mail_outbox (to_address, kind, message_id, subject, text_body, html_body, status, attempts, due_at, last_error, created_at, updated_at)
         values (?, 'test', ?, 'Your case was published', 'Plain text', '<p>HTML</p>', 'failed', 1, ?, '550 5.1.1 No such user here', ?, ?)`,
      )
      .run(to, `<${randomBytes(16).toString('hex')}@localhost>`, now, now, now)
  })
}

async function signInAsNewAdmin(page: Page) {
  const admin = await join(page)
  setRole(admin.handle, 'admin')
  return admin
}

async function retryFailedMail(page: Page, to: string) {
  await page.goto('/admin/mail')
  await page.getByRole('link', { name: /^Failed \(\d+\)$/ }).click()
  const row = page.getByRole('table', { name: 'Failed messages, newest first' }).getByRole('row').filter({ hasText: to })
  await expect(row).toContainText('550 5.1.1 No such user here')
  await row.getByRole('button', { name: `Retry the message to ${to}` }).click()
  await expect(page.getByRole('status')).toContainText('Message queued to be sent again.')
  await expect(page.getByRole('row').filter({ hasText: to })).toHaveCount(0)
  await page.goto('/admin/mail')
  await expect(page.getByRole('row').filter({ hasText: to })).toContainText(/Sent|Queued|Sending/)
}

test('admin pages are in the admin’s menu, have no WCAG 2.1 AA violations and reflow at 320 px', async ({ page }) => {
  // Two viewports and an axe run per admin page, then a retry: longer than one journey on a busy machine.
  test.setTimeout(90_000)
  const to = `bounced-${randomBytes(4).toString('hex')}@agency.example.gov`
  insertFailedMail(to)
  const admin = await signInAsNewAdmin(page)
  await page.goto('/')
  await openAccountMenu(page, admin.displayName)
  await page.getByRole('link', { name: 'Outgoing mail' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outgoing mail')

  for (const { path, heading } of ADMIN_PAGES) {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading)
    await expectNoAxeViolations(page)
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${path}`).toBeLessThanOrEqual(0)
  }
  await page.setViewportSize({ width: 1280, height: 800 })
  await retryFailedMail(page, to)
  await expectNoAxeViolations(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('an admin retries a failed message with the plain form', async ({ page }) => {
    const to = `bounced-${randomBytes(4).toString('hex')}@agency.example.gov`
    insertFailedMail(to)
    await signInAsNewAdmin(page)
    await retryFailedMail(page, to)
  })
})
