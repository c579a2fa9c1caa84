import type { Page } from '@playwright/test'
import {
  confirmEmail,
  expect,
  expectNoAxeViolations,
  join,
  joinUnconfirmed,
  latestMailedLink,
  newMember,
  signIn,
  signOut,
  test,
} from './fixtures'

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled })

    test('a forgotten password: from the sign-in page to signed in with the new password', async ({ page }) => {
      const member = await join(page)
      await signOut(page, member.displayName)
      await page.goto('/login')
      await page.getByRole('link', { name: 'Forgotten your password?' }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password')
      await page.getByLabel('Email address').fill(member.email)
      await page.getByRole('button', { name: 'Send the link' }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email')

      await page.goto(await latestMailedLink(member.email, 'reset-password'))
      await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase')
      await page.getByLabel('Confirm new password').fill('a brand new passphrase')
      await page.getByRole('button', { name: 'Save the new password' }).click()
      await expect(page.getByRole('status')).toContainText('Your password has been changed')
      await signOut(page, member.displayName)

      await signIn(page, member.email, 'a brand new passphrase')
      await expect(page.locator('summary', { hasText: member.displayName })).toBeVisible()
    })

    test('join, confirm the address from the email, then post', async ({ page }) => {
      const member = newMember()
      await joinUnconfirmed(page, member)
      // Signed in with the password but unconfirmed: told so on every page, and offered no form that would fail.
      await signIn(page, member.email, member.password)
      await expect(page.locator('summary', { hasText: member.displayName })).toBeVisible()
      await page.goto('/discussions')
      await expect(page.getByRole('region', { name: 'Confirm your email address' })).toContainText(member.email)
      await page.getByRole('button', { name: 'Resend the confirmation email' }).click()
      await expect(page.getByRole('status')).toContainText('We have sent a new confirmation link')

      await confirmEmail(page, member)
      await expect(page.getByRole('region', { name: 'Confirm your email address' })).toHaveCount(0)
      await page.goto('/discussions/new')
      await page.getByLabel('Category').selectOption({ label: 'Testing & go-live' })
      const title = `Confirmed and posting ${Date.now().toString(36)} ${javaScriptEnabled ? 'js' : 'nojs'}`
      await page.getByLabel('Title').fill(title)
      await page.getByLabel('Your post').fill('My first post after confirming my address.')
      await page.getByRole('button', { name: 'Post thread' }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    })
  })
}

