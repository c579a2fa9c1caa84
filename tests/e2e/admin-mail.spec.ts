import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { withE2eDatabase } from './server-database'
import { expect, expectNoAxeViolations, join, openAccountMenu } from './fixtures'
import { horizontalOverflow, setRole, test } from './discussions-helpers'
import { ADMIN_PAGES } from './pages'

/** A message the mail server refused, straight in the e2e server's outbox. */
async function insertFailedMail(to: string): Promise<void> {
  const now = new Date().toISOString()
  await withE2eDatabase(({ kysely }) =>
    kysely
      .insertInto('mail_outbox')
      .values({
        to_address: to,
        kind: 'test',
        message_id: `<${randomBytes(16).toString('hex')}@localhost>`,
        subject: 'Your case was published',
        text_body: 'Plain text',
        html_body: '<p>HTML</p>',
        status: 'failed',
        attempts: 1,
        due_at: now,
        last_error: '550 5.1.1 No such user here',
        created_at: now,
        updated_at: now,
      })
      .execute(),
  )
}

async function signInAsNewAdmin(page: Page) {
  const admin = await join(page)
  await setRole(admin.handle, 'admin')
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
  await insertFailedMail(to)
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
    await insertFailedMail(to)
    await signInAsNewAdmin(page)
    await retryFailedMail(page, to)
  })
})
