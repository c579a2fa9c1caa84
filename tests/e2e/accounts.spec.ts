import { accountMenu, expect, join, newMember, openAccountMenu, signIn, signOut, test } from './fixtures'

for (const javaScriptEnabled of [true, false]) {
  test.describe(`account journey with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled })

    test('join, sign out, sign in, view profile, change password', async ({ page }) => {
      // Joining now includes confirming the address from the mailed link: two more page loads.
      test.setTimeout(60_000)
      const member = await join(page)
      await expect(accountMenu(page, member.displayName)).toBeVisible()

      await signOut(page, member.displayName)
      await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()

      await signIn(page, member.email, member.password)
      await expect(page).toHaveURL('/')
      await expect(accountMenu(page, member.displayName)).toBeVisible()

      await openAccountMenu(page, member.displayName)
      await page.getByRole('link', { name: 'Your profile' }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(member.displayName)
      // Within main: the route announcer repeats the page title (which names the handle) after a navigation.
      const main = page.getByRole('main')
      await expect(main.getByText(`@${member.handle}`)).toBeVisible()
      await expect(main.getByText(member.organization)).toBeVisible()
      await expect(main.getByText('State', { exact: true })).toBeVisible()

      await openAccountMenu(page, member.displayName)
      await page.getByRole('link', { name: 'Settings' }).click()
      const newPassword = 'an even longer passphrase, changed'
      await page.getByLabel('Current password').fill(member.password)
      await page.getByLabel('New password', { exact: true }).fill(newPassword)
      await page.getByLabel('Confirm new password').fill(newPassword)
      await page.getByRole('button', { name: 'Change password' }).click()
      await expect(page.getByRole('status')).toContainText('Your password has been changed')

      await signOut(page, member.displayName)
      await signIn(page, member.email, member.password)
      await expect(page.getByRole('alert')).toContainText('The email address or password is not correct')
      await signIn(page, member.email, newPassword)
      await expect(accountMenu(page, member.displayName)).toBeVisible()
    })

    test('join shows each problem next to its field and keeps what was typed', async ({ page }) => {
      await page.goto('/join')
      await page.getByLabel('Email address').fill('not-an-email')
      await page.getByLabel('Display name').fill('Robin Example')
      await page.getByLabel('Password').fill('short')
      await page.getByRole('button', { name: 'Create account' }).click()

      const summary = page.getByRole('alert')
      await expect(summary).toContainText('There is a problem')
      await expect(summary).toContainText('Enter an email address in the correct format')
      await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true')
      await expect(page.locator('#email-error')).toContainText('Enter an email address in the correct format')
      await expect(page.locator('#password-error')).toContainText('at least 12 characters')
      await expect(page.locator('#memberType-error')).toContainText('Choose the kind of member you are')
      await expect(page.getByLabel('Display name')).toHaveValue('Robin Example')
      await expect(page.getByLabel('Email address')).toHaveValue('not-an-email')
      // Without JavaScript the page is rendered anew, and a password is never sent back.
      if (!javaScriptEnabled) await expect(page.getByLabel('Password')).toHaveValue('')
    })
  })
}

test('a wrong password and an unknown email get the same message', async ({ page }) => {
  const member = await join(page)
  await signOut(page, member.displayName)

  await signIn(page, member.email, 'not the right password at all')
  const wrongPassword = await page.getByRole('alert').innerText()
  await signIn(page, `nobody-${member.handle}@agency.example.gov`, 'not the right password at all')
  const unknownEmail = await page.getByRole('alert').innerText()

  expect(wrongPassword).toContain('The email address or password is not correct')
  expect(unknownEmail).toBe(wrongPassword)
  await expect(page.getByLabel('Email address')).toHaveValue(`nobody-${member.handle}@agency.example.gov`)
})

test('repeated failed sign-ins are throttled, even with the right password', async ({ page }) => {
  const member = await join(page)
  await signOut(page, member.displayName)

  for (let attempt = 1; attempt <= 10; attempt++) {
    await signIn(page, member.email, `wrong password number ${attempt}`)
    await expect(page.getByRole('alert')).toContainText('The email address or password is not correct')
  }
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/login'))
  await signIn(page, member.email, member.password)
  expect((await response).status()).toBe(429)
  await expect(page.getByRole('alert')).toContainText('Too many failed sign-in attempts')
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
})

test('the skip link is the first thing the keyboard reaches and moves focus to the content', async ({ page }) => {
  await page.goto('/')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to main content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#main$/)
  await page.keyboard.press('Tab')
  await expect(page.locator('main a').first()).toBeFocused()
})

test('the account menu works from the keyboard', async ({ page }) => {
  const member = newMember()
  await join(page, member)
  await accountMenu(page, member.displayName).focus()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Your profile' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(member.displayName)
})
