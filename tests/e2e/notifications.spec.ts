// Members hear back: a mention reaches the notification menu, opening it lands on the post, and
// a thread's level (watching, muted) changes what arrives. With JavaScript on and off.
import type { Page } from '@playwright/test'
import { expect, join, test } from './fixtures'
import { type AnotherMember, post, reply, startThread, test as withMembers, uniqueTitle } from './discussions-helpers'

/**
 * The header's notification link, once the background fan-out has delivered `count` unread.
 * Looked for on the discussion list: a thread page would read the thread's notifications.
 */
async function expectUnread(page: Page, count: number) {
  const link = page.getByRole('link', { name: /^Notifications/ })
  await expect(async () => {
    await page.goto('/discussions')
    await expect(link).toHaveAccessibleName(count ? `Notifications ${count} unread` : 'Notifications', { timeout: 500 })
  }).toPass({ timeout: 15_000 })
}

for (const javaScriptEnabled of [true, false]) {
  withMembers.describe(`notifications with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    withMembers.use({ javaScriptEnabled })

    withMembers('a mentioned member sees the count, opens the notification and lands on the post', async ({ page, anotherMember }) => {
      test.setTimeout(90_000)
      const author = await join(page)
      const title = uniqueTitle('Who signs off the cutover')
      const path = await startThread(page, { category: 'Testing & go-live', title, body: 'We keep arguing about who says go.' })

      const replier = await (anotherMember as AnotherMember)()
      await replier.page.goto(path)
      const number = await reply(replier.page, `The program owner should, @${author.handle}, with IT's evidence.`)

      await expectUnread(page, 1)
      await page.getByRole('link', { name: /^Notifications/ }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications')
      const item = page.getByRole('link', { name: `${replier.member.displayName} mentioned you in “${title}”` })
      await expect(item).toBeVisible()
      await expect(page.getByText('Unread:')).toBeVisible()
      await item.click()
      await expect(page).toHaveURL(new RegExp(`${path}#post-${number}$`))
      await expect(post(page, number)).toContainText("with IT's evidence")
      await expectUnread(page, 0)
      await page.goto('/notifications')
      await expect(page.getByText('Unread:')).toHaveCount(0)
    })
  })
}

withMembers('watching a thread brings every reply; muting it stops even mentions', async ({ page, anotherMember }) => {
  test.setTimeout(120_000)
  await join(page)
  const title = uniqueTitle('Parallel runs for payroll')
  const path = await startThread(page, { category: 'Testing & go-live', title, body: 'How many cycles did you run in parallel?' })

  const watcher = await (anotherMember as AnotherMember)()
  await watcher.page.goto(path)
  await watcher.page.getByRole('radio', { name: 'Watching' }).check()
  await watcher.page.getByRole('button', { name: 'Save notification level' }).click()
  await expect(watcher.page.getByRole('status')).toContainText('You are watching this thread')
  await expect(watcher.page.getByRole('radio', { name: 'Watching' })).toBeChecked()

  const replier = await (anotherMember as AnotherMember)()
  await replier.page.goto(path)
  await reply(replier.page, 'Two full cycles, and every cent matched.')
  await expectUnread(watcher.page, 1)
  await watcher.page.goto('/notifications')
  await expect(watcher.page.getByRole('link', { name: `${replier.member.displayName} replied in “${title}”` })).toBeVisible()
  await expect(watcher.page.getByText('You are watching this thread.')).toBeVisible()
  await watcher.page.getByRole('button', { name: 'Mark all as read' }).click()
  await expect(watcher.page.getByText('Unread:')).toHaveCount(0)

  await watcher.page.goto(path)
  await watcher.page.getByRole('radio', { name: 'Muted' }).check()
  await watcher.page.getByRole('button', { name: 'Save notification level' }).click()
  await expect(watcher.page.getByRole('status')).toContainText('This thread is muted')

  await replier.page.goto(path)
  await replier.page.waitForTimeout(10_500) // one reply every 10 seconds
  await reply(replier.page, `And @${watcher.member.handle} ran three.`)
  // A later, unrelated mention proves the fan-out has run past the muted reply.
  const other = await startThread(replier.page, { category: 'Testing & go-live', title: uniqueTitle('Another thread'), body: `Hello @${watcher.member.handle}` })
  expect(other).toMatch(/^\/discussions\//)
  await expectUnread(watcher.page, 1)
  await watcher.page.goto('/notifications')
  await expect(watcher.page.getByRole('link', { name: /mentioned you in “Another thread/ })).toBeVisible()
  await expect(watcher.page.getByRole('link', { name: new RegExp(`in “${title}”`) })).toHaveCount(1)

  await watcher.page.goto('/settings/following')
  await expect(watcher.page.getByRole('link', { name: title })).toBeVisible()
  await expect(watcher.page.getByText('· Muted')).toBeVisible()
})

test.describe('following and email preferences without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a member follows a theme, an event and a category from their pages, lists and unfollows them, and changes an email preference', async ({ page }) => {
    test.setTimeout(60_000)
    await join(page)
    const follow = async (path: string, name: string) => {
      await page.goto(path)
      const button = page.getByRole('button', { name: new RegExp(`^Follow ${name}`) })
      await expect(button).toHaveAttribute('aria-pressed', 'false')
      await button.click()
      await expect(page.getByRole('status')).toContainText('You follow it now')
      await expect(page.getByRole('button', { name: new RegExp(`^Following ${name}`) })).toHaveAttribute('aria-pressed', 'true')
    }
    await follow('/cases/themes/big-bang-scope', 'Big-bang scope')
    await follow('/discussions/c/ai-in-government', 'AI in government')
    await page.goto('/events')
    await page.locator('main').getByRole('link').filter({ hasText: /Roundtable|Workshop|Webinar|Peer cohort|Site visit/ }).first().click()
    const eventTitle = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
    await follow(new URL(page.url()).pathname, eventTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))

    await page.goto('/settings/following')
    for (const name of ['Big-bang scope', 'AI in government', eventTitle]) await expect(page.getByRole('link', { name, exact: true })).toBeVisible()
    await page.getByRole('button', { name: 'Unfollow Big-bang scope' }).click()
    await expect(page.getByRole('status')).toContainText('You no longer follow it')
    await expect(page.getByRole('link', { name: 'Big-bang scope', exact: true })).toHaveCount(0)

    await page.goto('/settings/notifications')
    const mentions = page.getByRole('group', { name: 'Mentions of your @handle' })
    await expect(mentions.getByRole('radio', { name: 'Right away' })).toBeChecked()
    await mentions.getByRole('radio', { name: 'In the daily summary' }).check()
    await page.getByRole('button', { name: 'Save email preferences' }).click()
    await expect(page.getByRole('status')).toContainText('Your email preferences are saved.')
    await expect(page.getByRole('group', { name: 'Mentions of your @handle' }).getByRole('radio', { name: 'In the daily summary' })).toBeChecked()
  })
})
