// Who may do what in Discussions, over real HTTP: every write, tried by an anonymous visitor,
// the owner, another member, a moderator and an admin. Allowed writes answer 302 and show in
// the database; refused ones answer 403 (or 404/409 where that is the rule) and change nothing.
// A member with an unconfirmed address or silenced is refused every content write with the reason.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, openServerDatabase, PARTICIPATION_REFUSALS, type Person, restrict, RESTRICTIONS, type Role, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

type Who = 'anonymous' | 'owner' | 'member' | 'moderator' | 'admin'

interface ThreadRef {
  id: number
  slug: string
  path: string
}

let titles = 0
const uniqueText = (text: string) => `${text} ${Date.now().toString(36)}-${++titles}-${process.pid}`

async function startThread(client: HttpClient, fields: Record<string, string> = {}): Promise<ThreadRef> {
  const response = await client.post('/discussions/new', {
    category: 'governance-and-sponsorship',
    title: uniqueText('Permission test thread'),
    body: uniqueText('The opening post'),
    ...fields,
  })
  expect(response.status, await response.clone().text()).toBe(302)
  const path = response.headers.get('location')!
  const [, id, slug] = /^\/discussions\/(\d+)\/([a-z0-9-]+)$/.exec(path)!
  return { id: Number(id), slug, path }
}

interface PostRow {
  id: number
  thread_id: number
  author_id: number
  number: number
  body_md: string
  is_deleted: number
  hidden_at: string | null
  hidden_by_id: number | null
  hidden_reason: string | null
  helpful_count: number
}

const postOf = async (threadId: number, number: number) =>
  (await db.one(sql`select * from posts where thread_id = ${threadId} and number = ${number}`)) as PostRow
const threadOf = async (threadId: number) =>
  (await db.one(sql`select * from threads where id = ${threadId}`)) as {
    is_pinned: number
    is_locked: number
    category_id: number
    accepted_post_id: number | null
    reply_count: number
    helpful_count: number
    deleted_at: string | null
  }
const categoryId = async (slug: string) => ((await db.one(sql`select id from categories where slug = ${slug}`)) as { id: number }).id

/** Everything a discussion write could touch for one thread (not read markers or sessions). */
async function snapshot(threadId: number) {
  return {
    thread: await db.one(sql`select * from threads where id = ${threadId}`),
    posts: await db.all(sql`select * from posts where thread_id = ${threadId} order by number`),
    revisions: await db.all(sql`select r.* from post_revisions r join posts p on p.id = r.post_id where p.thread_id = ${threadId} order by r.id`),
    helpful: await db.all(sql`select h.* from post_helpful h join posts p on p.id = h.post_id where p.thread_id = ${threadId} order by h.post_id, h.user_id`),
    flags: await db.all(sql`select f.* from flags f join posts p on p.id = f.post_id where p.thread_id = ${threadId} order by f.id`),
    mentions: await db.all(sql`select m.* from post_mentions m join posts p on p.id = m.post_id where p.thread_id = ${threadId} order by m.post_id`),
    log: await db.all(sql`select * from moderation_log where thread_id = ${threadId} order by id`),
  }
}

/**
 * A thread started by `owner` with one reply (the `answer`) by `replier`. Their posts are
 * moved two minutes into the past so both may post again at once without hitting the limits.
 */
interface Fixture {
  owner: Person
  replier: Person
  thread: ThreadRef
  opening: PostRow
  answer: PostRow
}

async function fixture(): Promise<Fixture> {
  const owner = await signedIn(db)
  const replier = await signedIn(db)
  const thread = await startThread(owner.client)
  const replied = await replier.client.post(thread.path, { intent: 'reply', body: uniqueText('A helpful answer') })
  expect(replied.status).toBe(302)
  await db.run(sql`update posts set created_at = ${new Date(Date.now() - 120_000).toISOString()} where thread_id = ${thread.id}`)
  return { owner, replier, thread, opening: await postOf(thread.id, 1), answer: await postOf(thread.id, 2) }
}

const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

// Helpers for setting up states (a hidden post, an open flag); not the ones under test.
let setupModerator: Person
let setupFlagger: Person
beforeAll(async () => {
  setupModerator = await signedIn(db, 'moderator')
  setupFlagger = await signedIn(db)
})

