import { type AtomEntry, permanentEntryId } from './atom'
import { threadPath } from './discussion-paths'
import type { FeedThread } from '../models/thread.server'

/** A new thread as a feed entry: the opening post as content, unless it is hidden. */
export function threadFeedEntry(site: string, thread: FeedThread): AtomEntry {
  const url = `${site}${threadPath(thread)}`
  return {
    id: permanentEntryId(site, 'thread', thread.id),
    url,
    title: thread.title,
    author: thread.authorName,
    published: thread.createdAt,
    updated: thread.updatedAt,
    categories: [thread.categoryName],
    contentHtml: thread.bodyHtml ?? undefined,
  }
}
