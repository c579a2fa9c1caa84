// The Discussions models: what each write stores, who may do it, and what readers are shown.
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import type { Role } from '../../db/schema'
import { seedContent } from '../../db/seed'
import {
  flagPost,
  moderateThread,
  moveThread,
  resolveFlags,
  setPostHidden,
} from '../../app/models/moderation.server'
import {
  deletePost,
  editPost,
  getPostHistory,
  getThreadPage,
  replyToThread,
  toggleAcceptedAnswer,
  toggleHelpful,
} from '../../app/models/post.server'
import { type Actor, createThread, listThreads, type NewThread } from '../../app/models/thread.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { must } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

// Model writes take `now`: one clock for the whole file, always moving forward a minute, keeps
// every write clear of the posting limits (30 s per thread, 10 s per reply) unless a test
// steps time itself.
let clock = Date.UTC(2031, 0, 1)
const tick = (ms = 60_000) => new Date((clock += ms))
/** `ms` after `from`; the file's clock moves past it so later writes stay in order. */
function after(from: Date, ms: number): Date {
  clock = Math.max(clock, from.getTime() + ms)
  return new Date(from.getTime() + ms)
}

type Member = Actor & { handle: string }
let memberCount = 0

async function newMember(role: Role = 'member'): Promise<Member> {
  const n = ++memberCount
  const handle = `disc-${role}-${n}`
  const { userId } = await createOrPromoteAccount({ email: `${handle}@model.example.gov`, role, handle })
  return { id: userId, role, handle }
}

let bodyCount = 0
const uniqueBody = (text = 'A post') => `${text} (${++bodyCount})`

function threadInput(overrides: Partial<NewThread> = {}): NewThread {
  return {
    categorySlug: 'governance-and-sponsorship',
    title: 'When the sponsor leaves: what now?',
    body: uniqueBody('How did you keep the program going'),
    tagSlugs: [],
    ...overrides,
  }
}


async function startThread(author: Member, overrides: Partial<NewThread> = {}) {
  return must(await createThread(author, threadInput(overrides), { now: tick() }))
}

/** Replies as `author` and returns the new post's row. */
async function reply(author: Member, threadId: number, body = uniqueBody('A reply')) {
  const { number } = must(await replyToThread(author, threadId, body, { now: tick() }))
  return postByNumber(threadId, number)
}

const threadRow = (id: number) => db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const postRow = (id: number) => db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const postByNumber = (threadId: number, number: number) =>
  db.selectFrom('posts').selectAll().where('thread_id', '=', threadId).where('number', '=', number).executeTakeFirstOrThrow()
const revisionsOf = (postId: number) =>
  db.selectFrom('post_revisions').selectAll().where('post_id', '=', postId).orderBy('id').execute()
const flagsOf = (postId: number) => db.selectFrom('flags').selectAll().where('post_id', '=', postId).orderBy('id').execute()
const logOf = (threadId: number) =>
  db.selectFrom('moderation_log').selectAll().where('thread_id', '=', threadId).orderBy('id').execute()
const countHelpfulRows = async (postIds: number[]) =>
  Number(
    (await db.selectFrom('post_helpful').select(db.fn.countAll().as('n')).where('post_id', 'in', postIds).executeTakeFirstOrThrow()).n,
  )

/** A thread by `author` with one reply by `replier`: the usual fixture. */
async function threadWithReply(author?: Member, replier?: Member) {
  author ??= await newMember()
  replier ??= await newMember()
  const { id } = await startThread(author)
  const opening = await postByNumber(id, 1)
  const answer = await reply(replier, id)
  return { threadId: id, author, replier, opening, answer }
}

const SIX_TAGS = [
  'sponsorship-fades',
  'unclear-ownership',
  'big-bang-scope',
  'rushed-requirements',
  'legacy-integration',
  'capability-gaps',
]

