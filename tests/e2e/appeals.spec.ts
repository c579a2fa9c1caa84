// A moderator hides a post; its author is told who and why, appeals, and a different moderator
// restores it. With JavaScript on and off. A returned case is appealed the same way, found from
// the account menu. Plus axe on the appeal pages, including refusals.
import type { Page } from '@playwright/test'
import { SUBMISSION_MODES, decide, newCase, reviewCard, submitNewCase } from './cases-helpers'
import { expectNoAxeViolations, openAccountMenu } from './fixtures'
import { type AnotherMember, expect, post, setRole, startThread, test, uniqueTitle } from './discussions-helpers'

async function hidePost(moderator: Page, path: string, number: number, reason: string) {
  await moderator.goto(path)
  await post(moderator, number).getByText(`Hide post ${number}`).click()
  await post(moderator, number).getByLabel('Reason (logged; the author is told)').fill(reason)
  await post(moderator, number).getByRole('button', { name: 'Hide post' }).click()
  await expect(moderator.getByRole('status')).toContainText('Post hidden.')
}

async function hiddenThenAppealed(anotherMember: AnotherMember, javaScriptEnabled: boolean) {
  // axe runs inside the page, so it scans the JavaScript-on run; the pages are the same HTML.
  const scan = javaScriptEnabled ? expectNoAxeViolations : async () => {}
  const author = await anotherMember({ javaScriptEnabled })
  const path = await startThread(author.page, {
    category: 'Governance & sponsorship',
    title: uniqueTitle('Who decides when a program is ready'),
    body: 'Our sponsor, the deputy secretary, signed off alone on go-live.',
  })
  const number = 1
  // Both journeys run at once: each finds its own appeal in the shared queue by this phrase.
  const holder = uniqueTitle('public office holder')
  const deciding = await anotherMember({ javaScriptEnabled })
  await setRole(deciding.member.handle)
  await hidePost(deciding.page, path, number, 'Names a colleague')

  // The author sees the decision, who made it and why, and appeals.
  await author.page.goto('/appeals')
  await expect(author.page.getByRole('heading', { level: 1 })).toHaveText('Your moderation decisions and appeals')
  const decision = author.page.locator('.decision-list > li').first()
  await expect(decision).toContainText('Your post was hidden')
  await expect(decision).toContainText(deciding.member.displayName)
  await expect(decision).toContainText('Names a colleague')
  await scan(author.page)
  await decision.getByRole('link', { name: 'Appeal this decision' }).click()
  await expect(author.page.getByRole('heading', { level: 1 })).toHaveText('Appeal a moderation decision')
  await author.page.getByRole('button', { name: 'Send appeal' }).click()
  await expect(author.page.getByRole('alert')).toContainText('Write at least 20 characters')
  await scan(author.page)
  await author.page.getByLabel('Why do you think this decision was wrong?').fill(`The deputy secretary is a ${holder} named in the public record.`)
  await author.page.getByRole('button', { name: 'Send appeal' }).click()
  await expect(author.page.getByRole('status')).toContainText('Your appeal is with the moderators')
  await expect(author.page.getByText('Waiting for a moderator')).toBeVisible()

  // The deciding moderator cannot decide it; another moderator restores the post.
  await deciding.page.goto('/moderation/appeals')
  const mine = deciding.page.locator('.flag-queue > li', { hasText: holder })
  await expect(mine).toContainText('You made this decision, so another moderator must decide its appeal.')
  await expect(mine.getByRole('button', { name: 'Overturn and reverse' })).toHaveCount(0)

  const other = await anotherMember({ javaScriptEnabled })
  await setRole(other.member.handle)
  await other.page.goto('/moderation/appeals')
  const appeal = other.page.locator('.flag-queue > li', { hasText: holder })
  await appeal.getByRole('button', { name: 'Overturn and reverse' }).click()
  await expect(other.page.getByRole('alert')).toContainText('Give the reason the member will be told')
  await scan(other.page)
  await other.page
    .locator('.flag-queue > li', { hasText: holder })
    .getByLabel('Reason (the member is told)')
    .fill('Public office holders may be named')
  await other.page.locator('.flag-queue > li', { hasText: holder }).getByRole('button', { name: 'Overturn and reverse' }).click()
  await expect(other.page.getByRole('status')).toContainText('Appeal accepted')

  await author.page.goto(path)
  await expect(post(author.page, number)).toContainText('the deputy secretary, signed off alone')
  await expect(post(author.page, number)).not.toContainText('hidden')
  await author.page.goto('/appeals')
  const appealed = author.page.locator('.decision-list > li', { hasText: 'Your post was hidden' })
  await expect(appealed).toContainText('Decided: the decision was reversed')
  await expect(appealed).toContainText('Public office holders may be named')
}

