// Where a thread, a page of it, or one post lives. Pure, so routes and components share it.
export const POSTS_PER_PAGE = 50

export function pageOfPost(number: number): number {
  return Math.max(1, Math.ceil(number / POSTS_PER_PAGE))
}

type ThreadRef = { id: number; slug: string }

export function threadPath(thread: ThreadRef, page = 1): string {
  return `/discussions/${thread.id}/${thread.slug}${page > 1 ? `?page=${page}` : ''}`
}

/** The post's page with its anchor: `/discussions/7/slug?page=2#post-57`. */
export function postPath(thread: ThreadRef, number: number): string {
  return `${threadPath(thread, pageOfPost(number))}#post-${number}`
}