describe('createThread', () => {
  it('stores the thread, its opening post numbered 1, a first revision, tags and a slug from the title', async () => {
    const author = await newMember()
    const body = uniqueBody('**Our sponsor** moved on.')
    const created = await createThread(
      author,
      threadInput({ title: 'When the sponsor leaves: what now?', body, tagSlugs: ['sponsorship-fades', 'unclear-ownership'] }),
      { now: tick() },
    )
    expect(created.ok).toBe(true)
    const { id, slug } = must(created)
    expect(slug).toBe('when-the-sponsor-leaves-what-now')

    const thread = await threadRow(id)
    expect(thread).toMatchObject({ author_id: author.id, slug, reply_count: 0, last_post_number: 1, deleted_at: null })
    const posts = await db.selectFrom('posts').selectAll().where('thread_id', '=', id).execute()
    expect(posts).toHaveLength(1)
    expect(posts[0]).toMatchObject({ number: 1, author_id: author.id, body_md: body })
    expect(posts[0].body_html).toContain('<strong>Our sponsor</strong>')

    const revisions = await revisionsOf(posts[0].id)
    expect(revisions).toHaveLength(1)
    expect(revisions[0]).toMatchObject({ editor_id: author.id, body_md: body, body_html: posts[0].body_html })

    const tags = await db
      .selectFrom('thread_tags as tt')
      .innerJoin('taxonomy_terms as t', 't.id', 'tt.term_id')
      .select('t.slug')
      .where('tt.thread_id', '=', id)
      .orderBy('t.slug')
      .execute()
    expect(tags.map((t) => t.slug)).toEqual(['sponsorship-fades', 'unclear-ownership'])
  })

  it('stores the body rendered and sanitized: a <script> never reaches the stored HTML', async () => {
    const { id } = await startThread(await newMember(), {
      body: uniqueBody('Before <script>alert("x")</script> after <img src=x onerror=alert(1)>'),
    })
    const opening = await postByNumber(id, 1)
    expect(opening.body_md).toContain('<script>')
    expect(opening.body_html).not.toMatch(/<script/i)
    expect(opening.body_html).not.toContain('alert("x")')
    expect(opening.body_html).not.toMatch(/onerror/i)
    expect(opening.body_html).toContain('Before')
    const [revision] = await revisionsOf(opening.id)
    expect(revision.body_html).not.toMatch(/<script/i)
  })

  it.each([
    ['an unknown category', { categorySlug: 'no-such-category' }, 'category'],
    ['an unknown tag', { tagSlugs: ['sponsorship-fades', 'no-such-tag'] }, 'tags'],
    ['a tag from another facet', { tagSlugs: ['federal'] }, 'tags'],
    ['six tags', { tagSlugs: SIX_TAGS }, 'tags'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_, overrides, field) => {
    const author = await newMember()
    const before = await db.selectFrom('threads').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()
    const outcome = await createThread(author, threadInput(overrides), { now: tick() })
    expect(outcome).toMatchObject({ ok: false, status: 400, field })
    expect(await db.selectFrom('threads').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(before)
  })

  it('accepts five tags', async () => {
    const { id } = await startThread(await newMember(), { tagSlugs: SIX_TAGS.slice(0, 5) })
    const tags = await db.selectFrom('thread_tags').select('term_id').where('thread_id', '=', id).execute()
    expect(tags).toHaveLength(5)
  })

  it('allows one thread per member every 30 seconds', async () => {
    const author = await newMember()
    const start = tick()
    must(await createThread(author, threadInput(), { now: start }))

    const tooSoon = await createThread(author, threadInput(), { now: after(start, 29_000) })
    expect(tooSoon).toMatchObject({ ok: false, status: 429 })
    expect(await db.selectFrom('threads').select('id').where('author_id', '=', author.id).execute()).toHaveLength(1)

    // Another member is not held back by the first one's limit.
    must(await createThread(await newMember(), threadInput(), { now: after(start, 1_000) }))

    const later = await createThread(author, threadInput(), { now: after(start, 30_000) })
    expect(later.ok).toBe(true)
  })

  it('refuses the same text from the same member within five minutes (400 on body), and accepts it after', async () => {
    const author = await newMember()
    const body = uniqueBody('Exactly the same words')
    const start = tick()
    must(await createThread(author, threadInput({ body }), { now: start }))

    const duplicate = await createThread(author, threadInput({ body }), { now: after(start, 31_000) })
    expect(duplicate).toMatchObject({ ok: false, status: 400, field: 'body' })

    // A different member may say the same thing.
    must(await createThread(await newMember(), threadInput({ body }), { now: after(start, 32_000) }))

    const afterWindow = await createThread(author, threadInput({ body }), { now: after(start, 5 * 60_000 + 1_000) })
    expect(afterWindow.ok).toBe(true)
  })
})

describe('replyToThread', () => {
  it('numbers replies 2, 3, … and keeps the thread counters', async () => {
    const { threadId } = await threadWithReply()
    const third = await reply(await newMember(), threadId)
    expect(third.number).toBe(3)
    expect(await threadRow(threadId)).toMatchObject({ reply_count: 2, last_post_number: 3, last_posted_at: third.created_at })
    expect(await revisionsOf(third.id)).toHaveLength(1)
  })

  it('gives concurrent replies from ten members the numbers 2..11 without gaps or repeats', async () => {
    const { id } = await startThread(await newMember())
    const members = await Promise.all(Array.from({ length: 10 }, () => newMember()))
    const at = tick()
    const outcomes = await Promise.all(
      members.map((member, i) => replyToThread(member, id, uniqueBody(`Reply from ${member.handle}`), { now: after(at, i) })),
    )
    expect(outcomes.every((o) => o.ok)).toBe(true)
    const numbers = outcomes.map((o) => must(o).number).sort((a, b) => a - b)
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])

    const stored = await db.selectFrom('posts').select('number').where('thread_id', '=', id).orderBy('number').execute()
    expect(stored.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(await threadRow(id)).toMatchObject({ reply_count: 10, last_post_number: 11 })
  })

  it('allows one reply per member every 10 seconds', async () => {
    const { threadId } = await threadWithReply()
    const member = await newMember()
    const start = tick()
    must(await replyToThread(member, threadId, uniqueBody(), { now: start }))
    expect(await replyToThread(member, threadId, uniqueBody(), { now: after(start, 9_000) })).toMatchObject({
      ok: false,
      status: 429,
    })
    expect(await replyToThread(member, threadId, uniqueBody(), { now: after(start, 10_000) })).toMatchObject({ ok: true })
  })

  it('refuses the same reply text within five minutes with 400 on body', async () => {
    const { threadId } = await threadWithReply()
    const member = await newMember()
    const body = uniqueBody('Same reply twice')
    const start = tick()
    must(await replyToThread(member, threadId, body, { now: start }))
    const again = await replyToThread(member, threadId, body, { now: after(start, 11_000) })
    expect(again).toMatchObject({ ok: false, status: 400, field: 'body' })
    expect((await threadRow(threadId)).reply_count).toBe(2)
  })

  it('refuses a reply to a thread that does not exist with 404', async () => {
    expect(await replyToThread(await newMember(), 999_999, uniqueBody(), { now: tick() })).toMatchObject({ ok: false, status: 404 })
  })

  it('refuses members a reply to a locked thread (403), but lets moderators and admins reply', async () => {
    const { threadId } = await threadWithReply()
    must(await moderateThread(await newMember('moderator'), threadId, 'lock', 'Heated'))

    const member = await newMember()
    expect(await replyToThread(member, threadId, uniqueBody(), { now: tick() })).toMatchObject({ ok: false, status: 403 })
    expect(await db.selectFrom('posts').select('id').where('author_id', '=', member.id).execute()).toEqual([])

    expect((await reply(await newMember('moderator'), threadId)).number).toBe(3)
    expect((await reply(await newMember('admin'), threadId)).number).toBe(4)
  })

  describe('mentions', () => {
    it("links a real member's @handle to their profile and records the mention", async () => {
      const { threadId } = await threadWithReply()
      const mentioned = await newMember()
      const post = await reply(await newMember(), threadId, uniqueBody(`Thanks @${mentioned.handle}, that helped.`))
      expect(post.body_html).toContain(`<a class="mention" href="/members/${mentioned.handle}"`)
      const mentions = await db.selectFrom('post_mentions').select('user_id').where('post_id', '=', post.id).execute()
      expect(mentions).toEqual([{ user_id: mentioned.id }])
    })

    it('leaves an unknown @handle as text and records nothing', async () => {
      const { threadId } = await threadWithReply()
      const post = await reply(await newMember(), threadId, uniqueBody('Ask @nobody-by-this-name about it.'))
      expect(post.body_html).toContain('@nobody-by-this-name')
      expect(post.body_html).not.toContain('class="mention"')
      expect(await db.selectFrom('post_mentions').select('user_id').where('post_id', '=', post.id).execute()).toEqual([])
    })

    it('does not treat an @handle inside code as a mention', async () => {
      const { threadId } = await threadWithReply()
      const mentioned = await newMember()
      const post = await reply(
        await newMember(),
        threadId,
        uniqueBody(`Run \`notify @${mentioned.handle}\` and then:\n\n\`\`\`\n@${mentioned.handle}\n\`\`\``),
      )
      expect(post.body_html).toContain('<code>')
      expect(post.body_html).not.toContain('class="mention"')
      expect(await db.selectFrom('post_mentions').select('user_id').where('post_id', '=', post.id).execute()).toEqual([])
    })
  })
})

describe('editPost and getPostHistory', () => {
  it('lets the author edit, keeping every version oldest first and setting edited_at', async () => {
    const { answer, replier } = await threadWithReply()
    expect(answer.edited_at).toBeNull()
    const firstEdit = tick()
    must(await editPost(replier, answer.id, 'Second version with **bold**', firstEdit))
    must(await editPost(replier, answer.id, 'Third version', tick()))

    const row = await postRow(answer.id)
    expect(row.body_md).toBe('Third version')
    expect(row.body_html).toContain('Third version')
    expect(row.edited_at).not.toBeNull()
    expect(Date.parse(row.edited_at!)).toBeGreaterThan(firstEdit.getTime())

    expect((await revisionsOf(answer.id)).map((r) => r.body_md)).toEqual([answer.body_md, 'Second version with **bold**', 'Third version'])

    const history = await getPostHistory(answer.id, null)
    expect(history?.hidden).toBe(false)
    expect(history?.revisions.map((r) => [r.version, r.bodyMd])).toEqual([
      [1, answer.body_md],
      [2, 'Second version with **bold**'],
      [3, 'Third version'],
    ])
    expect(history?.revisions[1].bodyHtml).toContain('<strong>bold</strong>')
  })

  it.each<[string, Role]>([
    ['another member', 'member'],
    ['a moderator', 'moderator'],
    ['an admin', 'admin'],
  ])('refuses %s with 403 and changes nothing', async (_, role) => {
    const { answer } = await threadWithReply()
    const outcome = await editPost(await newMember(role), answer.id, 'Rewritten by someone else', tick())
    expect(outcome).toMatchObject({ ok: false, status: 403 })
    expect(await postRow(answer.id)).toEqual(answer)
    expect(await revisionsOf(answer.id)).toHaveLength(1)
  })

  it('refuses to edit a deleted post with 404', async () => {
    const { answer, replier } = await threadWithReply()
    must(await deletePost(replier, answer.id, tick()))
    expect(await editPost(replier, answer.id, 'Back from the dead', tick())).toMatchObject({ ok: false, status: 404 })
    expect(await getPostHistory(answer.id, replier)).toBeNull()
  })

  it('updates mentions on edit', async () => {
    const { answer, replier } = await threadWithReply()
    const mentioned = await newMember()
    must(await editPost(replier, answer.id, `Now mentioning @${mentioned.handle}`, tick()))
    expect(await db.selectFrom('post_mentions').select('user_id').where('post_id', '=', answer.id).execute()).toEqual([
      { user_id: mentioned.id },
    ])
    must(await editPost(replier, answer.id, 'No mention any more', tick()))
    expect(await db.selectFrom('post_mentions').select('user_id').where('post_id', '=', answer.id).execute()).toEqual([])
  })

  it("shows a hidden post's history to moderators only", async () => {
    const { answer, replier } = await threadWithReply()
    must(await editPost(replier, answer.id, 'Edited before it was hidden', tick()))
    const moderator = await newMember('moderator')
    must(await setPostHidden(moderator, answer.id, true, 'Personal details'))

    for (const reader of [null, await newMember(), replier]) {
      const history = await getPostHistory(answer.id, reader)
      expect(history).toMatchObject({ hidden: true, revisions: [] })
    }
    for (const reader of [moderator, await newMember('admin')]) {
      const history = await getPostHistory(answer.id, reader)
      expect(history?.hidden).toBe(false)
      expect(history?.revisions.map((r) => r.bodyMd)).toEqual([answer.body_md, 'Edited before it was hidden'])
    }
  })
})

describe('deletePost', () => {
  it('turns a reply into a placeholder and keeps the thread counters right', async () => {
    const { threadId, author, replier, answer } = await threadWithReply()
    const other = await reply(await newMember(), threadId)
    must(await toggleHelpful(author, answer.id, { now: tick() }))
    must(await toggleHelpful(await newMember(), answer.id, { now: tick() }))
    must(await toggleHelpful(replier, other.id, { now: tick() }))
    must(await toggleAcceptedAnswer(author, answer.id))
    expect(await threadRow(threadId)).toMatchObject({ reply_count: 2, helpful_count: 3, accepted_post_id: answer.id })

    expect(await deletePost(replier, answer.id, tick())).toEqual({ ok: true, value: { threadDeleted: false } })

    expect(await postRow(answer.id)).toMatchObject({ is_deleted: 1, number: 2 })
    expect(await threadRow(threadId)).toMatchObject({ reply_count: 1, helpful_count: 1, accepted_post_id: null, deleted_at: null })

    const page = await getThreadPage(threadId, 1, await newMember())
    const placeholder = page!.posts.find((p) => p.number === 2)!
    expect(placeholder).toMatchObject({ visibility: 'deleted', bodyHtml: null })
    expect(page!.accepted).toBeNull()
    expect(page!.posts.map((p) => p.number)).toEqual([1, 2, 3])
  })

  it('leaves the accepted answer alone when another reply is deleted', async () => {
    const { threadId, author, answer } = await threadWithReply()
    const replier = await newMember()
    const other = await reply(replier, threadId)
    must(await toggleAcceptedAnswer(author, answer.id))
    must(await deletePost(replier, other.id, tick()))
    expect((await threadRow(threadId)).accepted_post_id).toBe(answer.id)
  })

  it.each<[string, Role]>([
    ['another member', 'member'],
    ['a moderator', 'moderator'],
    ['an admin', 'admin'],
  ])("refuses %s with 403: only the author deletes", async (_, role) => {
    const { threadId, answer } = await threadWithReply()
    const before = await threadRow(threadId)
    expect(await deletePost(await newMember(role), answer.id, tick())).toMatchObject({ ok: false, status: 403 })
    expect(await postRow(answer.id)).toEqual(answer)
    expect(await threadRow(threadId)).toEqual(before)
  })

  it('refuses to delete an opening post that has replies (409)', async () => {
    const { threadId, author, opening } = await threadWithReply()
    expect(await deletePost(author, opening.id, tick())).toMatchObject({ ok: false, status: 409 })
    expect((await postRow(opening.id)).is_deleted).toBe(0)
    expect((await threadRow(threadId)).deleted_at).toBeNull()
  })

  it('deletes the thread with an opening post nobody replied to', async () => {
    const author = await newMember()
    const { id } = await startThread(author)
    const opening = await postByNumber(id, 1)
    expect(await deletePost(author, opening.id, tick())).toEqual({ ok: true, value: { threadDeleted: true } })

    expect((await threadRow(id)).deleted_at).not.toBeNull()
    expect(await getThreadPage(id, 1, null)).toBeNull()
    expect(await getThreadPage(id, 1, author)).toBeNull()
    const category = await db.selectFrom('categories').select('id').where('slug', '=', 'governance-and-sponsorship').executeTakeFirstOrThrow()
    for (const sort of ['latest', 'newest', 'helpful'] as const) {
      const { threads } = await listThreads({ sort, categoryId: category.id })
      expect(threads.map((t) => t.id)).not.toContain(id)
    }
    // Nothing more can happen to it.
    expect(await replyToThread(await newMember(), id, uniqueBody(), { now: tick() })).toMatchObject({ ok: false, status: 404 })
  })

  it('a deleted reply cannot be deleted again (404) and is counted out only once', async () => {
    const { threadId, replier, answer } = await threadWithReply()
    await reply(await newMember(), threadId)
    must(await deletePost(replier, answer.id, tick()))
    expect(await deletePost(replier, answer.id, tick())).toMatchObject({ ok: false, status: 404 })
    expect((await threadRow(threadId)).reply_count).toBe(1)
  })
})

describe('toggleHelpful', () => {
  it('marks once per member and undoes on the second toggle', async () => {
    const { threadId, answer } = await threadWithReply()
    const member = await newMember()
    expect(await toggleHelpful(member, answer.id, { now: tick() })).toEqual({ ok: true, value: { marked: true } })
    expect((await postRow(answer.id)).helpful_count).toBe(1)
    expect((await threadRow(threadId)).helpful_count).toBe(1)

    expect(await toggleHelpful(member, answer.id, { now: tick() })).toEqual({ ok: true, value: { marked: false } })
    expect((await postRow(answer.id)).helpful_count).toBe(0)
    expect((await threadRow(threadId)).helpful_count).toBe(0)
    expect(await countHelpfulRows([answer.id])).toBe(0)
  })

  it('refuses a mark on your own post (403)', async () => {
    const { threadId, author, opening, replier, answer } = await threadWithReply()
    expect(await toggleHelpful(author, opening.id, { now: tick() })).toMatchObject({ ok: false, status: 403 })
    expect(await toggleHelpful(replier, answer.id, { now: tick() })).toMatchObject({ ok: false, status: 403 })
    expect((await threadRow(threadId)).helpful_count).toBe(0)
    expect(await countHelpfulRows([opening.id, answer.id])).toBe(0)
  })

  it('keeps the post and thread counts equal to the helpful rows through many toggles', async () => {
    const { threadId, opening, answer } = await threadWithReply()
    const members = await Promise.all(Array.from({ length: 4 }, () => newMember()))
    const toggles: [Member, number][] = [
      [members[0], answer.id],
      [members[1], answer.id],
      [members[2], answer.id],
      [members[1], answer.id],
      [members[0], opening.id],
      [members[3], opening.id],
      [members[3], answer.id],
      [members[0], opening.id],
    ]
    await Promise.all(toggles.map(([member, postId]) => toggleHelpful(member, postId, { now: tick() })))
    for (const postId of [opening.id, answer.id]) {
      expect((await postRow(postId)).helpful_count).toBe(await countHelpfulRows([postId]))
    }
    expect((await threadRow(threadId)).helpful_count).toBe(await countHelpfulRows([opening.id, answer.id]))
    expect((await postRow(answer.id)).helpful_count).toBe(3)
    expect((await postRow(opening.id)).helpful_count).toBe(1)
  })

  it('shows the reader their own mark', async () => {
    const { threadId, answer } = await threadWithReply()
    const member = await newMember()
    must(await toggleHelpful(member, answer.id, { now: tick() }))
    const mine = (await getThreadPage(threadId, 1, member))!.posts.find((p) => p.id === answer.id)!
    expect(mine.viewer.markedHelpful).toBe(true)
    expect(mine.helpfulCount).toBe(1)
    const theirs = (await getThreadPage(threadId, 1, await newMember()))!.posts.find((p) => p.id === answer.id)!
    expect(theirs.viewer.markedHelpful).toBe(false)
  })
})

describe('toggleAcceptedAnswer', () => {
  it('lets the thread author accept a reply and take it back', async () => {
    const { threadId, author, answer } = await threadWithReply()
    expect(await toggleAcceptedAnswer(author, answer.id)).toEqual({ ok: true, value: { accepted: true } })
    expect((await threadRow(threadId)).accepted_post_id).toBe(answer.id)
    const page = (await getThreadPage(threadId, 1, null))!
    expect(page.accepted).toMatchObject({ id: answer.id, number: 2, isAccepted: true })
    expect(page.posts.find((p) => p.id === answer.id)?.isAccepted).toBe(true)

    expect(await toggleAcceptedAnswer(author, answer.id)).toEqual({ ok: true, value: { accepted: false } })
    expect((await threadRow(threadId)).accepted_post_id).toBeNull()
    expect((await getThreadPage(threadId, 1, null))!.accepted).toBeNull()
  })

  it('moves the mark when the author accepts another reply', async () => {
    const { threadId, author, answer } = await threadWithReply()
    const better = await reply(await newMember(), threadId)
    must(await toggleAcceptedAnswer(author, answer.id))
    must(await toggleAcceptedAnswer(author, better.id))
    expect((await threadRow(threadId)).accepted_post_id).toBe(better.id)
  })

  it.each<[string, Role | 'replier']>([
    ['the reply author', 'replier'],
    ['another member', 'member'],
    ['a moderator', 'moderator'],
    ['an admin', 'admin'],
  ])('refuses %s with 403', async (_, who) => {
    const { threadId, replier, answer } = await threadWithReply()
    const actor = who === 'replier' ? replier : await newMember(who)
    expect(await toggleAcceptedAnswer(actor, answer.id)).toMatchObject({ ok: false, status: 403 })
    expect((await threadRow(threadId)).accepted_post_id).toBeNull()
  })

  it('refuses the opening post', async () => {
    const { threadId, author, opening } = await threadWithReply()
    expect(await toggleAcceptedAnswer(author, opening.id)).toMatchObject({ ok: false, status: 400 })
    expect((await threadRow(threadId)).accepted_post_id).toBeNull()
  })
})

describe('flags and moderation', () => {
  /** Members whose accounts are two days old, so their flags count toward hiding a post. */
  async function flaggers(n: number) {
    const members = await Promise.all(Array.from({ length: n }, () => newMember()))
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString()
    await db.updateTable('users').set({ created_at: twoDaysAgo }).where('id', 'in', members.map((m) => m.id)).execute()
    return members
  }

  it('unhiding a post the flags hid closes those flags, so one more flag does not hide it again', async () => {
    const { answer } = await threadWithReply()
    const [a, b, c, d] = await flaggers(4)
    for (const flagger of [a, b, c]) must(await flagPost(flagger, answer.id, 'spam', null))
    expect(await flagPost(d, answer.id, 'spam', null)).toMatchObject({ ok: false, status: 409 })

    must(await setPostHidden(await newMember('moderator'), answer.id, false, 'Not spam'))
    expect((await flagsOf(answer.id)).map((flag) => flag.status)).toEqual(['disagreed', 'disagreed', 'disagreed'])
    expect(must(await flagPost(d, answer.id, 'spam', null)).hidden).toBe(false)
    expect((await postRow(answer.id)).hidden_at).toBeNull()
  })

  it('refuses a flag on your own post (403) and a second flag from the same member (409)', async () => {
    const { replier, answer } = await threadWithReply()
    expect(await flagPost(replier, answer.id, 'spam', null)).toMatchObject({ ok: false, status: 403 })
    const member = await newMember()
    expect(await flagPost(member, answer.id, 'spam', null)).toEqual({ ok: true, value: { hidden: false } })
    expect(await flagPost(member, answer.id, 'off-topic', 'again')).toMatchObject({ ok: false, status: 409 })
    const flags = await flagsOf(answer.id)
    expect(flags).toHaveLength(1)
    expect(flags[0]).toMatchObject({ user_id: member.id, reason: 'spam', status: 'open' })
    expect((await postRow(answer.id)).open_flag_count).toBe(1)
  })

  it('hides a post on the third distinct flag, from members but not from moderators, and logs it', async () => {
    const { threadId, answer } = await threadWithReply()
    const [a, b, c] = await flaggers(3)
    expect(must(await flagPost(a, answer.id, 'spam', null)).hidden).toBe(false)
    expect(must(await flagPost(b, answer.id, 'inappropriate', 'Rude')).hidden).toBe(false)
    expect((await postRow(answer.id)).hidden_at).toBeNull()
    expect(must(await flagPost(c, answer.id, 'other', 'Personal data')).hidden).toBe(true)

    const row = await postRow(answer.id)
    expect(row.hidden_at).not.toBeNull()
    expect(row.hidden_by_id).toBeNull()
    expect(row.open_flag_count).toBe(3)

    for (const reader of [null, a, await newMember()]) {
      const post = (await getThreadPage(threadId, 1, reader))!.posts.find((p) => p.id === answer.id)!
      expect(post).toMatchObject({ visibility: 'hidden-by-flags', bodyHtml: null })
    }
    for (const reader of [await newMember('moderator'), await newMember('admin')]) {
      const post = (await getThreadPage(threadId, 1, reader))!.posts.find((p) => p.id === answer.id)!
      expect(post.visibility).toBe('hidden-by-flags')
      expect(post.bodyHtml).toBe(answer.body_html)
    }

    const log = await logOf(threadId)
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ action: 'auto-hide', actor_id: null, post_id: answer.id })
  })

  it('a resolved "agree" keeps the post hidden, now by the moderator, and closes the flags', async () => {
    const { threadId, answer } = await threadWithReply()
    for (const member of await flaggers(3)) must(await flagPost(member, answer.id, 'spam', null))
    const moderator = await newMember('moderator')
    must(await resolveFlags(moderator, answer.id, 'agree', 'Advertising'))

    expect(await postRow(answer.id)).toMatchObject({ hidden_by_id: moderator.id, open_flag_count: 0 })
    expect((await postRow(answer.id)).hidden_at).not.toBeNull()
    const flags = await flagsOf(answer.id)
    expect(flags.map((f) => f.status)).toEqual(['agreed', 'agreed', 'agreed'])
    expect(flags.every((f) => f.resolved_by_id === moderator.id && f.resolved_at)).toBe(true)
    const post = (await getThreadPage(threadId, 1, await newMember()))!.posts.find((p) => p.id === answer.id)!
    expect(post).toMatchObject({ visibility: 'hidden-by-moderator', bodyHtml: null })
    // Resolved flags cannot be resolved again.
    expect(await resolveFlags(moderator, answer.id, 'disagree', null)).toMatchObject({ ok: false, status: 409 })
  })

  it('a resolved "disagree" shows the post again and clears the flags', async () => {
    const { threadId, answer } = await threadWithReply()
    for (const member of await flaggers(3)) must(await flagPost(member, answer.id, 'off-topic', null))
    const admin = await newMember('admin')
    must(await resolveFlags(admin, answer.id, 'disagree', 'It is on topic'))

    expect(await postRow(answer.id)).toMatchObject({ hidden_at: null, hidden_by_id: null, open_flag_count: 0 })
    expect((await flagsOf(answer.id)).map((f) => f.status)).toEqual(['disagreed', 'disagreed', 'disagreed'])
    const post = (await getThreadPage(threadId, 1, null))!.posts.find((p) => p.id === answer.id)!
    expect(post).toMatchObject({ visibility: 'visible', bodyHtml: answer.body_html })
  })

  it('refuses members every moderator action with 403 and changes nothing', async () => {
    const { threadId, answer } = await threadWithReply()
    must(await flagPost(await newMember(), answer.id, 'spam', null))
    const thread = await threadRow(threadId)
    const post = await postRow(answer.id)
    const member = await newMember()

    for (const action of ['pin', 'unpin', 'lock', 'unlock'] as const) {
      expect(await moderateThread(member, threadId, action, null), action).toMatchObject({ ok: false, status: 403 })
    }
    expect(await moveThread(member, threadId, 'ai-in-government', null)).toMatchObject({ ok: false, status: 403 })
    expect(await setPostHidden(member, answer.id, true, null)).toMatchObject({ ok: false, status: 403 })
    expect(await resolveFlags(member, answer.id, 'agree', null)).toMatchObject({ ok: false, status: 403 })

    expect(await threadRow(threadId)).toEqual(thread)
    expect(await postRow(answer.id)).toEqual(post)
    expect((await flagsOf(answer.id)).map((f) => f.status)).toEqual(['open'])
    expect(await logOf(threadId)).toEqual([])
  })

  it('records every moderator action in the log with actor, action, reason and time', async () => {
    const { threadId, answer } = await threadWithReply()
    const moderator = await newMember('moderator')
    const started = Date.now()

    must(await moderateThread(moderator, threadId, 'pin', 'Useful for everyone'))
    must(await moderateThread(moderator, threadId, 'lock', 'Going in circles'))
    must(await moveThread(moderator, threadId, 'ai-in-government', 'Wrong category'))
    must(await setPostHidden(moderator, answer.id, true, 'Names a member of the public'))
    must(await setPostHidden(moderator, answer.id, false, 'Edited since'))
    must(await flagPost(await newMember(), answer.id, 'spam', null))
    must(await resolveFlags(moderator, answer.id, 'disagree', 'Not spam'))
    must(await moderateThread(moderator, threadId, 'unlock', null))
    must(await moderateThread(moderator, threadId, 'unpin', null))

    const thread = await threadRow(threadId)
    expect(thread).toMatchObject({ is_pinned: 0, is_locked: 0 })
    const moved = await db.selectFrom('categories').select('id').where('slug', '=', 'ai-in-government').executeTakeFirstOrThrow()
    expect(thread.category_id).toBe(moved.id)

    const log = await logOf(threadId)
    expect(log.map((e) => [e.action, e.actor_id, e.reason, e.post_id])).toEqual([
      ['pin', moderator.id, 'Useful for everyone', null],
      ['lock', moderator.id, 'Going in circles', null],
      ['move', moderator.id, 'Wrong category', null],
      ['hide', moderator.id, 'Names a member of the public', answer.id],
      ['unhide', moderator.id, 'Edited since', answer.id],
      ['flags-disagreed', moderator.id, 'Not spam', answer.id],
      ['unlock', moderator.id, null, null],
      ['unpin', moderator.id, null, null],
    ])
    expect(log[2].details).toBe('Governance & sponsorship → AI in government')
    for (const entry of log) {
      expect(Date.parse(entry.created_at)).toBeGreaterThanOrEqual(started - 1_000)
      expect(Date.parse(entry.created_at)).toBeLessThanOrEqual(Date.now() + 1_000)
    }
  })

  it('pin, lock and move change the thread; hide and unhide change the post', async () => {
    const { threadId, answer } = await threadWithReply()
    const admin = await newMember('admin')
    must(await moderateThread(admin, threadId, 'pin', null))
    must(await moderateThread(admin, threadId, 'lock', null))
    expect(await threadRow(threadId)).toMatchObject({ is_pinned: 1, is_locked: 1 })
    expect(await moveThread(admin, threadId, 'governance-and-sponsorship', null)).toMatchObject({ ok: false, status: 400 })
    expect(await moveThread(admin, threadId, 'no-such-category', null)).toMatchObject({ ok: false, status: 400 })

    must(await setPostHidden(admin, answer.id, true, 'Off-topic'))
    expect(await postRow(answer.id)).toMatchObject({ hidden_by_id: admin.id, hidden_reason: 'Off-topic' })
    const hidden = (await getThreadPage(threadId, 1, admin))!.posts.find((p) => p.id === answer.id)!
    expect(hidden).toMatchObject({ visibility: 'hidden-by-moderator', hiddenReason: 'Off-topic', bodyHtml: answer.body_html })

    must(await setPostHidden(admin, answer.id, false, null))
    expect(await postRow(answer.id)).toMatchObject({ hidden_at: null, hidden_by_id: null, hidden_reason: null })
  })

  it('a hidden post cannot stay the accepted answer', async () => {
    const { threadId, author, answer } = await threadWithReply()
    must(await toggleAcceptedAnswer(author, answer.id))
    must(await setPostHidden(await newMember('moderator'), answer.id, true, null))
    expect((await threadRow(threadId)).accepted_post_id).toBeNull()
    expect(await toggleAcceptedAnswer(author, answer.id)).toMatchObject({ ok: false, status: 403 })
  })
})