interface Rule {
  /** Whose post or thread counts as "the owner's": the reply's author, or the thread's. */
  owner: 'post author' | 'thread author' | null
  allowed: Who[]
  /** The status for signed-in people not allowed; 403 unless the rule says otherwise. */
  refusal?: number
  prepare?: (fx: Fixture) => Promise<void>
  /** Where the write is sent (an anonymous visitor is sent to sign in and come back here). */
  path: (fx: Fixture) => string
  fields: (fx: Fixture) => Record<string, string>
  /** What an allowed write changed. */
  effect: (fx: Fixture, actor: Person) => void
}

const onThread = (fx: Fixture) => fx.thread.path

const RULES: Record<string, Rule> = {
  reply: {
    owner: 'thread author',
    allowed: ['owner', 'member', 'moderator', 'admin'],
    path: onThread,
    fields: () => ({ intent: 'reply', body: uniqueText('Another reply') }),
    effect: async (fx, actor) => {
      expect(await postOf(fx.thread.id, 3)).toMatchObject({ author_id: actor.id, is_deleted: 0 })
      expect(await threadOf(fx.thread.id)).toMatchObject({ reply_count: 2, last_post_number: 3 })
    },
  },
  edit: {
    owner: 'post author',
    allowed: ['owner'],
    path: (fx) => `/discussions/posts/${fx.answer.id}/edit`,
    fields: () => ({ body: 'The answer, rewritten' }),
    effect: async (fx) => {
      const post = await postOf(fx.thread.id, 2)
      expect(post.body_md).toBe('The answer, rewritten')
      expect(await db.all(sql`select body_md from post_revisions where post_id = ${post.id} order by id`)).toEqual([
        { body_md: fx.answer.body_md },
        { body_md: 'The answer, rewritten' },
      ])
    },
  },
  delete: {
    owner: 'post author',
    allowed: ['owner'],
    path: onThread,
    fields: (fx) => ({ intent: 'delete', postId: String(fx.answer.id), number: '2' }),
    effect: async (fx) => {
      expect((await postOf(fx.thread.id, 2)).is_deleted).toBe(1)
      expect((await threadOf(fx.thread.id)).reply_count).toBe(0)
    },
  },
  helpful: {
    owner: 'post author',
    allowed: ['member', 'moderator', 'admin'],
    path: onThread,
    fields: (fx) => ({ intent: 'helpful', postId: String(fx.answer.id), number: '2' }),
    effect: async (fx, actor) => {
      expect(await db.all(sql`select user_id from post_helpful where post_id = ${fx.answer.id}`)).toEqual([{ user_id: actor.id }])
      expect((await postOf(fx.thread.id, 2)).helpful_count).toBe(1)
      expect((await threadOf(fx.thread.id)).helpful_count).toBe(1)
    },
  },
  accept: {
    owner: 'thread author',
    allowed: ['owner'],
    path: onThread,
    fields: (fx) => ({ intent: 'accept', postId: String(fx.answer.id), number: '2' }),
    effect: async (fx) => expect((await threadOf(fx.thread.id)).accepted_post_id).toBe(fx.answer.id),
  },
  pin: {
    owner: 'thread author',
    allowed: ['moderator', 'admin'],
    path: onThread,
    fields: () => ({ intent: 'pin', reason: 'Useful to everyone' }),
    effect: async (fx, actor) => {
      expect((await threadOf(fx.thread.id)).is_pinned).toBe(1)
      expect((await snapshot(fx.thread.id)).log).toMatchObject([{ action: 'pin', actor_id: actor.id, reason: 'Useful to everyone' }])
    },
  },
  lock: {
    owner: 'thread author',
    allowed: ['moderator', 'admin'],
    path: onThread,
    fields: () => ({ intent: 'lock', reason: 'Going in circles' }),
    effect: async (fx, actor) => {
      expect((await threadOf(fx.thread.id)).is_locked).toBe(1)
      expect((await snapshot(fx.thread.id)).log).toMatchObject([{ action: 'lock', actor_id: actor.id, reason: 'Going in circles' }])
    },
  },
  move: {
    owner: 'thread author',
    allowed: ['moderator', 'admin'],
    path: onThread,
    fields: () => ({ intent: 'move', category: 'ai-in-government', reason: 'About AI' }),
    effect: async (fx, actor) => {
      expect((await threadOf(fx.thread.id)).category_id).toBe(await categoryId('ai-in-government'))
      expect((await snapshot(fx.thread.id)).log).toMatchObject([{ action: 'move', actor_id: actor.id, reason: 'About AI' }])
    },
  },
  hide: {
    owner: 'post author',
    allowed: ['moderator', 'admin'],
    path: onThread,
    fields: (fx) => ({ intent: 'hide', postId: String(fx.answer.id), number: '2', reason: 'Personal details' }),
    effect: async (fx, actor) => {
      const post = await postOf(fx.thread.id, 2)
      expect(post).toMatchObject({ hidden_by_id: actor.id, hidden_reason: 'Personal details' })
      expect(post.hidden_at).not.toBeNull()
      expect((await snapshot(fx.thread.id)).log).toMatchObject([{ action: 'hide', actor_id: actor.id, post_id: fx.answer.id }])
    },
  },
  unhide: {
    owner: 'post author',
    allowed: ['moderator', 'admin'],
    prepare: async (fx) => {
      const hidden = await setupModerator.client.post(fx.thread.path, { intent: 'hide', postId: String(fx.answer.id) })
      expect(hidden.status).toBe(302)
    },
    path: onThread,
    fields: (fx) => ({ intent: 'unhide', postId: String(fx.answer.id), number: '2', reason: 'Edited since' }),
    effect: async (fx, actor) => {
      expect(await postOf(fx.thread.id, 2)).toMatchObject({ hidden_at: null, hidden_by_id: null })
      expect((await snapshot(fx.thread.id)).log.at(-1)).toMatchObject({ action: 'unhide', actor_id: actor.id, reason: 'Edited since' })
    },
  },
  flag: {
    owner: 'post author',
    allowed: ['member', 'moderator', 'admin'],
    path: (fx) => `/discussions/posts/${fx.answer.id}/flag`,
    fields: () => ({ reason: 'spam', note: 'Selling something' }),
    effect: async (fx, actor) => {
      expect((await snapshot(fx.thread.id)).flags).toMatchObject([{ user_id: actor.id, reason: 'spam', note: 'Selling something', status: 'open' }])
    },
  },
  resolve: {
    owner: 'post author',
    allowed: ['moderator', 'admin'],
    prepare: async (fx) => {
      const flagged = await setupFlagger.client.post(`/discussions/posts/${fx.answer.id}/flag`, { reason: 'off-topic' })
      expect(flagged.status).toBe(302)
    },
    path: () => '/moderation',
    fields: (fx) => ({ postId: String(fx.answer.id), decision: 'agree', reason: 'Clearly off-topic' }),
    effect: async (fx, actor) => {
      expect((await snapshot(fx.thread.id)).flags).toMatchObject([{ status: 'agreed', resolved_by_id: actor.id }])
      expect((await postOf(fx.thread.id, 2)).hidden_by_id).toBe(actor.id)
      expect((await snapshot(fx.thread.id)).log.at(-1)).toMatchObject({ action: 'flags-agreed', actor_id: actor.id, reason: 'Clearly off-topic' })
    },
  },
}

