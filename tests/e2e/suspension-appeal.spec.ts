// A suspended member appeals from the email, in Chromium, against a server that mails through a
// real SMTP server: a moderator suspends the member with a reason; the mail the SMTP server
// received carries a signed appeal link; the member, signed out (suspension ends every session),
// follows it and files the appeal; the moderator finds it in the appeals queue.
import type { Page } from '@playwright/test'
import { type MailingServer, startMailingServer, waitForMail } from '../helpers/mailing-server'
import { test as base, expect, expectNoAxeViolations, joinUnconfirmed, newMember, signIn } from './fixtures'

// This spec's own server, not the shared e2e one: it is the one configured with an SMTP server.
const test = base.extend<object, { mailing: MailingServer }>({
  mailing: [
    async ({}, use) => {
      const mailing = await startMailingServer()
      await use(mailing)
      await mailing.stop()
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ mailing }, use) => use(mailing.server.baseUrl),
})

/** The site path of the link under `path` in a mail, checking it is absolute on the configured site. */
function linkIn(text: string | undefined, baseUrl: string, path: string): string {
  const link = new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}(${path}/[^\\s"<>)]+)`).exec(text ?? '')?.[1]
  if (!link) throw new Error(`no ${path} link in:\n${text}`)
  return link
}

test('a suspended member appeals through the link in the suspension email, signed out', async ({ page, browser, baseURL, mailing }) => {
  test.setTimeout(120_000)
  const { smtp, server } = mailing

  // The member joins and confirms the address from the mail as the SMTP server received it.
  const member = await joinUnconfirmed(page, newMember())
  const confirmation = await waitForMail(smtp, member.email, 'Confirm your email address for SectorPulse')
  await page.goto(linkIn(confirmation.parsed.text, server.baseUrl, '/verify-email'))
  await page.getByRole('button', { name: 'Confirm my email address' }).click()
  await expect(page.getByRole('status')).toContainText(`Welcome to SectorPulse, ${member.displayName}`)

  // A moderator suspends them, with a reason.
  const moderatorContext = await browser.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': '198.18.7.21' } })
  const moderator: Page = await moderatorContext.newPage()
  await signIn(moderator, server.adminEmail, server.adminPassword)
  await moderator.waitForURL((url) => url.pathname !== '/login')
  await moderator.goto(`/admin/members?q=${member.handle}`)
  await moderator.getByRole('link', { name: member.displayName }).click()
  await moderator.getByLabel('Measure').selectOption({ label: 'Suspend (cannot sign in)' })
  await moderator.locator('#restrict-reason').fill('Posted residents’ case records')
  await moderator.getByRole('button', { name: 'Apply' }).click()
  await expect(moderator.getByRole('status')).toContainText('is suspended')

  // The mail says why and carries the appeal link; the member is signed out everywhere.
  const notice = await waitForMail(smtp, member.email, /a moderator, suspended your account until /)
  expect(notice.parsed.text).toContain('Reason: Posted residents’ case records')
  const appealLink = linkIn(notice.parsed.text, server.baseUrl, '/appeal')
  await page.goto('/settings')
  await expect(page).toHaveURL(/\/login/)

  await page.goto(appealLink)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Appeal a moderation decision')
  await expect(page.getByRole('main')).toContainText('Posted residents’ case records')
  await expectNoAxeViolations(page)
  const statement = `The records were already published by the county court (${member.handle}).`
  await page.getByLabel('Why do you think this decision was wrong?').fill(statement)
  await page.getByRole('button', { name: 'Send appeal' }).click()
  await expect(page.getByRole('status')).toContainText('Your appeal is with the moderators')

  await moderator.goto('/moderation/appeals')
  const appeal = moderator.locator('.flag-queue > li', { hasText: statement })
  await expect(appeal).toBeVisible()
  await expect(appeal).toContainText(member.displayName)
  await moderatorContext.close()
})