test('the account pages have no WCAG 2.1 AA violations, in their open and error states', async ({ page }) => {
  test.setTimeout(120_000)
  await page.goto('/forgot-password')
  await page.getByRole('button', { name: 'Send the link' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expectNoAxeViolations(page)

  await page.goto('/reset-password/notarealtokenatallnotarealtoken')
  await expect(page.getByRole('alert')).toContainText('This link does not work')
  await expectNoAxeViolations(page)

  const member = newMember()
  await joinUnconfirmed(page, member)
  await expectNoAxeViolations(page)
  await signIn(page, member.email, member.password)
  await expect(page.locator('summary', { hasText: member.displayName })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Confirm your email address' })).toBeVisible()
  await expectNoAxeViolations(page)
  await page.goto(await latestMailedLink(member.email, 'verify-email'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address')
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Confirm my email address' }).click()
  await expect(page.getByRole('status')).toContainText('Your email address is confirmed')

  await page.goto('/forgot-password')
  await page.getByLabel('Email address').fill(member.email)
  await page.getByRole('button', { name: 'Send the link' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email')
  await page.goto(await latestMailedLink(member.email, 'reset-password'))
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Save the new password' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expectNoAxeViolations(page)

  await page.goto('/settings/email')
  await page.getByRole('button', { name: 'Send a confirmation link' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expectNoAxeViolations(page)
  const newEmail = `moved-${member.email}`
  await page.getByLabel('New email address').fill(newEmail)
  await page.getByLabel('Current password').fill(member.password)
  await page.getByRole('button', { name: 'Send a confirmation link' }).click()
  await expect(page.getByRole('status')).toContainText(`We have sent a link to ${newEmail}`)

  await page.goto(await latestMailedLink(newEmail, 'change-email'))
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Confirm my new email address' }).click()
  await expect(page.getByRole('status')).toContainText(`Your SectorPulse email address is now ${newEmail}`)
  await expectNoAxeViolations(page)

  await page.goto(await latestMailedLink(member.email, 'email-changed'))
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Undo the change' }).click()
  await expect(page.getByRole('status')).toContainText(`is ${member.email} again`)
  await expectNoAxeViolations(page)

  // The profile shows the mark an agency address earns (e2e members join with .gov addresses).
  await page.goto(`/members/${member.handle}`)
  await expect(page.locator('.lead')).toContainText('Verified government email')
  await expectNoAxeViolations(page)
})

test('a moderator verifies a member by hand from their profile', async ({ page, browser }) => {
  const subject = await join(page, { ...newMember(), email: `advisor-${Date.now().toString(36)}@firm.example.com` })
  const moderatorPage = await (await browser.newContext()).newPage()
  const moderator = await join(moderatorPage)
  const { setRole } = await import('./discussions-helpers')
  await setRole(moderator.handle, 'moderator')
  await moderatorPage.goto(`/members/${subject.handle}`)
  await expect(moderatorPage.locator('.lead')).not.toContainText('Verified government email')
  await moderatorPage.getByRole('button', { name: 'Mark as a verified public servant' }).click()
  await expect(moderatorPage.getByRole('alert')).toContainText('Say why, for the moderation log')
  await expectNoAxeViolations(moderatorPage)
  await moderatorPage.getByLabel('How you verified them').fill('Advisor to the state CIO council.')
  await moderatorPage.getByRole('button', { name: 'Mark as a verified public servant' }).click()
  await expect(moderatorPage.getByRole('status')).toContainText('is now marked as a verified public servant')
  await page.goto(`/members/${subject.handle}`)
  await expect(page.locator('.lead')).toContainText('Verified government email')
})

test('a suspended member refused at sign-in, and the appeal link once the decision is lifted or already appealed, have no WCAG 2.1 AA violations', async ({ page, browser, baseURL }) => {
  test.setTimeout(150_000)
  const member = await join(page)
  const moderatorContext = await browser.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': '198.18.9.41' } })
  const moderator = await moderatorContext.newPage()
  const { setRole } = await import('./discussions-helpers')
  await setRole((await join(moderator)).handle, 'moderator')
  await moderator.goto(`/admin/members?q=${member.handle}`)
  await moderator.getByRole('link', { name: member.displayName }).click()
  await expect(moderator.getByRole('heading', { level: 1 })).toContainText(member.displayName)
  const memberPage = moderator.url()
  const suspend = async (reason: string) => {
    await moderator.goto(memberPage)
    await moderator.getByLabel('Measure').selectOption({ label: 'Suspend (cannot sign in)' })
    await moderator.getByLabel('For how long').selectOption({ label: 'Indefinitely (until lifted)' })
    await moderator.locator('#restrict-reason').fill(reason)
    await moderator.getByRole('button', { name: 'Apply' }).click()
    await expect(moderator.getByRole('status')).toContainText('is suspended')
  }
  /** Signs in as the suspended member: refused, told why, and given the appeal link. */
  const refusedSignIn = async (reason: string) => {
    await signIn(page, member.email, member.password)
    await expect(page.getByRole('alert')).toContainText('Your account is suspended indefinitely')
    await expect(page.getByRole('main')).toContainText(`Reason: ${reason}`)
    await expectNoAxeViolations(page)
    return (await page.getByRole('link', { name: 'appeal it' }).getAttribute('href'))!
  }
  const sendAppeal = async (tab: Page) => {
    await tab.getByLabel('Why do you think this decision was wrong?').fill('The records I posted were already public in the court docket.')
    await tab.getByRole('button', { name: 'Send appeal' }).click()
  }
  /** Sends the appeal and is refused beside the form; reopened, the link shows the state without a form. */
  const refusedAppeal = async (tab: Page, link: string, refusal: string, reopened: string) => {
    await sendAppeal(tab)
    await expect(tab.getByRole('alert')).toContainText(refusal)
    await expectNoAxeViolations(tab)
    await tab.goto(link)
    await expect(tab.getByRole('main')).toContainText(reopened)
    await expect(tab.getByRole('button', { name: 'Send appeal' })).toHaveCount(0)
    await expectNoAxeViolations(tab)
  }

  // The decision no longer stands: lifted while the member had the appeal form open.
  await suspend('Posted residents’ case records')
  const firstAppeal = await refusedSignIn('Posted residents’ case records')
  await page.goto(firstAppeal)
  await expect(page.getByLabel('Why do you think this decision was wrong?')).toBeVisible()
  await moderator.goto(memberPage)
  await moderator.locator('#lift-suspend-reason').fill('The records were public')
  await moderator.getByRole('button', { name: 'Lift the suspension' }).click()
  await expect(moderator.getByRole('status')).toContainText('is lifted')
  const noLongerStands = 'This decision no longer stands, so there is nothing to appeal.'
  await refusedAppeal(page, firstAppeal, noLongerStands, noLongerStands)

  // Already appealed: the same link open in a second tab, sent after the first.
  await suspend('Posted them again')
  const secondAppeal = await refusedSignIn('Posted them again')
  const otherTab = await page.context().newPage()
  await otherTab.goto(secondAppeal)
  await page.goto(secondAppeal)
  await sendAppeal(page)
  await expect(page.getByRole('status')).toContainText('Your appeal is with the moderators')
  await refusedAppeal(otherTab, secondAppeal, 'You have already appealed this decision', 'Waiting for a moderator')

  // The moderation log names the member each measure concerned.
  await moderator.goto('/moderation/log')
  const lifted = moderator.locator('tbody tr', { hasText: 'The records were public' })
  await expect(lifted.locator('td:nth-child(3)')).toHaveText('Lifted suspension')
  await expect(lifted.locator('td:nth-child(4)')).toHaveText(member.displayName)
  await expectNoAxeViolations(moderator)
  await moderatorContext.close()
})