async function actorFor(who: Exclude<Who, 'anonymous'>, rule: Rule, fx: Fixture): Promise<Person> {
  if (who === 'owner') return rule.owner === 'post author' ? fx.replier : fx.owner
  return signedIn(db, who)
}

for (const [action, rule] of Object.entries(RULES)) {
  describe(`${action}`, () => {
    it('sends an anonymous visitor to sign in, and changes nothing', async () => {
      const fx = await fixture()
      await rule.prepare?.(fx)
      const before = await snapshot(fx.thread.id)
      const path = rule.path(fx)
      const response = await new HttpClient().post(path, rule.fields(fx))
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(loginRedirect(path))
      expect(await snapshot(fx.thread.id)).toEqual(before)
    })

    const signedInWhos = (['owner', 'member', 'moderator', 'admin'] as const).filter((who) => who !== 'owner' || rule.owner)
    const label = (who: Exclude<Who, 'anonymous'>) =>
      who === 'owner' ? `the ${rule.owner}` : who === 'member' ? 'another member' : `a${who === 'admin' ? 'n' : ''} ${who}`

    for (const who of signedInWhos) {
      if (rule.allowed.includes(who)) {
        it(`lets ${label(who)} do it (302) and the change is stored`, async () => {
          const fx = await fixture()
          await rule.prepare?.(fx)
          const actor = await actorFor(who, rule, fx)
          const response = await actor.client.post(rule.path(fx), rule.fields(fx))
          expect(response.status, await response.clone().text()).toBe(302)
          rule.effect(fx, actor)
        })
      } else {
        const status = rule.refusal ?? 403
        it(`refuses ${label(who)} with ${status} and changes nothing`, async () => {
          const fx = await fixture()
          await rule.prepare?.(fx)
          const actor = await actorFor(who, rule, fx)
          const before = await snapshot(fx.thread.id)
          const response = await actor.client.post(rule.path(fx), rule.fields(fx))
          expect(response.status).toBe(status)
          expect(await snapshot(fx.thread.id)).toEqual(before)
        })
      }
    }
  })
}

