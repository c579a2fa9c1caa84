// Reading discussions: thread lists (sorts, filters, keyset pages, read state), pages of a
// thread, and the fixed number of queries each costs whatever the size.
import { beforeAll, describe, expect, it } from 'vitest'
import { countQueries, db } from '../../db/client'
import type { Role } from '../../db/schema'
import { seedContent } from '../../db/seed'
import { upsertCategory } from '../../app/models/category.server'
import { moderateThread } from '../../app/models/moderation.server'
import { deletePost, getThreadPage, replyToThread, toggleAcceptedAnswer, toggleHelpful } from '../../app/models/post.server'
import {
  type Actor,
  createThread,
  listThreads,
  markThreadRead,
  THREADS_PER_PAGE,
  type ThreadListQuery,
} from '../../app/models/thread.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { must } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

// One clock for the file, a minute per write: clear of the posting limits, and every thread
// gets a distinct, increasing time.
let clock = Date.UTC(2032, 0, 1)
const tick = () => new Date((clock += 60_000))

let count = 0
async function newMember(role: Role = 'member'): Promise<Actor> {
  const n = ++count
  const { userId } = await createOrPromoteAccount({ email: `list-${n}@list.example.gov`, role, handle: `list-${n}` })
  return { id: userId, role }
}

/** A category of its own, so each test lists only the threads it made. */
async function newCategory(): Promise<{ id: number; slug: string }> {
  const slug = `test-category-${++count}`
  await upsertCategory({ slug, name: `Test category ${count}`, description: 'For tests.', position: 100 + count }, slug)
  return db.selectFrom('categories').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirstOrThrow()
}


async function startThread(author: Actor, categorySlug: string, tagSlugs: string[] = []): Promise<number> {
  const n = ++count
  const { id } = must(
    await createThread(author, { categorySlug, title: `Thread number ${n}`, body: `Opening post ${n}`, tagSlugs }, { now: tick() }),
  )
  return id
}

async function reply(author: Actor, threadId: number): Promise<number> {
  return must(await replyToThread(author, threadId, `Reply ${++count}`, { now: tick() })).number
}

async function threadsIn(category: { slug: string }, n: number, author?: Actor): Promise<number[]> {
  author ??= await newMember()
  const ids: number[] = []
  for (let i = 0; i < n; i++) ids.push(await startThread(author, category.slug))
  return ids
}

/** A thread with `posts` posts in all; replies come from a few members in turn. */
async function threadWithPosts(category: { slug: string }, posts: number): Promise<number> {
  const id = await startThread(await newMember(), category.slug)
  const repliers = await Promise.all([newMember(), newMember(), newMember()])
  for (let i = 0; i < posts - 1; i++) await reply(repliers[i % 3], id)
  return id
}

const ids = (list: { threads: { id: number }[] }) => list.threads.map((t) => t.id)

