/**
 * Page-cache tags: names for what a page shows and what a write changes. A cached page is
 * retired only by a commit that noted one of its tags (db/client.ts `noteChanges`), by a commit
 * that noted nothing (it may have changed anything), or when its time runs out.
 *
 * The rule that keeps this safe: a route declares tags (pageShows) only when every piece of data
 * its page shows is changed by writes that note one of them, or by writes that note nothing. A
 * page that declares nothing is retired by every commit, as before tags existed.
 */
export const pageTags = {
  /** One thread: its posts, their authors' names as shown, its title, its state. */
  thread: (threadId: number) => `thread:${threadId}`,
  /** Every list of threads (index, categories, feeds): new threads, replies, hidden posts. */
  threads: 'threads',
  /** One member's own view: their unread counts, read markers, notifications. */
  member: (memberId: number) => `member:${memberId}`,
  cases: 'cases',
  events: 'events',
  /** The outbox: shown only on admin pages, which declare nothing. */
  mail: 'mail',
} as const

/** What the routes of one request said its page shows; the page cache reads it when storing. */
export interface PageDependencies {
  tags: Set<string>
  /** True once the page's own route declared what it shows; until then any commit retires it. */
  declared: boolean
}

export function newPageDependencies(): PageDependencies {
  return { tags: new Set(), declared: false }
}

/** Called by a route's loader: its page shows only what these tags (and the viewer's tag) cover. */
export function pageShows(context: { pageDependencies?: PageDependencies }, tags: readonly string[]): void {
  const dependencies = context.pageDependencies
  if (!dependencies) return
  dependencies.declared = true
  for (const tag of tags) dependencies.tags.add(tag)
}

/**
 * Called by the root loader for every page: a signed-in member's pages show their own counts.
 * This alone declares nothing (the rest of the page is still unknown).
 */
export function pageShowsViewer(context: { pageDependencies?: PageDependencies }, memberId: number | null): void {
  if (memberId !== null) context.pageDependencies?.tags.add(pageTags.member(memberId))
}
