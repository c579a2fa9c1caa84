import AxeBuilder from '@axe-core/playwright'
import { latestMailedLinkIn } from '../helpers/mailed-link'
import { withE2eDatabase } from './server-database'
import { test as base, expect, type Page } from '@playwright/test'

let counter = 0

export interface MemberFields {
  email: string
  displayName: string
  handle: string
  password: string
  organization: string
}

export function newMember(): MemberFields {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}${process.pid.toString(36)}`
  return {
    email: `e2e-${n}@agency.example.gov`,
    displayName: `Pat Example ${n}`,
    handle: `pat-${n}`,
    password: 'a long passphrase for e2e',
    organization: 'A large state benefits agency',
  }
}

export const test = base.extend({
  // Each test arrives from its own address (the e2e server trusts X-Forwarded-For), so the
  // per-IP sign-in throttle one test trips never blocks another.
  extraHTTPHeaders: async ({}, use, testInfo) => {
    const id = testInfo.workerIndex * 1000 + testInfo.testId.length + Math.floor(Math.random() * 60000)
    await use({ 'X-Forwarded-For': `203.0.${(id >> 8) & 255}.${id & 255}` })
  },
})

export { expect }

/** Fills in and sends the join form; the member is not signed in until they confirm their address. */
export async function joinUnconfirmed(page: Page, member: MemberFields = newMember()) {
  await page.goto('/join')
  await page.getByLabel('Email address').fill(member.email)
  await page.getByLabel('Display name').fill(member.displayName)
  await page.getByLabel('Handle').fill(member.handle)
  await page.getByLabel('Password').fill(member.password)
  await page.getByLabel('What kind of member are you?').selectOption('leader')
  await page.getByLabel('Organization (optional)').fill(member.organization)
  await page.getByLabel('Level of government').selectOption('state')
  await page.getByLabel('I accept the community guidelines').check()
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible()
  return member
}

/** The site path of the newest link of `kind` the e2e server mailed to `address`. */
export function latestMailedLink(address: string, kind: string): Promise<string> {
  return withE2eDatabase((database) => latestMailedLinkIn(database, address, kind))
}

/** Confirms the member's address from the link mailed to them, which signs them in. */
export async function confirmEmail(page: Page, member: MemberFields) {
  await page.goto(await latestMailedLink(member.email, 'verify-email'))
  await page.getByRole('button', { name: 'Confirm my email address' }).click()
  await expect(page.getByRole('status')).toContainText(`Welcome to SectorPulse, ${member.displayName}`)
}

/** Joins and confirms the address from the mailed link: a signed-in, confirmed member. */
export async function join(page: Page, member: MemberFields = newMember()) {
  await joinUnconfirmed(page, member)
  await confirmEmail(page, member)
  return member
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export function accountMenu(page: Page, displayName: string) {
  return page.locator('summary', { hasText: displayName })
}

export async function openAccountMenu(page: Page, displayName: string) {
  const open = await page.locator('details.account-menu').evaluate((menu: HTMLDetailsElement) => menu.open)
  if (!open) await accountMenu(page, displayName).click()
}

export async function signOut(page: Page, displayName: string) {
  await openAccountMenu(page, displayName)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('status')).toContainText('You have signed out')
}

/** How many US Letter pages the browser's print makes of the page (it prints as a PDF). */
export async function printedPages(page: Page): Promise<number> {
  const pdf = await page.pdf({ format: 'Letter' })
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
}

/** Zero WCAG 2.1 A and AA violations, listed by rule and element when there are any. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  )
  expect(summary, summary.join('\n')).toEqual([])
}