describe('listThreads', () => {
  it('sorts by latest activity, by creation, and by helpful marks', async () => {
    const category = await newCategory()
    const [a, b, c] = await threadsIn(category, 3)
    const member = await newMember()
    await reply(member, a) // a is now the most recently active
    const postOf = async (threadId: number) =>
      (await db.selectFrom('posts').select('id').where('thread_id', '=', threadId).where('number', '=', 1).executeTakeFirstOrThrow()).id
    must(await toggleHelpful(member, await postOf(b), { now: tick() }))
    must(await toggleHelpful(await newMember(), await postOf(b), { now: tick() }))
    must(await toggleHelpful(await newMember(), await postOf(c), { now: tick() }))

    expect(ids(await listThreads({ categoryId: category.id }))).toEqual([a, c, b]) // latest is the default
    expect(ids(await listThreads({ categoryId: category.id, sort: 'latest' }))).toEqual([a, c, b])
    expect(ids(await listThreads({ categoryId: category.id, sort: 'newest' }))).toEqual([c, b, a])
    expect(ids(await listThreads({ categoryId: category.id, sort: 'helpful' }))).toEqual([b, c, a])

    const [first] = (await listThreads({ categoryId: category.id, sort: 'helpful' })).threads
    expect(first).toMatchObject({ id: b, helpfulCount: 2, replyCount: 0, category: { slug: category.slug } })
  })

  it('filters by category and by failure-mode tag', async () => {
    const [one, two] = [await newCategory(), await newCategory()]
    const author = await newMember()
    const tagged = await startThread(author, one.slug, ['sponsorship-fades', 'unclear-ownership'])
    const plain = await startThread(author, one.slug)
    const elsewhere = await startThread(author, two.slug, ['sponsorship-fades'])

    expect(ids(await listThreads({ categoryId: one.id }))).toEqual([plain, tagged])
    expect(ids(await listThreads({ categoryId: two.id }))).toEqual([elsewhere])
    expect(ids(await listThreads({ categoryId: one.id, tagSlug: 'sponsorship-fades' }))).toEqual([tagged])
    expect(ids(await listThreads({ categoryId: one.id, tagSlug: 'big-bang-scope' }))).toEqual([])
    expect(await listThreads({ tagSlug: 'no-such-tag' })).toEqual({ threads: [], nextCursor: null })

    const acrossCategories = ids(await listThreads({ tagSlug: 'sponsorship-fades' }))
    expect(acrossCategories).toContain(tagged)
    expect(acrossCategories).toContain(elsewhere)
    expect(acrossCategories).not.toContain(plain)

    const [item] = (await listThreads({ categoryId: one.id, tagSlug: 'unclear-ownership' })).threads
    expect(item.tags.map((t) => t.slug).sort()).toEqual(['sponsorship-fades', 'unclear-ownership'])
  })

  it('pages 30 at a time by keyset; a thread bumped on page 1 is neither repeated nor makes another skip', async () => {
    const category = await newCategory()
    const all = await threadsIn(category, THREADS_PER_PAGE + 5)
    const newestFirst = [...all].reverse()

    const page1 = await listThreads({ categoryId: category.id })
    expect(ids(page1)).toEqual(newestFirst.slice(0, THREADS_PER_PAGE))
    expect(page1.nextCursor).toEqual(expect.any(String))

    // Between fetching page 1 and page 2, someone replies to a thread in the middle of page 1.
    const bumped = ids(page1)[10]
    await reply(await newMember(), bumped)

    const page2 = await listThreads({ categoryId: category.id, after: page1.nextCursor })
    expect(ids(page2)).toEqual(newestFirst.slice(THREADS_PER_PAGE))
    expect(page2.nextCursor).toBeNull()
    const seen = [...ids(page1), ...ids(page2)]
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort((x, y) => x - y)).toEqual([...all].sort((x, y) => x - y))

    // A fresh first page shows the bumped thread on top.
    expect(ids(await listThreads({ categoryId: category.id }))[0]).toBe(bumped)
  })

  it('pages by keyset for the newest and helpful sorts too', async () => {
    const category = await newCategory()
    const all = await threadsIn(category, THREADS_PER_PAGE + 2)
    for (const sort of ['newest', 'helpful'] as const) {
      const page1 = await listThreads({ categoryId: category.id, sort })
      const page2 = await listThreads({ categoryId: category.id, sort, after: page1.nextCursor })
      expect(ids(page1)).toHaveLength(THREADS_PER_PAGE)
      const seen = [...ids(page1), ...ids(page2)]
      expect(seen, sort).toEqual([...all].reverse())
    }
  })

  it('puts pinned threads first in a category listing, and only on the first page', async () => {
    const category = await newCategory()
    const all = await threadsIn(category, THREADS_PER_PAGE + 3)
    const oldest = all[0]
    must(await moderateThread(await newMember('moderator'), oldest, 'pin', null))

    const page1 = await listThreads({ categoryId: category.id, pinnedFirst: true })
    expect(ids(page1)[0]).toBe(oldest)
    expect(page1.threads[0].isPinned).toBe(true)
    expect(ids(page1).slice(1)).toEqual([...all].reverse().slice(0, THREADS_PER_PAGE - 1))

    const page2 = await listThreads({ categoryId: category.id, pinnedFirst: true, after: page1.nextCursor })
    expect(ids(page2)).not.toContain(oldest)
    const seen = [...ids(page1), ...ids(page2)]
    expect(new Set(seen).size).toBe(all.length)
    expect(seen).toHaveLength(all.length)

    // Without pinnedFirst (the all-discussions list) the pinned thread sorts by its activity.
    expect(ids(await listThreads({ categoryId: category.id }))[0]).not.toBe(oldest)
  })

  it('reaches every thread of a category by following nextCursor, even when more than 30 are pinned', async () => {
    // Known bug: with a full first page of pinned threads, listThreads returns nextCursor null
    // (app/models/thread.server.ts, the `nextCursor` line of listThreads), so the 31st pinned
    // thread and every unpinned one can never be reached.
    const category = await newCategory()
    const all = await threadsIn(category, THREADS_PER_PAGE + 4)
    const moderator = await newMember('moderator')
    for (const id of all.slice(0, THREADS_PER_PAGE + 1)) must(await moderateThread(moderator, id, 'pin', null))

    const seen: number[] = []
    let after: string | null = null
    for (let pages = 0; pages < 5; pages++) {
      const page = await listThreads({ categoryId: category.id, pinnedFirst: true, after })
      seen.push(...ids(page))
      after = page.nextCursor
      if (!after) break
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort((x, y) => x - y)).toEqual(all)
  })

  it('never lists a deleted thread', async () => {
    const category = await newCategory()
    const author = await newMember()
    const kept = await startThread(author, category.slug)
    const gone = await startThread(author, category.slug)
    const opening = await db.selectFrom('posts').select('id').where('thread_id', '=', gone).executeTakeFirstOrThrow()
    must(await deletePost(author, opening.id, tick()))

    for (const query of [
      { categoryId: category.id },
      { categoryId: category.id, sort: 'newest' },
      { categoryId: category.id, sort: 'helpful' },
      { categoryId: category.id, pinnedFirst: true },
      { sort: 'newest' },
    ] satisfies ThreadListQuery[]) {
      expect(ids(await listThreads(query))).not.toContain(gone)
    }
    expect(ids(await listThreads({ categoryId: category.id }))).toEqual([kept])
  })

  describe('read state', () => {
    it('is null for an anonymous reader', async () => {
      const category = await newCategory()
      await threadsIn(category, 1)
      expect((await listThreads({ categoryId: category.id })).threads[0].readState).toBeNull()
    })

    it('is "new" for a thread never opened, then counts posts after the marker, and drops to 0 on the last page', async () => {
      const category = await newCategory()
      const threadId = await threadWithPosts(category, 2)
      const reader = await newMember()
      const state = async () => (await listThreads({ categoryId: category.id, viewerId: reader.id })).threads[0].readState

      expect(await state()).toEqual({ isNew: true, unread: 0 })

      // The reader opens the thread (as the thread page's loader does).
      let page = (await getThreadPage(threadId, 1, reader))!
      await markThreadRead(reader.id, threadId, page.posts.at(-1)!.number)
      expect(await state()).toEqual({ isNew: false, unread: 0 })

      const others = await Promise.all([newMember(), newMember()])
      await reply(others[0], threadId)
      await reply(others[1], threadId)
      await reply(others[0], threadId)
      expect(await state()).toEqual({ isNew: false, unread: 3 })

      // Reading the last page catches up.
      page = (await getThreadPage(threadId, 99, reader))!
      await markThreadRead(reader.id, threadId, page.posts.at(-1)!.number)
      expect(await state()).toEqual({ isNew: false, unread: 0 })

      // A marker never moves back.
      await markThreadRead(reader.id, threadId, 1)
      expect(await state()).toEqual({ isNew: false, unread: 0 })
    })

    it('counts unread posts across pages and ignores deleted ones', async () => {
      const category = await newCategory()
      const threadId = await threadWithPosts(category, 3)
      const reader = await newMember()
      await markThreadRead(reader.id, threadId, 1)
      const state = async () => (await listThreads({ categoryId: category.id, viewerId: reader.id })).threads[0].readState
      expect(await state()).toEqual({ isNew: false, unread: 2 })

      const post3 = await db.selectFrom('posts').select(['id', 'author_id']).where('thread_id', '=', threadId).where('number', '=', 3).executeTakeFirstOrThrow()
      const author = await db.selectFrom('users').select(['id', 'role']).where('id', '=', post3.author_id).executeTakeFirstOrThrow()
      must(await deletePost(author, post3.id, tick()))
      expect(await state()).toEqual({ isNew: false, unread: 1 })
    })

    it("the author's own new thread and own replies are read", async () => {
      const category = await newCategory()
      const author = await newMember()
      const threadId = await startThread(author, category.slug)
      const state = async (viewer: Actor) =>
        (await listThreads({ categoryId: category.id, viewerId: viewer.id })).threads[0].readState
      expect(await state(author)).toEqual({ isNew: false, unread: 0 })
      const replier = await newMember()
      await reply(replier, threadId)
      expect(await state(replier)).toEqual({ isNew: false, unread: 0 })
      expect(await state(author)).toEqual({ isNew: false, unread: 1 })
    })
  })
})