test('a post hidden by a moderator is appealed by its author and restored by another moderator', async ({ anotherMember }) => {
  test.setTimeout(180_000)
  await hiddenThenAppealed(anotherMember, true)
})

test('the same journey works with JavaScript off', async ({ anotherMember }) => {
  test.setTimeout(180_000)
  await hiddenThenAppealed(anotherMember, false)
})

test('a returned case: its author finds the decision under “Your appeals”, appeals, and another moderator sends it back to review', async ({ anotherMember }) => {
  test.setTimeout(180_000)
  const author = await anotherMember()
  const fields = newCase('Licensing moved to the cloud in one weekend', SUBMISSION_MODES.review.name)
  await submitNewCase(author.page, fields)
  const returning = await anotherMember()
  await setRole(returning.member.handle)
  await decide(returning.page, fields.title, 'Return with feedback', { feedback: 'Name the audit that found the lost licences.' })

  // The case page says who returned it and offers the appeal; so does "Your appeals" in the account menu.
  await author.page.goto('/cases/submissions')
  await author.page.getByRole('link', { name: fields.title, exact: true }).click()
  const note = author.page.getByRole('note')
  await expect(note).toContainText(`Returned by ${returning.member.displayName}, a moderator:`)
  await expect(note.getByRole('link', { name: 'appeal this decision' })).toBeVisible()
  await expectNoAxeViolations(author.page)
  await openAccountMenu(author.page, author.member.displayName)
  await author.page.getByRole('link', { name: 'Your appeals' }).click()
  const decision = author.page.locator('.decision-list > li', { hasText: fields.title })
  await expect(decision).toContainText('Your case was returned with feedback')
  await expect(decision).toContainText(returning.member.displayName)
  await decision.getByRole('link', { name: 'Appeal this decision' }).click()
  await author.page.getByLabel('Why do you think this decision was wrong?').fill('The audit is named in the sources: Permit system review, report 4.')
  await author.page.getByRole('button', { name: 'Send appeal' }).click()
  await expect(author.page.getByRole('status')).toContainText('Your appeal is with the moderators')

  const other = await anotherMember()
  await setRole(other.member.handle)
  await other.page.goto('/moderation/appeals')
  const appeal = other.page.locator('.flag-queue > li', { hasText: fields.title })
  await appeal.getByLabel('Reason (the member is told)').fill('The audit is in the sources')
  await appeal.getByRole('button', { name: 'Overturn and reverse' }).click()
  await expect(other.page.getByRole('status')).toContainText('Appeal accepted')
  await other.page.goto('/moderation/cases')
  await expect(reviewCard(other.page, fields.title)).toHaveCount(1)

  await author.page.goto('/appeals')
  const appealed = author.page.locator('.decision-list > li', { hasText: fields.title }).filter({ hasText: 'Your case was returned with feedback' })
  await expect(appealed).toContainText('Decided: the decision was reversed')
})

test('admin members: a refused action shows its error next to the field, without axe violations', async ({ anotherMember }) => {
  test.setTimeout(120_000)
  const moderator = await anotherMember()
  await setRole(moderator.member.handle)
  const member = await anotherMember()
  await moderator.page.goto(`/admin/members?q=${member.member.handle}`)
  await moderator.page.getByRole('link', { name: member.member.displayName }).click()
  await expect(moderator.page.getByRole('heading', { level: 1 })).toContainText(member.member.displayName)
  await expectNoAxeViolations(moderator.page)
  await moderator.page.getByRole('button', { name: 'Apply' }).click()
  await expect(moderator.page.getByRole('alert')).toContainText('Give the reason the member will be told')
  await expectNoAxeViolations(moderator.page)
  await moderator.page.locator('#restrict-reason').fill('Cooling off after a heated thread')
  await moderator.page.getByRole('button', { name: 'Apply' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('is silenced')
  await member.page.goto('/')
  await expect(member.page.getByRole('region', { name: 'Your account is read-only' })).toContainText('Cooling off after a heated thread')
  await expectNoAxeViolations(member.page)
})
