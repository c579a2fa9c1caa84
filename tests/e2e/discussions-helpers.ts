// Helpers for the Discussions end-to-end tests: extra members in their own browser contexts,
// promoting a member to moderator, starting threads and replying through the UI, and what the
// demo content says the seeded threads should show.
import { readdirSync, readFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { BrowserContext, Locator, Page } from '@playwright/test'
import { withE2eDatabase } from './server-database'
import matter from 'gray-matter'
import { expect, join, type MemberFields, test as base } from './fixtures'

declare global {
  interface Window {
    /** Set by the XSS payloads if any of them ever runs. */
    __xss?: unknown
  }
}

export interface Person {
  page: Page
  member: MemberFields
  context: BrowserContext
}

let ipCounter = 0

/** An address no other context of this run uses, so per-IP limits never couple two members. */
export function uniqueIp(): string {
  const n = (process.pid * 7919 + ipCounter++ * 104_729 + Math.floor(Math.random() * 1_000_000)) % 16_777_216
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** Joins a new member in a browser context of their own (closed when the test ends). */
export type AnotherMember = (options?: { javaScriptEnabled?: boolean }) => Promise<Person>

export const test = base.extend<{ anotherMember: AnotherMember }>({
  anotherMember: async ({ browser, baseURL, javaScriptEnabled, viewport }, use) => {
    const contexts: BrowserContext[] = []
    await use(async (options = {}) => {
      const context = await browser.newContext({
        baseURL,
        viewport,
        javaScriptEnabled: options.javaScriptEnabled ?? javaScriptEnabled,
        extraHTTPHeaders: { 'X-Forwarded-For': uniqueIp() },
      })
      contexts.push(context)
      const page = await context.newPage()
      const member = await join(page)
      return { page, member, context }
    })
    for (const context of contexts) await context.close()
  },
})

export { expect }

/** Gives a member a role straight in the e2e database; the app reads the role on every request. */
export async function setRole(handle: string, role: 'member' | 'moderator' | 'admin' = 'moderator') {
  const { numUpdatedRows } = await withE2eDatabase(({ kysely }) =>
    kysely.updateTable('users').set({ role }).where('handle', '=', handle).executeTakeFirstOrThrow(),
  )
  if (numUpdatedRows !== 1n) throw new Error(`No member has the handle ${handle}`)
}

/**
 * Makes a member's account two days old with a confirmed address: only such accounts' flags count
 * toward hiding a post.
 */
export async function makeEstablished(handle: string) {
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString()
  const { numUpdatedRows } = await withE2eDatabase(({ kysely }) =>
    kysely
      .updateTable('users')
      .set((eb) => ({ created_at: twoDaysAgo, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(twoDaysAgo)) }))
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow(),
  )
  if (numUpdatedRows !== 1n) throw new Error(`No member has the handle ${handle}`)
}

let titleCounter = 0

/** A title no other test (or earlier run) has used: 8 to 150 characters. */
export function uniqueTitle(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${(titleCounter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`
}

export interface NewThreadFields {
  /** The category's name as the select shows it, e.g. "Requirements & scope". */
  category: string
  title: string
  body: string
  /** Failure-mode names as the checkboxes show them. */
  tags?: string[]
}

export async function fillNewThread(page: Page, thread: NewThreadFields) {
  await page.getByLabel('Category').selectOption({ label: thread.category })
  await page.getByLabel('Title').fill(thread.title)
  await page.getByLabel('Your post').fill(thread.body)
  for (const tag of thread.tags ?? []) await page.getByRole('checkbox', { name: tag, exact: true }).check()
}

/** Starts a thread through /discussions/new and returns the thread's path. */
export async function startThread(page: Page, thread: NewThreadFields): Promise<string> {
  await page.goto('/discussions/new')
  await fillNewThread(page, thread)
  await page.getByRole('button', { name: 'Post thread' }).click()
  await expect(page).toHaveURL(/\/discussions\/\d+\/[a-z0-9-]+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(thread.title)
  return new URL(page.url()).pathname
}

/** The post numbered `number` in the thread (not its copy in the accepted-answer section). */
export function post(page: Page, number: number): Locator {
  return page.locator(`article#post-${number}`)
}

/** Replies on the open thread page and returns the new post's number. */
export async function reply(page: Page, text: string): Promise<number> {
  await page.getByLabel('Your reply').fill(text)
  await page.getByRole('button', { name: 'Post reply' }).click()
  const article = page.locator('article[id^="post-"]', { hasText: text })
  await expect(article).toBeVisible()
  const id = await article.getAttribute('id')
  return Number(id?.replace('post-', ''))
}

/** How far the page scrolls sideways; 0 or less means it reflows. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

/** The row of a thread in a thread list. */
export function threadRow(page: Page, title: string): Locator {
  return page.locator('li.thread-row').filter({ has: page.getByRole('link', { name: title, exact: true }) })
}

// ---------------------------------------------------------------------------------------------
// What the demo content says

const contentDir = joinPath(process.cwd(), 'content')

function frontMatter(dir: string): { slug: string; data: Record<string, unknown> }[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .map((file) => ({ slug: file.replace(/\.md$/, ''), data: matter(readFileSync(joinPath(dir, file), 'utf8')).data }))
}

function failureModes(): { slug: string; name: string; order: number }[] {
  return frontMatter(joinPath(contentDir, 'taxonomy/failure-modes')).map(({ slug, data }) => ({
    slug,
    name: String(data.name),
    order: Number(data.order),
  }))
}

/** Failure-mode names in the order the site lists a thread's tags (the taxonomy's order). */
export function inTagOrder(names: string[]): string[] {
  const order = new Map(failureModes().map((mode) => [mode.name, mode.order]))
  return [...names].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
}

export interface DemoThread {
  title: string
  categoryName: string
  authorName: string
  tagNames: string[]
  replyCount: number
  helpfulCount: number
}

/** The seeded demo threads, with names resolved the way the list shows them. */
export function demoThreads(): DemoThread[] {
  const categories = new Map(frontMatter(joinPath(contentDir, 'categories')).map(({ slug, data }) => [slug, String(data.name)]))
  const members = new Map(frontMatter(joinPath(contentDir, 'demo/members')).map(({ slug, data }) => [slug, String(data.display_name)]))
  const tags = new Map(failureModes().map((mode) => [mode.slug, mode.name]))
  return frontMatter(joinPath(contentDir, 'demo/threads')).map(({ data }) => {
    const thread = data as {
      title: string
      category: string
      author: string
      tags: string[]
      replies: unknown[]
      helpful: { by: string[] }[]
    }
    return {
      title: thread.title,
      categoryName: categories.get(thread.category) ?? thread.category,
      authorName: members.get(thread.author) ?? thread.author,
      tagNames: inTagOrder(thread.tags.map((tag) => tags.get(tag) ?? tag)),
      replyCount: thread.replies.length,
      helpfulCount: thread.helpful.reduce((sum, mark) => sum + mark.by.length, 0),
    }
  })
}