describe('members who may read but not take part', () => {
  // The replier writes: their own reply is the one they would edit, the opening post the one they would flag.
  const WRITES: Record<string, { path: (fx: Fixture) => string; fields: (fx: Fixture) => Record<string, string> }> = {
    'start a thread': { path: () => '/discussions/new', fields: () => ({ category: 'governance-and-sponsorship', title: uniqueText('A refused thread'), body: 'Words' }) },
    reply: { path: onThread, fields: () => ({ intent: 'reply', body: uniqueText('A refused reply') }) },
    'edit their own post': { path: (fx) => `/discussions/posts/${fx.answer.id}/edit`, fields: () => ({ body: 'Rewritten while read-only' }) },
    flag: { path: (fx) => `/discussions/posts/${fx.opening.id}/flag`, fields: () => ({ reason: 'spam' }) },
    'mark a post helpful': { path: onThread, fields: (fx) => ({ intent: 'helpful', postId: String(fx.opening.id), number: '1' }) },
  }

  it.each(RESTRICTIONS.flatMap((restriction) => Object.keys(WRITES).map((write) => [write, restriction] as const)))(
    '%s: the %s member gets 403 with the reason, and nothing is written',
    async (write, restriction) => {
      const fx = await fixture()
      await restrict(db, fx.replier, restriction)
      const before = await snapshot(fx.thread.id)
      const threads = async () => await db.all(sql`select id from threads where author_id = ${fx.replier.id}`)
      const threadsBefore = await threads()
      const response = await fx.replier.client.post(WRITES[write].path(fx), WRITES[write].fields(fx))
      expect(response.status).toBe(403)
      expect(decodeHtml(await response.text())).toContain(PARTICIPATION_REFUSALS[restriction])
      expect(await snapshot(fx.thread.id)).toEqual(before)
      expect(await threads()).toEqual(threadsBefore)
    },
  )

  // The controls such a member could only be refused, as the thread page writes them.
  const CONTRIBUTING_CONTROLS = ['>Mark helpful<', '>Quote<', '>Edit<', '>Flag<', 'name="body"']

  it.each(RESTRICTIONS)('the %s member reads the thread without those controls, and the reply box says why', async (restriction) => {
    const fx = await fixture()
    const offered = decodeHtml(await (await fx.replier.client.get(fx.thread.path)).text())
    for (const control of CONTRIBUTING_CONTROLS) expect(offered).toContain(control)

    await restrict(db, fx.replier, restriction)
    const page = decodeHtml(await (await fx.replier.client.get(fx.thread.path)).text())
    for (const control of CONTRIBUTING_CONTROLS) expect(page).not.toContain(control)
    const replyBox = page.slice(page.indexOf('id="reply-heading"'))
    expect(replyBox).toContain(PARTICIPATION_REFUSALS[restriction])
    // Their own post stays theirs to delete.
    expect(page).toContain('>Delete<')
  })

  it.each(RESTRICTIONS)('a reply the %s member sent anyway comes back in the box with the reason', async (restriction) => {
    const fx = await fixture()
    await restrict(db, fx.replier, restriction)
    const words = uniqueText('Words written before the restriction')
    const response = await fx.replier.client.post(fx.thread.path, { intent: 'reply', body: words })
    expect(response.status).toBe(403)
    const page = decodeHtml(await response.text())
    expect(page).toContain(PARTICIPATION_REFUSALS[restriction])
    expect(page).toMatch(new RegExp(`<textarea[^>]*name="body"[^>]*>${words}</textarea>`))
  })
})

