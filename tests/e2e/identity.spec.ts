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

      await page.goto(latestMailedLink(member.email, 'reset-password'))
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
  await page.goto(latestMailedLink(member.email, 'verify-email'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address')
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Confirm my email address' }).click()
  await expect(page.getByRole('status')).toContainText('Your email address is confirmed')

  await page.goto('/forgot-password')
  await page.getByLabel('Email address').fill(member.email)
  await page.getByRole('button', { name: 'Send the link' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email')
  await page.goto(latestMailedLink(member.email, 'reset-password'))
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

  await page.goto(latestMailedLink(newEmail, 'change-email'))
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Confirm my new email address' }).click()
  await expect(page.getByRole('status')).toContainText(`Your SectorPulse email address is now ${newEmail}`)
  await expectNoAxeViolations(page)

  await page.goto(latestMailedLink(member.email, 'email-changed'))
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
  setRole(moderator.handle, 'moderator')
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