describe('getThreadPage', () => {
  let category: { id: number; slug: string }
  let big: number
  let small: number

  beforeAll(async () => {
    category = await newCategory()
    small = await threadWithPosts(category, 5)
    big = await threadWithPosts(category, 120)
  }, 60_000)

  it('shows 50 posts a page: a thread of 120 posts has 3 pages, the last with posts 101..120', async () => {
    const page1 = (await getThreadPage(big, 1, null))!
    expect(page1.pageCount).toBe(3)
    expect(page1.posts.map((p) => p.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    const page2 = (await getThreadPage(big, 2, null))!
    expect(page2.posts.map((p) => p.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 51))
    const page3 = (await getThreadPage(big, 3, null))!
    expect(page3).toMatchObject({ page: 3, pageCount: 3 })
    expect(page3.posts).toHaveLength(20)
    expect(page3.posts.map((p) => p.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 101))
    expect(page3.thread).toMatchObject({ replyCount: 119, lastPostNumber: 120 })
  })

  it('clamps a page number out of range to the nearest page', async () => {
    expect((await getThreadPage(big, 99, null))!.page).toBe(3)
    expect((await getThreadPage(big, 0, null))!.page).toBe(1)
    expect((await getThreadPage(big, Number.NaN, null))!.page).toBe(1)
    expect((await getThreadPage(small, 3, null))!).toMatchObject({ page: 1, pageCount: 1 })
  })

  it('returns null for a thread that does not exist', async () => {
    expect(await getThreadPage(987_654, 1, null)).toBeNull()
  })

  it('shows the accepted answer on every page, even when it lives on another page', async () => {
    const threadId = await threadWithPosts(category, 53)
    const thread = await db.selectFrom('threads').select('author_id').where('id', '=', threadId).executeTakeFirstOrThrow()
    const post52 = await db.selectFrom('posts').select('id').where('thread_id', '=', threadId).where('number', '=', 52).executeTakeFirstOrThrow()
    must(await toggleAcceptedAnswer({ id: thread.author_id, role: 'member' }, post52.id))
    const page1 = (await getThreadPage(threadId, 1, null))!
    expect(page1.accepted?.number).toBe(52)
    expect(page1.posts.map((p) => p.number)).not.toContain(52)
  })

  describe('runs a fixed number of queries whatever the thread length', () => {
    it.each<[string, Role | null]>([
      ['an anonymous reader', null],
      ['a member', 'member'],
      ['a moderator', 'moderator'],
    ])('for %s', async (_, role) => {
      const viewer = role ? await newMember(role) : null
      const counts = {
        small: (await countQueries(() => getThreadPage(small, 1, viewer))).queries,
        bigPage1: (await countQueries(() => getThreadPage(big, 1, viewer))).queries,
        bigPage3: (await countQueries(() => getThreadPage(big, 3, viewer))).queries,
      }
      expect(counts.small).toBeLessThanOrEqual(8)
      expect(counts).toEqual({ small: counts.small, bigPage1: counts.small, bigPage3: counts.small })
      const { result } = await countQueries(() => getThreadPage(big, 3, viewer))
      expect(result!.posts).toHaveLength(20)
    })
  })
})

describe('listThreads runs a fixed number of queries', () => {
  it('the same for 5 threads as for 60, anonymous or signed in, by any sort, filtered by tag or not', async () => {
    const few = await newCategory()
    const many = await newCategory()
    const author = await newMember()
    for (let i = 0; i < 5; i++) await startThread(author, few.slug, ['big-bang-scope'])
    for (let i = 0; i < 60; i++) await startThread(author, many.slug, ['big-bang-scope'])
    const reader = await newMember()

    for (const query of [
      {},
      { viewerId: reader.id },
      { sort: 'newest' },
      { sort: 'helpful', viewerId: reader.id },
      { tagSlug: 'big-bang-scope' },
      { pinnedFirst: true, viewerId: reader.id },
    ] satisfies ThreadListQuery[]) {
      const label = JSON.stringify(query)
      const small = await countQueries(() => listThreads({ ...query, categoryId: few.id }))
      const large = await countQueries(() => listThreads({ ...query, categoryId: many.id }))
      expect(small.result.threads, label).toHaveLength(5)
      expect(large.result.threads, label).toHaveLength(THREADS_PER_PAGE)
      expect(large.queries, label).toBeLessThanOrEqual(4)
      expect(small.queries, label).toBe(large.queries)
      const page2 = await countQueries(() => listThreads({ ...query, categoryId: many.id, after: large.result.nextCursor }))
      expect(page2.result.threads, label).toHaveLength(THREADS_PER_PAGE)
      expect(page2.queries, label).toBe(large.queries)
    }
  }, 60_000)
})
