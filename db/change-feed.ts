/**
 * Following the change log (db/client.ts): every commit, in any process on the same file, logs
 * what it changed as page tags (db/page-tags.ts) in the same transaction. Whatever keeps a copy
 * of what the database shows (the page cache, the case library's index) follows the log to know
 * when its copy is out of date.
 */
export interface ChangeFeed {
  /** Moves whenever the database may have changed; cheap enough for every request. */
  version: () => Promise<string>
  /** The newest row's id (0 for none). */
  latestId: () => Promise<number>
  /**
   * Rows after `id`, oldest first (tags separated by spaces, "*" for anything), and the version
   * they bring the reader to, read together.
   */
  after: (id: number) => Promise<{ version: string; rows: { id: number; tags: string }[] }>
}

const EVERYTHING = '*'

/**
 * A reader of the log from its first look on. Each call resolves to the commits made since the
 * previous call, oldest first: the tags each changed, or null where what changed is unknown
 * (a commit that noted "*", a commit with no row because another program made it, seen alone:
 * beside a logged commit it goes unnoticed, which is why such a program logs "*" itself, or rows
 * pruned before they were read). The first call returns none: there is no earlier look to compare
 * with. A call that cannot read the database throws, and the next call is a first look again.
 */
export function followChanges(feed: ChangeFeed): () => Promise<(string[] | null)[]> {
  // The version last seen and the last row read.
  let seenVersion: string | null = null
  let seenId = 0
  // Looks run one after another: one that overlapped another would read rows the other is
  // still reading, and each would take the other's progress for a gap.
  let previous: Promise<unknown> = Promise.resolve()
  return function changesSinceLastLook() {
    const look = previous.then(lookOnce)
    previous = look.catch(() => {})
    return look
  }
  async function lookOnce(): Promise<(string[] | null)[]> {
    try {
      if ((await feed.version()) === seenVersion) return []
      if (seenVersion === null) {
        seenId = await feed.latestId()
        seenVersion = (await feed.after(seenId)).version
        return []
      }
      const { version, rows } = await feed.after(seenId)
      const changes: (string[] | null)[] = []
      if (!rows.length || rows[0].id !== seenId + 1) changes.push(null)
      for (const row of rows) {
        const tags = row.tags.split(' ').filter(Boolean)
        changes.push(tags.includes(EVERYTHING) ? null : tags)
        seenId = row.id
      }
      seenVersion = version
      return changes
    } catch (error) {
      seenVersion = null
      throw error
    }
  }
}
