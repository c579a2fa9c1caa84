// The home page over real HTTP. A visitor sees the introduction, the readiness call, featured
// and newest cases, active discussions, upcoming events and the failure-mode themes with their
// counts, and nothing personal. A member also sees their own corner: threads with new posts
// since they read them, their upcoming RSVPs with their waitlist place, and their cases'
// status; never anyone else's.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { eventForm, type Fields, postFields } from './events-support'
import { caseForm, decodeHtml, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const unique = (text: string) => `${text} ${randomBytes(4).toString('hex')}`

/** The home page's <main>, as text a reader sees (React's text separators removed, entities decoded). */
async function home(client: HttpClient): Promise<string> {
  const response = await client.get('/')
  expect(response.status).toBe(200)
  return decodeHtml(mainOf(await response.text()).replaceAll('<!-- -->', ''))
}

/** A card of the member's corner, by its heading id. */
function card(main: string, headingId: 'unread-heading' | 'rsvps-heading' | 'submissions-heading'): string {
  const section = new RegExp(`<section class="card" aria-labelledby="${headingId}">[\\s\\S]*?</section>`).exec(main)?.[0]
  expect(section, headingId).toBeDefined()
  return section!
}

const MEMBER_SECTIONS = ['Your SectorPulse', 'Unread in your threads', 'Your upcoming events', 'Your cases', 'yours-heading']

let organizer: Person
let moderator: Person

beforeAll(async () => {
  organizer = await signedIn(db, 'moderator')
  moderator = await signedIn(db, 'moderator')
})

async function startThread(author: Person, title: string) {
  const response = await author.client.post('/discussions/new', { category: 'adoption-and-change', title, body: 'How did you get staff to use the new system?' })
  expect(response.status, await response.clone().text()).toBe(302)
  const path = response.headers.get('location')!
  return { id: Number(/^\/discussions\/(\d+)\//.exec(path)![1]), path, title }
}

async function newEvent(overrides: Fields = {}) {
  const created = await postFields(organizer.client, '/events/new', eventForm(overrides))
  expect(created.status, await created.clone().text()).toBe(302)
  const path = created.headers.get('location')!
  expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
  return { id: Number(/^\/events\/(\d+)\//.exec(path)![1]), path, title: String(overrides.title ?? '') }
}

function caseFields(title: string): Fields {
  return caseForm({
    title,
    summary: 'The eligibility rules engine was not ready when the launch date arrived.',
    level: 'state',
    domain: 'unemployment-insurance',
    jurisdiction: 'A state workforce agency',
    primaryMode: 'testing-cutover-stabilization',
    primaryHow: 'Testing was cut to keep the date',
    contributingMode: [],
    contributingHow: [],
    phases: ['go-live-and-cutover'],
    rootCauses: 'A fixed date',
    lessons: 'Test with real claims',
    recommendations: 'Keep the old system running in parallel',
    correctiveAction: [],
    correctiveWorked: [],
    correctiveNote: [],
  })
}

// ---------------------------------------------------------------------------------------------

describe('for a visitor', () => {
  let event: { id: number; path: string; title: string }
  beforeAll(async () => {
    // Starts in two hours (UTC), sooner than any other event on the server.
    const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16)
    event = await newEvent({ title: unique('Home page roundtable'), starts: at(2 * 3_600_000), ends: at(3 * 3_600_000), timeZone: 'UTC' })
  })

  it('shows the introduction and the way to join, and no member section', async () => {
    const main = await home(new HttpClient())
    expect(main).toContain('<h1 id="intro-heading">Public-sector projects rarely fail for lack of a good system</h1>')
    expect(main).toMatch(/<a [^>]*href="\/join"[^>]*>Join SectorPulse<\/a>/)
    for (const section of MEMBER_SECTIONS) expect(main).not.toContain(section)
  })

  it('invites everyone to the readiness self-assessment', async () => {
    const main = await home(new HttpClient())
    expect(main).toContain('Is your project ready to deliver?')
    expect(main).toMatch(/<a [^>]*href="\/readiness"[^>]*>Take the readiness self-assessment<\/a>/)
  })

  it('shows featured and newest cases: published ones, none twice', async () => {
    const main = await home(new HttpClient())
    const section = /<h2 id="featured-heading">[\s\S]*?<h2 id="active-heading">/.exec(main)?.[0] ?? ''
    const [featuredPart, newestPart] = section.split('<h2 id="newest-heading">')
    expect(newestPart).toBeDefined()
    const slugs = (html: string) => [...html.matchAll(/href="\/cases\/([a-z0-9-]+)"/g)].map((m) => m[1])
    const featured = slugs(featuredPart)
    const newest = slugs(newestPart)
    expect(featured.length).toBeGreaterThanOrEqual(1)
    expect(featured.length).toBeLessThanOrEqual(3)
    expect(newest.length).toBeGreaterThanOrEqual(1)
    expect(newest.length).toBeLessThanOrEqual(4)
    expect(newest.filter((slug) => featured.includes(slug))).toEqual([])
    for (const slug of [...featured, ...newest]) {
      expect(await db.one(sql`select status from cases where slug = ${slug}`), slug).toEqual({ status: 'published' })
    }
    // The featured cases are those most members have seen too, most first.
    const seen = await Promise.all(featured.map(async (slug) => ((await db.one(sql`select seen_count from cases where slug = ${slug}`)) as { seen_count: number }).seen_count))
    expect([...seen].sort((a, b) => b - a)).toEqual(seen)
  })

  it('shows active discussions: live threads, at most five', async () => {
    const main = await home(new HttpClient())
    expect(main).toContain('Active discussions')
    const active = /<h2 id="active-heading">[\s\S]*?<h2 id="events-heading">/.exec(main)?.[0] ?? ''
    const ids = [...new Set([...active.matchAll(/href="\/discussions\/(\d+)\/[a-z0-9-]+/g)].map((m) => Number(m[1])))]
    expect(ids.length).toBeGreaterThanOrEqual(1)
    expect(ids.length).toBeLessThanOrEqual(5)
    for (const id of ids) expect(await db.one(sql`select deleted_at from threads where id = ${id}`), `thread ${id}`).toEqual({ deleted_at: null })
    expect(active).toMatch(/<a [^>]*href="\/discussions">All discussions<\/a>/)
  })

  it('never lists a deleted thread among active discussions', async () => {
    const author = await signedIn(db)
    const deleted = await startThread(author, unique('A thread deleted at once'))
    expect(await home(new HttpClient())).toContain(deleted.title)
    const opening = (await db.one(sql`select id from posts where thread_id = ${deleted.id} and number = 1`)) as { id: number }
    expect((await author.client.post(deleted.path, { intent: 'delete', postId: String(opening.id), number: '1' })).status).toBe(302)
    expect(await home(new HttpClient())).not.toContain(deleted.title)
  })

  it('shows upcoming events, soonest first: published and not yet over', async () => {
    const main = await home(new HttpClient())
    const events = /<h2 id="events-heading">[\s\S]*?<\/section>/.exec(main)?.[0] ?? ''
    const ids = [...events.matchAll(/href="\/events\/(\d+)\/[a-z0-9-]+"/g)].map((m) => Number(m[1]))
    expect(ids.length).toBeGreaterThanOrEqual(1)
    expect(ids.length).toBeLessThanOrEqual(3)
    // The event made for this file starts in two hours: only one already under way, or starting
    // within those two hours, could come before it.
    expect(ids).toContain(event.id)
    expect(events).toContain(event.title)
    const starts = await Promise.all(ids.map(async (id) => {
      const row = (await db.one(sql`select status, starts_at, ends_at from events where id = ${id}`)) as { status: string; starts_at: string; ends_at: string }
      expect(['published', 'cancelled']).toContain(row.status)
      expect(Date.parse(row.ends_at)).toBeGreaterThan(Date.now())
      return row.starts_at
    }))
    expect([...starts].sort()).toEqual(starts)
  })

  it('lists failure-mode themes with their published case counts, most cases first', async () => {
    const counts = async () =>
      Object.fromEntries(
        (
          (await db.all(sql`select t.slug, count(c.id) as n from taxonomy_terms t
               join case_failure_modes m on m.term_id = t.id and m.avoided = 0 join cases c on c.id = m.case_id and c.status = 'published'
               where t.facet = 'failure-mode' group by t.id`)) as { slug: string; n: number }[]
        ).map((row) => [row.slug, row.n]),
      ) as Record<string, number>
    const before = await counts()
    const main = await home(new HttpClient())
    const after = await counts()
    const chips = [...main.matchAll(/href="\/cases\/themes\/([a-z0-9-]+)"[^>]*>[^<]*<span class="theme-chips__count">\((\d+) (cases?)\)<\/span>/g)].map(
      (m) => ({ slug: m[1], n: Number(m[2]), noun: m[3] }),
    )
    expect(chips.length).toBeGreaterThan(0)
    // Every theme with a published case it hurt, and only those (avoided ones are not counted).
    expect(chips.map((c) => c.slug).sort()).toEqual(Object.keys(after).sort())
    for (const chip of chips) {
      // Another test file may publish a case while this one reads.
      expect(chip.n, chip.slug).toBeGreaterThanOrEqual(before[chip.slug] ?? 0)
      expect(chip.n, chip.slug).toBeLessThanOrEqual(after[chip.slug])
      expect(chip.noun).toBe(chip.n === 1 ? 'case' : 'cases')
    }
    const numbers = chips.map((c) => c.n)
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers)
  })
})

describe('for a member', () => {
  it('greets them by name, with their own corner and no invitation to join', async () => {
    const member = await signedIn(db)
    const main = await home(member.client)
    expect(main).toContain(`Your SectorPulse, ${member.displayName}`)
    expect(card(main, 'unread-heading')).toContain('Nothing new in the threads you have read.')
    expect(card(main, 'rsvps-heading')).toContain('You have not answered any upcoming event.')
    expect(card(main, 'submissions-heading')).toContain('You have not shared a case yet.')
    expect(main).not.toMatch(/>Join SectorPulse</)
  })

  it('lists a thread they read that got a reply since, with "1 new" linking to the new post', async () => {
    const reader = await signedIn(db)
    const replier = await signedIn(db)
    const bystander = await signedIn(db)
    const thread = await startThread(await signedIn(db), unique('Training staff before go-live'))

    // Reading the thread sets their marker; nothing is new yet.
    expect((await reader.client.get(thread.path)).status).toBe(200)
    expect(card(await home(reader.client), 'unread-heading')).not.toContain(thread.title)

    expect((await replier.client.post(thread.path, { intent: 'reply', body: unique('We trained super-users first') })).status).toBe(302)
    const unread = card(await home(reader.client), 'unread-heading')
    expect(unread).toContain(thread.title)
    expect(unread).toMatch(new RegExp(`<a [^>]*href="${thread.path}#post-2"[^>]*>${thread.title}</a> <span class="badge badge--unread">1 new</span>`))

    // Someone who never opened the thread is not told, and neither is a visitor.
    expect(card(await home(bystander.client), 'unread-heading')).not.toContain(thread.title)
    expect(await home(new HttpClient())).not.toContain('Unread in your threads')

    // Reading it again clears it.
    expect((await reader.client.get(thread.path)).status).toBe(200)
    expect(card(await home(reader.client), 'unread-heading')).not.toContain(thread.title)
  })

  it('counts every post since they read: "2 new"', async () => {
    const reader = await signedIn(db)
    const thread = await startThread(await signedIn(db), unique('Choosing a cutover weekend'))
    await reader.client.get(thread.path)
    for (const body of ['We picked a long weekend', 'We avoided month end']) {
      expect((await (await signedIn(db)).client.post(thread.path, { intent: 'reply', body: unique(body) })).status).toBe(302)
    }
    const unread = card(await home(reader.client), 'unread-heading')
    expect(unread).toContain(`href="${thread.path}#post-2"`)
    expect(unread).toMatch(new RegExp(`${thread.title}</a> <span class="badge badge--unread">2 new</span>`))
  })

  it('does not count a reply its author deleted as new, agreeing with the thread list', async () => {
    const reader = await signedIn(db)
    const replier = await signedIn(db)
    const thread = await startThread(await signedIn(db), unique('Retiring the mainframe batch jobs'))
    await reader.client.get(thread.path)
    expect((await replier.client.post(thread.path, { intent: 'reply', body: unique('Posted in the wrong thread') })).status).toBe(302)
    const reply = (await db.one(sql`select id from posts where thread_id = ${thread.id} and number = 2`)) as { id: number }
    const deleted = await replier.client.post(thread.path, { intent: 'delete', postId: String(reply.id), number: '2' })
    expect(deleted.status).toBe(302)

    // The thread list (in its category, which only this file writes to) shows no unread badge: nothing is left to read.
    const list = await (await reader.client.get('/discussions/c/adoption-and-change?sort=newest')).text()
    expect(list).toContain(`href="${thread.path}"`)
    expect(list).not.toContain(`href="${thread.path}?unread=1"`)
    // "Unread in your threads" must agree, not send the member to a deleted placeholder as "1 new".
    expect(card(await home(reader.client), 'unread-heading')).not.toContain(thread.title)
  })

  it('shows their upcoming RSVPs, with their place on a waitlist', async () => {
    const title = unique('Small room session')
    const event = await newEvent({ title, capacity: '1' })
    const [first, second, third] = [await signedIn(db), await signedIn(db), await signedIn(db)]
    for (const member of [first, second, third]) {
      expect((await member.client.post(event.path, { intent: 'going' })).status).toBe(302)
    }
    const rsvp = async (member: Person) => {
      const section = card(await home(member.client), 'rsvps-heading')
      const item = [...section.matchAll(/<li>[\s\S]*?<\/li>/g)].map((m) => m[0]).find((li) => li.includes(`href="${event.path}"`))
      expect(item, `${event.path} in the RSVPs of ${member.handle}`).toBeDefined()
      expect(item).toContain(title)
      return /<strong>([^<]*)<\/strong>/.exec(item!)![1]
    }
    expect(await rsvp(first)).toBe('Going')
    expect(await rsvp(second)).toBe('Waitlist place 1')
    expect(await rsvp(third)).toBe('Waitlist place 2')

    // The first gives up their place: the second moves up, the third is next in line.
    expect((await first.client.post(event.path, { intent: 'not-going' })).status).toBe(302)
    expect(card(await home(first.client), 'rsvps-heading')).not.toContain(`href="${event.path}"`)
    expect(await rsvp(second)).toBe('Going')
    expect(await rsvp(third)).toBe('Waitlist place 1')
  })

  it("shows their cases' status: waiting for review, returned, published; never to anyone else", async () => {
    const author = await signedIn(db)
    const other = await signedIn(db)
    const title = unique('Pandemic claims surge at a state agency')
    const submitted = await postFields(author.client, '/cases/new', { ...caseFields(title), intent: 'submit' })
    expect(submitted.status, await submitted.clone().text()).toBe(302)
    const { id } = (await db.one(sql`select id from cases where author_id = ${author.id} and title = ${title}`)) as { id: number }

    const item = async () => {
      const section = card(await home(author.client), 'submissions-heading')
      return [...section.matchAll(/<li>[\s\S]*?<\/li>/g)].map((m) => m[0]).find((li) => li.includes(title))
    }
    const waiting = await item()
    expect(waiting).toContain(`href="/cases/submissions/${id}"`)
    expect(waiting).toContain('Waiting for review')
    for (const client of [other.client, new HttpClient()]) expect(await home(client)).not.toContain(title)

    const returned = await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'return', feedback: 'Add a source, please.' })
    expect(returned.status).toBe(302)
    expect(await item()).toContain('Returned to you')

    const resubmitted = await postFields(author.client, `/cases/submissions/${id}`, { ...caseFields(title), intent: 'submit' })
    expect(resubmitted.status, await resubmitted.clone().text()).toBe(302)
    expect(await item()).toContain('Waiting for review')
    expect((await moderator.client.post('/moderation/cases', { caseId: String(id), decision: 'publish', feedback: '' })).status).toBe(302)
    const { slug } = (await db.one(sql`select slug from cases where id = ${id}`)) as { slug: string }
    const published = await item()
    expect(published).toContain('Published')
    expect(published).toContain(`href="/cases/${slug}"`)
    // The author's corner is still theirs alone.
    expect(card(await home(other.client), 'submissions-heading')).not.toContain(title)
  })
})