describe('create thread', () => {
  it('sends an anonymous visitor to sign in and creates nothing', async () => {
    const title = uniqueText('Anonymous thread attempt')
    const response = await new HttpClient().post('/discussions/new', {
      category: 'governance-and-sponsorship',
      title,
      body: 'Some words',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(loginRedirect('/discussions/new'))
    expect(await db.all(sql`select id from threads where title = ${title}`)).toEqual([])
  })

  it.each<Role>(['member', 'moderator', 'admin'])('lets someone with the role %s start a thread, with its tags', async (role) => {
    const person = await signedIn(db, role)
    const title = uniqueText(`A thread by a ${role}`)
    const body = new URLSearchParams({ category: 'ai-in-government', title, body: 'What should we do first?' })
    body.append('tags', 'automated-decisions-without-review')
    body.append('tags', 'untested-assumptions')
    const response = await person.client.request('/discussions/new', {
      method: 'POST',
      body,
      headers: { Origin: person.client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(302)
    const thread = (await db.one(sql`select * from threads where title = ${title}`)) as { id: number; slug: string; author_id: number; category_id: number }
    expect(thread).toMatchObject({ author_id: person.id, category_id: await categoryId('ai-in-government') })
    expect(response.headers.get('location')).toBe(`/discussions/${thread.id}/${thread.slug}`)
    const tags = await db.all(sql`select t.slug from thread_tags tt join taxonomy_terms t on t.id = tt.term_id where tt.thread_id = ${thread.id} order by t.slug`)
    expect(tags).toEqual([{ slug: 'automated-decisions-without-review' }, { slug: 'untested-assumptions' }])
    expect(await postOf(thread.id, 1)).toMatchObject({ author_id: person.id, body_md: 'What should we do first?' })
  })

  it.each([
    ['an unknown category', { category: 'no-such-category' }],
    ['a title that is too short', { title: 'Short' }],
    ['an empty body', { body: '   ' }],
  ])('refuses %s with 400 and creates nothing', async (_, fields) => {
    const person = await signedIn(db)
    const title = uniqueText('Refused thread')
    const response = await person.client.post('/discussions/new', {
      category: 'governance-and-sponsorship',
      title,
      body: 'Words',
      ...fields,
    })
    expect(response.status).toBe(400)
    expect(await db.all(sql`select id from threads where author_id = ${person.id}`)).toEqual([])
  })

  it('refuses six tags with 400', async () => {
    const person = await signedIn(db)
    const body = new URLSearchParams({ category: 'governance-and-sponsorship', title: uniqueText('Too many tags'), body: 'Words' })
    for (const tag of ['sponsorship-fades', 'unclear-ownership', 'big-bang-scope', 'rushed-requirements', 'legacy-integration', 'capability-gaps']) {
      body.append('tags', tag)
    }
    const response = await person.client.request('/discussions/new', {
      method: 'POST',
      body,
      headers: { Origin: person.client.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(400)
    expect(await db.all(sql`select id from threads where author_id = ${person.id}`)).toEqual([])
  })
})

describe('the rules that are not 403', () => {
  it('answers 404 for a write to a thread that does not exist', async () => {
    const person = await signedIn(db)
    for (const fields of [
      { intent: 'reply', body: 'Hello?' } as Record<string, string>,
      { intent: 'helpful', postId: '1' },
      { intent: 'pin' },
    ]) {
      const response = await person.client.post('/discussions/99999999/no-such-thread', fields)
      expect(response.status, fields.intent).toBe(404)
    }
    expect(await db.all(sql`select id from posts where author_id = ${person.id}`)).toEqual([])
  })

  it('answers 404 for editing or flagging a post that does not exist', async () => {
    const person = await signedIn(db)
    expect((await person.client.post('/discussions/posts/99999999/edit', { body: 'x' })).status).toBe(404)
    expect((await person.client.post('/discussions/posts/99999999/flag', { reason: 'spam' })).status).toBe(404)
  })

  it('refuses to delete an opening post that has replies: 409, and the thread stays', async () => {
    const fx = await fixture()
    const before = await snapshot(fx.thread.id)
    const response = await fx.owner.client.post(fx.thread.path, { intent: 'delete', postId: String(fx.opening.id), number: '1' })
    expect(response.status).toBe(409)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('deletes a thread whose opening post has no replies, and sends the author to the list', async () => {
    const owner = await signedIn(db)
    const thread = await startThread(owner.client)
    const opening = await postOf(thread.id, 1)
    const response = await owner.client.post(thread.path, { intent: 'delete', postId: String(opening.id), number: '1' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/discussions')
    expect((await threadOf(thread.id)).deleted_at).not.toBeNull()
    expect((await new HttpClient().get(thread.path)).status).toBe(404)
  })

  it('refuses a second flag from the same member with 409', async () => {
    const fx = await fixture()
    const flagger = await signedIn(db)
    expect((await flagger.client.post(`/discussions/posts/${fx.answer.id}/flag`, { reason: 'spam' })).status).toBe(302)
    const before = await snapshot(fx.thread.id)
    const again = await flagger.client.post(`/discussions/posts/${fx.answer.id}/flag`, { reason: 'off-topic' })
    expect(again.status).toBe(409)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('refuses resolving flags that were already resolved with 409', async () => {
    const fx = await fixture()
    await setupFlagger.client.post(`/discussions/posts/${fx.answer.id}/flag`, { reason: 'spam' })
    const moderator = await signedIn(db, 'moderator')
    const fields = { postId: String(fx.answer.id), decision: 'disagree' }
    expect((await moderator.client.post('/moderation', fields)).status).toBe(302)
    const before = await snapshot(fx.thread.id)
    expect((await moderator.client.post('/moderation', fields)).status).toBe(409)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('refuses accepting the opening post with 400', async () => {
    const fx = await fixture()
    const before = await snapshot(fx.thread.id)
    const response = await fx.owner.client.post(fx.thread.path, { intent: 'accept', postId: String(fx.opening.id) })
    expect(response.status).toBe(400)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('refuses a member a reply to a locked thread (403) but lets a moderator and an admin reply', async () => {
    const fx = await fixture()
    expect((await setupModerator.client.post(fx.thread.path, { intent: 'lock' })).status).toBe(302)
    const before = await snapshot(fx.thread.id)
    const member = await signedIn(db)
    const refused = await member.client.post(fx.thread.path, { intent: 'reply', body: 'Let me in' })
    expect(refused.status).toBe(403)
    expect(await snapshot(fx.thread.id)).toEqual(before)

    for (const role of ['moderator', 'admin'] as const) {
      const person = await signedIn(db, role)
      const response = await person.client.post(fx.thread.path, { intent: 'reply', body: uniqueText(`Note from a ${role}`) })
      expect(response.status).toBe(302)
    }
    expect((await threadOf(fx.thread.id)).reply_count).toBe(3)
  })

  it('refuses a flag without a known reason, or "other" without a note, with 400', async () => {
    const fx = await fixture()
    const flagger = await signedIn(db)
    const before = await snapshot(fx.thread.id)
    for (const fields of [{ reason: 'boring' }, { reason: 'other' }, { reason: 'spam', note: 'n'.repeat(501) }] as Record<string, string>[]) {
      const response = await flagger.client.post(`/discussions/posts/${fx.answer.id}/flag`, fields)
      expect(response.status, JSON.stringify(fields).slice(0, 40)).toBe(400)
    }
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('refuses a moderator reason longer than 500 characters with 400', async () => {
    const fx = await fixture()
    const moderator = await signedIn(db, 'moderator')
    const before = await snapshot(fx.thread.id)
    const reason = 'r'.repeat(501)
    expect((await moderator.client.post(fx.thread.path, { intent: 'pin', reason })).status).toBe(400)
    expect((await moderator.client.post(fx.thread.path, { intent: 'hide', postId: String(fx.answer.id), reason })).status).toBe(400)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })

  it('refuses a moderator action with an unknown intent (400) and a move to an unknown category (400)', async () => {
    const fx = await fixture()
    const moderator = await signedIn(db, 'moderator')
    const before = await snapshot(fx.thread.id)
    expect((await moderator.client.post(fx.thread.path, { intent: 'feature', postId: String(fx.answer.id) })).status).toBe(400)
    expect((await moderator.client.post(fx.thread.path, { intent: 'move', category: 'no-such-category' })).status).toBe(400)
    expect(await snapshot(fx.thread.id)).toEqual(before)
  })
})
