// The account is the member's, in Chromium: a handle change whose old link still works, the data
// download, deleting the account and finding peers in the directory, with and without JavaScript,
// and axe on every new page including its error states.
import { accountMenu, expect, expectNoAxeViolations, join, newMember, signIn, test } from './fixtures'

test('a handle change keeps the old profile link working', async ({ page }) => {
  const member = await join(page)
  const newHandle = `${member.handle}-moved`
  await page.goto('/settings')
  await page.getByLabel('Handle', { exact: true }).fill(newHandle)
  await page.getByLabel('Job title (optional)').fill('Deputy CIO')
  await page.getByRole('checkbox', { name: 'Unmanaged risks' }).check()
  await page.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByRole('status')).toContainText('Your profile has been saved')

  await page.goto(`/members/${member.handle}`)
  await expect(page).toHaveURL(`/members/${newHandle}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(member.displayName)
  await expect(page.getByText('Deputy CIO')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Unmanaged risks' })).toBeVisible()
})

test('a refused profile change shows the problem next to the field, and the page passes axe', async ({ page }) => {
  await join(page)
  await page.goto('/settings')
  await page.getByLabel('Handle', { exact: true }).fill('no spaces allowed')
  await page.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByRole('alert')).toContainText('There is a problem')
  await expect(page.getByLabel('Handle', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expectNoAxeViolations(page)
})

test('download my data: a dated JSON file with my account in it', async ({ page }) => {
  const member = await join(page)
  await page.goto('/settings')
  await page.getByRole('link', { name: 'Download your data' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Download your data')
  await expectNoAxeViolations(page)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()])
  expect(download.suggestedFilename()).toBe(`sectorpulse-${member.handle}-${new Date().toISOString().slice(0, 10)}.json`)
  const stream = await download.createReadStream()
  let text = ''
  for await (const chunk of stream) text += chunk
  const data = JSON.parse(text)
  expect(data.profile).toMatchObject({ email: member.email, handle: member.handle, displayName: member.displayName })
})

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled })

    test('delete my account: the password is required, then I am signed out and cannot sign in', async ({ page }) => {
      const member = await join(page)
      await page.goto('/settings/delete')
      // axe runs in the page: only with JavaScript on (the markup is the same either way).
      if (javaScriptEnabled) await expectNoAxeViolations(page)
      await page.getByRole('button', { name: 'Delete my account' }).click()
      await expect(page.getByRole('alert')).toContainText('Choose what happens to your posts')
      await expect(page.getByRole('alert')).toContainText('Enter your password')
      // axe runs in the page: only with JavaScript on (the markup is the same either way).
      if (javaScriptEnabled) await expectNoAxeViolations(page)

      await page.getByRole('radio', { name: 'Remove my posts' }).check()
      await page.getByLabel('Your password').fill('not the password at all')
      await page.getByRole('button', { name: 'Delete my account' }).click()
      await expect(page.getByRole('alert')).toContainText('Your password is not correct')

      await page.getByRole('radio', { name: /Keep my posts/ }).check()
      await page.getByLabel('Your password').fill(member.password)
      await page.getByRole('button', { name: 'Delete my account' }).click()
      await expect(page.getByRole('status')).toContainText('Your account has been deleted')
      await expect(accountMenu(page, member.displayName)).toHaveCount(0)
      await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()

      await signIn(page, member.email, member.password)
      await expect(page.getByRole('alert')).toContainText('The email address or password is not correct')
      const profile = await page.goto(`/members/${member.handle}`)
      expect(profile?.status()).toBe(404)
    })

    test('find a peer in the directory by organization and filters', async ({ page }) => {
      const fields = newMember()
      const organization = `Lakeshore transit authority ${fields.handle}`
      await join(page, { ...fields, organization })
      await page.goto('/members')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Members')
      await page.getByLabel('Name or organization').fill(organization)
      await page.getByLabel('Member type').selectOption('leader')
      await page.getByLabel('Level of government').selectOption('state')
      await page.getByRole('button', { name: 'Find members' }).click()
      await expect(page).toHaveURL(/\/members\?q=Lakeshore/)
      await expect(page.getByRole('link', { name: fields.displayName })).toBeVisible()
      await expect(page.getByText('1 member match')).toBeVisible()
      // axe runs in the page: only with JavaScript on (the markup is the same either way).
      if (javaScriptEnabled) await expectNoAxeViolations(page)

      await page.getByLabel('Member type').selectOption('partner')
      await page.getByRole('button', { name: 'Find members' }).click()
      await expect(page.getByText('No members match')).toBeVisible()
      await page.getByRole('link', { name: 'Clear the search' }).click()
      await expect(page).toHaveURL('/members')
    })
  })
}
