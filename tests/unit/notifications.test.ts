// Who hears about what: every row of the notification table, run through the real models, the
// real fan-out and a real SQLite file. Also what never notifies, consolidation, email queueing,
// holding, and summaries sent at most once.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { seedContent } from '../../db/seed'
import type { CaseContent } from '../../app/lib/case-fields'
import { contentToCaseForm } from '../../app/lib/case-form'
import { eventInputSchema } from '../../app/lib/event-fields'
import { prepareMail } from '../../app/jobs/prepare-mail.server'
import { publishCase, returnCase, submitCase } from '../../app/models/case-submission.server'
import { saveEmailPreferences } from '../../app/models/email-preference.server'
import { queueEventReminders } from '../../app/models/event-reminder.server'
import { cancelEvent, createEvent, publishEvent, updateEvent } from '../../app/models/event.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { setFollow } from '../../app/models/follow.server'
import { queueDueSummaries, summaryPeriod } from '../../app/models/mail-summary.server'
import { flagPost, resolveFlags, setPostHidden } from '../../app/models/moderation.server'
import { fanOutPendingActivities } from '../../app/models/notification-fanout.server'
import { readUnsubscribeToken } from '../../app/models/notification-mail.server'
import {
  countUnreadNotifications,
  listNotifications,
  markSubjectSeen,
  openNotification,
} from '../../app/models/notification.server'
import { deletePost, editPost, quoteForReply, replyToThread, toggleAcceptedAnswer, toggleHelpful } from '../../app/models/post.server'
import { createThread } from '../../app/models/thread.server'
import { insertMember, must } from '../helpers/model-fixtures'

type Member = Awaited<ReturnType<typeof insertMember>>

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

beforeEach(() => {
  process.env.MAIL_HOLD_MINUTES = '10'
})

// Posting limits are per author and per minute: each write gets its own moment.
let clock = Date.parse('2026-11-01T12:00:00Z')
const tick = () => new Date((clock += 60_000))

const people = (count: number, role: 'member' | 'moderator' = 'member') => Promise.all(Array.from({ length: count }, () => insertMember(role)))

async function thread(author: Member, overrides: { body?: string; tags?: string[]; category?: string } = {}) {
  return must(
    await createThread(
      author,
      {
        categorySlug: overrides.category ?? 'governance-and-sponsorship',
        title: `Who owns the go-live decision ${clock}`,
        body: overrides.body ?? `Our steering committee could not agree on go-live ${clock}.`,
        tagSlugs: overrides.tags ?? [],
      },
      { now: tick() },
    ),
  )
}

async function reply(author: Member, threadId: number, body = `A reply at ${clock}`) {
  return must(await replyToThread(author, threadId, body, { now: tick() }))
}

const postIdOf = async (threadId: number, number: number) =>
  (await db.selectFrom('posts').select('id').where('thread_id', '=', threadId).where('number', '=', number).executeTakeFirstOrThrow()).id

async function fanOut() {
  while ((await fanOutPendingActivities({ limit: 100, now: new Date(clock) })) > 0) {
    // until every recorded activity has been turned into notifications
  }
}

/** What a member's notification list says, newest first, after the fan-out has run. */
async function told(member: Member) {
  await fanOut()
  return (await listNotifications(member.id)).notifications
}
const kindsFor = async (member: Member) => (await told(member)).map((n) => n.kind)

const outboxFor = (member: Member) => db.selectFrom('mail_outbox').selectAll().where('user_id', '=', member.id).orderBy('id').execute()

// ---------------------------------------------------------------------------------------------

describe('discussions', () => {
  it('a reply tells the thread author, with a link to the exact post; never the replier', async () => {
    const [author, replier] = await people(2)
    const { id } = await thread(author)
    await reply(replier, id)
    const [notification] = await told(author)
    expect(notification).toMatchObject({ kind: 'reply', isRead: false, reason: 'You started this thread.' })
    expect(notification.text).toMatch(new RegExp(`^${replier.displayName} replied in “Who owns the go-live decision \\d+”$`))
    expect(notification.href).toMatch(new RegExp(`^/discussions/${id}/[a-z0-9-]+#post-2$`))
    expect(await told(replier)).toEqual([])
  })

  it('consecutive replies consolidate into one notification with a count, linking to the first unread', async () => {
    const [author, a, b] = await people(3)
    const { id } = await thread(author)
    await reply(a, id)
    await reply(b, id)
    await reply(a, id)
    const list = await told(author)
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ kind: 'reply', count: 3 })
    expect(list[0].text).toMatch(/^3 new replies in “/)
    expect(list[0].href).toMatch(/#post-2$/)
    // Once read, the next reply starts a new notification.
    await markSubjectSeen(author.id, { threadId: id, upToNumber: 4 })
    await reply(b, id)
    const after = await told(author)
    expect(after.map((n) => [n.count, n.isRead])).toEqual([
      [1, false],
      [3, true],
    ])
  })

  it('replies waiting together go out in one pass, counted, and never tell a replier about their own reply', async () => {
    const [author, watcher, a, b] = await people(4)
    const { id } = await thread(author)
    await fanOut()
    must(await setFollow(watcher.id, 'thread', id, 'watching'))
    must(await setFollow(a.id, 'thread', id, 'watching'))
    await reply(a, id)
    await reply(b, id)
    await reply(a, id)
    // One transaction takes all three of the thread's waiting replies.
    expect(await fanOutPendingActivities({ limit: 1, now: new Date(clock) })).toBe(3)
    const [forWatcher] = await told(watcher)
    expect(forWatcher).toMatchObject({ kind: 'reply', count: 3 })
    expect(forWatcher.href).toMatch(/#post-2$/)
    const [forA] = await told(a)
    expect(forA).toMatchObject({ kind: 'reply', count: 1 })
    expect(forA.text).toMatch(new RegExp(`^${b.displayName} replied in`))
    expect(forA.href).toMatch(/#post-3$/)
  })

  it('watching hears every post; tracking (the default after replying) and normal do not; muted hears nothing', async () => {
    const [author, watcher, tracker, normal, muter, replier] = await people(6)
    const { id } = await thread(author)
    await reply(tracker, id)
    must(await setFollow(watcher.id, 'thread', id, 'watching'))
    must(await setFollow(normal.id, 'thread', id, 'normal'))
    must(await setFollow(muter.id, 'thread', id, 'watching'))
    must(await setFollow(muter.id, 'thread', id, 'muted'))
    await reply(replier, id, `I agree with @${muter.handle} and @${normal.handle}`)
    expect(await kindsFor(watcher)).toEqual(['reply'])
    expect((await told(watcher))[0].reason).toBe('You are watching this thread.')
    expect(await kindsFor(tracker)).toEqual([])
    expect(await kindsFor(normal)).toEqual(['mention'])
    expect(await kindsFor(muter)).toEqual([])
  })

  it('the author who mutes their own thread hears no replies', async () => {
    const [author, replier] = await people(2)
    const { id } = await thread(author)
    must(await setFollow(author.id, 'thread', id, 'muted'))
    await reply(replier, id)
    expect(await told(author)).toEqual([])
  })

  it('a reply that quotes you notifies you as a quote; one mention and one quote make one notification', async () => {
    const [author, quoted, quoter] = await people(3)
    const { id } = await thread(author)
    await reply(quoted, id, 'Run a parallel payroll for two cycles.')
    const quote = await quoteForReply(await postIdOf(id, 2), id)
    await reply(quoter, id, `${quote}Two cycles caught our rounding bug too, @${quoted.handle}.`)
    const list = await told(quoted)
    expect(list.map((n) => n.kind)).toEqual(['quote'])
    await reply(quoter, id, `${await quoteForReply(await postIdOf(id, 2), id)}Still true.`)
    expect((await told(quoted)).map((n) => n.kind)).toEqual(['quote', 'quote'])
    expect((await told(quoted))[0].text).toBe(`${quoter.displayName} quoted you in “${(await told(quoted))[0].text.split('“')[1]}`)
  })

  it('an @mention notifies the member; not for a mention in a post hidden or deleted before it went out', async () => {
    const [author, mentioned, other, moderator] = [...(await people(3)), await insertMember('moderator')]
    const { id } = await thread(author)
    await reply(author, id, `What do you think, @${mentioned.handle}?`)
    expect(await kindsFor(mentioned)).toEqual(['mention'])

    const hiddenThread = await thread(author)
    await reply(other, hiddenThread.id, `Rude words for @${mentioned.handle}`)
    must(await setPostHidden(moderator, await postIdOf(hiddenThread.id, 2), true, 'Personal attack'))
    const deletedThread = await thread(author)
    await reply(other, deletedThread.id, `Oops @${mentioned.handle}`)
    must(await deletePost(other, await postIdOf(deletedThread.id, 2)))
    expect(await kindsFor(mentioned)).toEqual(['mention'])
  })

  it('a mention added by an edit notifies once; a mention already there does not again', async () => {
    const [author, late] = await people(2)
    const { id } = await thread(author)
    await reply(author, id, 'First draft')
    const postId = await postIdOf(id, 2)
    must(await editPost(author, postId, `Second draft, cc @${late.handle}`, tick()))
    must(await editPost(author, postId, `Third draft, cc @${late.handle}`, tick()))
    expect(await kindsFor(late)).toEqual(['mention'])
  })

  it('mentioning yourself or replying to your own thread tells you nothing', async () => {
    const [author] = await people(1)
    const { id } = await thread(author, { body: `Note to self, @${author.handle}` })
    await reply(author, id, `Still me, @${author.handle}`)
    expect(await told(author)).toEqual([])
  })

  it('an accepted answer tells its author', async () => {
    const [author, helper] = await people(2)
    const { id } = await thread(author)
    await reply(helper, id)
    must(await toggleAcceptedAnswer(author, await postIdOf(id, 2)))
    const list = await told(helper)
    expect(list.map((n) => n.kind)).toEqual(['accepted'])
    expect(list[0].text).toContain(`${author.displayName} accepted your reply`)
  })

  it('helpful marks consolidate into one notification per post, never one per mark', async () => {
    const [author, a, b, c] = await people(4)
    const { id } = await thread(author)
    const postId = await postIdOf(id, 1)
    for (const member of [a, b, c]) must(await toggleHelpful(member, postId, { now: tick() }))
    const list = await told(author)
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ kind: 'helpful', count: 3 })
    expect(list[0].text).toMatch(/^3 members found your post/)
    // Helpful marks do not email by default.
    expect(await outboxFor(author)).toEqual([])
  })

  it('a post hidden by a moderator tells its author who, why and what next; restoring tells them too', async () => {
    const [author, mentioned] = await people(2)
    const moderator = await insertMember('moderator')
    const { id } = await thread(author)
    await reply(author, id, `A reply naming @${mentioned.handle}`)
    await fanOut()
    expect(await kindsFor(mentioned)).toEqual(['mention'])
    const postId = await postIdOf(id, 2)
    must(await setPostHidden(moderator, postId, true, 'Names a vendor employee'))
    const [hidden] = await told(author)
    expect(hidden).toMatchObject({ kind: 'post_hidden', detail: 'Reason: Names a vendor employee' })
    expect(hidden.text).toContain(`${moderator.displayName}, a moderator, hid your post`)
    expect(hidden.nextStep).toMatch(/edit the post/)
    // Nobody else is pointed at a post they can no longer read.
    expect(await kindsFor(mentioned)).toEqual([])
    expect(await countUnreadNotifications(mentioned.id)).toBe(0)

    must(await setPostHidden(moderator, postId, false, null))
    expect((await told(author)).map((n) => n.kind)).toEqual(['post_restored', 'post_hidden'])
  })

  it('a post hidden by member flags says so, and a moderator clearing the flags restores it', async () => {
    const [author, ...flaggers] = await people(4)
    const moderator = await insertMember('moderator')
    const { id } = await thread(author)
    await reply(author, id, 'A spicy opinion about procurement')
    const postId = await postIdOf(id, 2)
    // Accounts two days old: only established members' flags hide a post.
    await db.updateTable('users').set({ created_at: new Date(Date.now() - 2 * 86_400_000).toISOString() }).where('id', 'in', flaggers.map((f) => f.id)).execute()
    for (const flagger of flaggers) must(await flagPost(flagger, postId, 'inappropriate', null))
    const [hidden] = await told(author)
    expect(hidden.kind).toBe('post_hidden')
    expect(hidden.text).toContain('hidden after members flagged it')
    expect(hidden.nextStep).toMatch(/moderator will review/)
    must(await resolveFlags(moderator, postId, 'disagree', 'Robust but fair'))
    expect((await told(author))[0].kind).toBe('post_restored')
  })

  it('a new thread in a followed category or theme tells its followers', async () => {
    const [author, categoryFan, themeFan, both] = await people(4)
    const category = await db.selectFrom('categories').select('id').where('slug', '=', 'testing-and-go-live').executeTakeFirstOrThrow()
    const theme = await db.selectFrom('taxonomy_terms').select(['id', 'name']).where('slug', '=', 'big-bang-scope').executeTakeFirstOrThrow()
    must(await setFollow(categoryFan.id, 'category', category.id, 'watching'))
    must(await setFollow(themeFan.id, 'theme', theme.id, 'watching'))
    must(await setFollow(both.id, 'category', category.id, 'watching'))
    must(await setFollow(both.id, 'theme', theme.id, 'watching'))
    await thread(author, { category: 'testing-and-go-live', tags: ['big-bang-scope'] })
    expect((await told(categoryFan)).map((n) => [n.kind, n.reason])).toEqual([['followed_thread', 'You follow this category.']])
    expect((await told(themeFan))[0].text).toMatch(new RegExp(`^New thread in ${theme.name}: `))
    expect(await kindsFor(both)).toEqual(['followed_thread'])
    // Followed kinds come in the weekly summary, not right away.
    expect(await outboxFor(categoryFan)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

let caseTitles = 0
function caseContent(overrides: Partial<CaseContent> = {}): CaseContent {
  return {
    title: `A benefits system launched on one weekend ${++caseTitles}`,
    summary: 'Every county switched over on the same weekend.',
    level: 'state',
    domain: 'benefits-and-eligibility',
    outcome: 'recovered',
    jurisdiction: 'A state human services agency',
    budgetBand: '10m-100m',
    contractModel: 'Fixed price',
    years: '2019-2021',
    outcomeDetail: 'Backlogs for three months.',
    whatHappened: 'All counties went live together.',
    primaryFailureMode: { slug: 'big-bang-scope', how: 'One cutover for every county' },
    contributingFailureModes: [],
    phases: ['go-live-and-cutover'],
    rootCauses: ['A fixed date'],
    lessons: ['Pilot first'],
    recommendations: ['Phase the rollout'],
    correctiveActions: [],
    sources: [{ title: 'State audit', publisher: 'State Auditor', date: '2022' }],
    firstHand: true,
    isAnonymous: false,
    ...overrides,
  }
}

describe('cases', () => {
  it('returned with feedback and published tell the author; a published case tells its theme’s followers without naming an anonymous author', async () => {
    const [author, follower] = await people(2)
    const moderator = await insertMember('moderator')
    const theme = await db.selectFrom('taxonomy_terms').select(['id', 'name']).where('slug', '=', 'big-bang-scope').executeTakeFirstOrThrow()
    must(await setFollow(follower.id, 'theme', theme.id, 'watching'))
    const content = caseContent({ isAnonymous: true })
    const { id } = must(await submitCase(author, null, contentToCaseForm(content), content))

    must(await returnCase(moderator, id, 'Please add a second source.'))
    const [returned] = await told(author)
    expect(returned).toMatchObject({
      kind: 'case_returned',
      text: `${moderator.displayName}, a moderator, returned your case “${content.title}” with feedback`,
      detail: 'Feedback: Please add a second source.',
    })
    expect(returned.nextStep).toContain('a different moderator')
    expect(returned.href).toMatch(/^\/appeal\//)
    // An unpublished case tells nobody else.
    expect(await told(follower)).toEqual([])

    must(await submitCase(author, id, contentToCaseForm(content), content))
    const { slug } = must(await publishCase(moderator, id, null))
    expect((await told(author))[0]).toMatchObject({ kind: 'case_published', href: `/cases/${slug}` })
    const [news] = await told(follower)
    expect(news).toMatchObject({ kind: 'followed_case', href: `/cases/${slug}` })
    expect(news.text).toBe(`New case in ${theme.name}: “${content.title}”`)
    expect(JSON.stringify(news)).not.toContain(author.displayName)
    expect(JSON.stringify(news)).not.toContain(author.handle)
    const row = await db.selectFrom('notifications').select('actor_id').where('id', '=', news.id).executeTakeFirstOrThrow()
    expect(row.actor_id).not.toBe(author.id)
  })
})

// ---------------------------------------------------------------------------------------------

let eventTitles = 0
const eventInput = (overrides: Record<string, string | string[]> = {}) =>
  eventInputSchema.parse({
    title: `Cutover rehearsal clinic ${++eventTitles}`,
    kind: 'workshop',
    description: 'Bring your runbook.',
    starts: '2030-05-14T10:00',
    ends: '2030-05-14T12:00',
    timeZone: 'America/New_York',
    format: 'virtual',
    venue: '',
    address: '',
    joinUrl: 'https://meet.example.gov/clinic',
    capacity: '',
    rsvpDeadline: '',
    hosts: 'SectorPulse',
    speakers: '',
    themes: ['big-bang-scope'],
    recap: '',
    ...overrides,
  })

describe('events', () => {
  it('a new event in a followed theme tells followers only once it is published', async () => {
    const [follower] = await people(1)
    const organizer = await insertMember('moderator')
    const theme = await db.selectFrom('taxonomy_terms').select('id').where('slug', '=', 'big-bang-scope').executeTakeFirstOrThrow()
    must(await setFollow(follower.id, 'theme', theme.id, 'watching'))
    const { id } = must(await createEvent(organizer, eventInput()))
    expect(await told(follower)).toEqual([])
    must(await publishEvent(organizer, id))
    expect(await kindsFor(follower)).toEqual(['followed_event'])
  })

  it('a change of time, place or join link tells those going, interested and following; not those not going', async () => {
    const organizer = await insertMember('moderator')
    const [going, interested, notGoing, follower] = await people(4)
    const overrides = { title: 'Vendor management roundtable (changes)' }
    const { id } = must(await createEvent(organizer, eventInput(overrides), { status: 'published' }))
    must(await rsvpToEvent(going, id, 'going'))
    must(await rsvpToEvent(interested, id, 'interested'))
    must(await rsvpToEvent(notGoing, id, 'not-going'))
    must(await setFollow(follower.id, 'event', id, 'watching'))
    // A change nobody needs to act on (the description) tells nobody.
    must(await updateEvent(organizer, id, eventInput({ ...overrides, description: 'Bring two runbooks.' })))
    expect(await told(going)).toEqual([])
    must(await updateEvent(organizer, id, eventInput({ ...overrides, starts: '2030-05-14T11:00', ends: '2030-05-14T13:00', joinUrl: 'https://meet.example.gov/new' })))
    for (const member of [going, interested, follower]) {
      const [changed] = await told(member)
      expect(changed.kind).toBe('event_changed')
      expect(changed.text).toBe('“Vendor management roundtable (changes)” changed: time, join link')
    }
    expect(await told(notGoing)).toEqual([])
  })

  it('cancellation carries the organizer’s message; a draft event cancelled tells nobody', async () => {
    const organizer = await insertMember('moderator')
    const [going] = await people(1)
    const { id } = must(await createEvent(organizer, eventInput(), { status: 'published' }))
    must(await rsvpToEvent(going, id, 'going'))
    must(await cancelEvent(organizer, id, 'The speaker is ill; we will reschedule.'))
    const [cancelled] = await told(going)
    expect(cancelled).toMatchObject({ kind: 'event_cancelled', detail: 'From the organizer: The speaker is ill; we will reschedule.' })
  })

  it('a reminder goes to those going, once, 24 hours before', async () => {
    const organizer = await insertMember('moderator')
    const [going, interested] = await people(2)
    const start = new Date(Date.now() + 20 * 60 * 60 * 1000)
    const local = start.toISOString().slice(0, 16)
    const end = new Date(start.getTime() + 3_600_000).toISOString().slice(0, 16)
    const { id } = must(await createEvent(organizer, eventInput({ timeZone: 'UTC', starts: local, ends: end }), { status: 'published' }))
    must(await rsvpToEvent(going, id, 'going'))
    must(await rsvpToEvent(interested, id, 'interested'))
    expect(await queueEventReminders()).toBeGreaterThanOrEqual(1)
    expect(await queueEventReminders()).toBe(0)
    const [reminder] = await told(going)
    expect(reminder.kind).toBe('event_reminder')
    expect(reminder.text).toMatch(/^Reminder: “Cutover rehearsal clinic \d+” starts /)
    expect(await told(interested)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('email', () => {
  it('queues one held email per notification for immediate kinds, composed again when it goes', async () => {
    const [author, replier] = await people(2)
    const { id } = await thread(author)
    await reply(replier, id, 'The first version of my reply')
    await fanOut()
    const [queued] = await outboxFor(author)
    expect(queued).toMatchObject({ status: 'queued', kind: 'reply', to_address: author.email, thread_key: `thread-${id}` })
    expect(Date.parse(queued.due_at) - clock).toBeGreaterThanOrEqual(9 * 60_000)
    expect(queued.message_id).toMatch(/^<[0-9a-f]{32}@localhost>$/)

    // A second reply while the first email waits changes that email, not the number of emails.
    await reply(replier, id, 'A second reply')
    must(await editPost(replier, await postIdOf(id, 2), 'The edited version of my reply', tick()))
    await fanOut()
    const rows = await outboxFor(author)
    expect(rows).toHaveLength(1)
    const mail = await prepareMail(rows[0])
    expect(mail?.subject).toMatch(/^2 new replies in “/)
    expect(mail?.text).toContain('> The edited version of my reply')
    expect(mail?.html).toContain('<html lang="en-US">')
    expect(readUnsubscribeToken(decodeURIComponent(mail!.unsubscribeUrl!.split('/').pop()!))).toEqual({ userId: author.id, scope: 'reply' })
  })

  it('is not sent once the member has seen it on the site, or no longer wants it right away', async () => {
    const [author, replier, other] = await people(3)
    const { id } = await thread(author)
    await reply(replier, id)
    await fanOut()
    const [row] = await outboxFor(author)
    expect(await prepareMail(row)).not.toBeNull()
    const [notification] = await told(author)
    expect(await openNotification(author.id, notification.id, null)).toBe(notification.href)
    expect(await prepareMail(row)).toBeNull()

    const second = await thread(other)
    await reply(replier, second.id)
    await fanOut()
    const [pending] = await outboxFor(other)
    await saveEmailPreferences(other.id, { reply: 'never' })
    expect(await prepareMail(pending)).toBeNull()
  })

  it('nobody else can open a member’s notification', async () => {
    const [author, replier, stranger] = await people(3)
    const { id } = await thread(author)
    await reply(replier, id)
    const [notification] = await told(author)
    expect(await openNotification(stranger.id, notification.id, null)).toBeNull()
    expect(await countUnreadNotifications(author.id)).toBe(1)
  })

  it('a preference of "never" queues nothing; "daily" waits for the summary', async () => {
    const [author, replier] = await people(2)
    await saveEmailPreferences(author.id, { reply: 'never', mention: 'daily' })
    const { id } = await thread(author)
    await reply(replier, id, `Over to you, @${author.handle}`)
    expect(await kindsFor(author)).toEqual(['mention'])
    expect(await outboxFor(author)).toEqual([])
  })
})

describe('summaries', () => {
  it('the period follows the member’s morning in their own time zone', () => {
    const monday9utc = new Date('2026-11-30T09:00:00Z')
    expect(summaryPeriod('daily', 'UTC', monday9utc)).toBe('2026-11-30')
    expect(summaryPeriod('daily', 'America/New_York', monday9utc)).toBeNull() // 04:00 there
    expect(summaryPeriod('weekly', 'UTC', monday9utc)).toBe('2026-11-30')
    expect(summaryPeriod('weekly', 'America/New_York', monday9utc)).toBeNull()
    expect(summaryPeriod('weekly', 'America/New_York', new Date('2026-12-03T15:00:00Z'))).toBe('2026-11-30')
  })

  it('a summary finds its kinds under a page of newer notifications of other kinds', async () => {
    const [member, replier] = await people(2)
    await db.updateTable('users').set({ password_hash: 'x', time_zone: 'Europe/Berlin' }).where('id', '=', member.id).execute()
    await saveEmailPreferences(member.id, { mention: 'daily' })
    const { id } = await thread(member)
    await reply(replier, id, `A question for @${member.handle}`)
    await fanOut()
    // Twenty-one newer notifications of a kind the summary does not hold (helpful marks, one per post).
    for (let n = 0; n < 21; n++) {
      const other = await thread(member)
      must(await toggleHelpful(replier, await postIdOf(other.id, 1), { now: tick() }))
    }
    await fanOut()
    await queueDueSummaries(new Date(clock + 60_000), 10_000)
    const [summary] = (await outboxFor(member)).filter((row) => row.kind === 'summary_daily')
    expect(summary.subject).toMatch(/: 1 for you/)
    expect(summary.text_body).toContain(`${replier.displayName} mentioned you in`)
  })

  it('a daily summary lists what is new for the member, is sent at most once per period, and not at all when nothing is new', async () => {
    const [author, replier, quiet] = await people(3)
    for (const member of [author, quiet]) {
      await db.updateTable('users').set({ password_hash: 'x', time_zone: 'Europe/London' }).where('id', '=', member.id).execute()
      await saveEmailPreferences(member.id, { reply: 'daily' })
    }
    const { id } = await thread(author)
    await reply(replier, id)
    await fanOut()
    const now = new Date(clock + 60_000)
    await queueDueSummaries(now, 10_000)
    await queueDueSummaries(now, 10_000)
    const summaries = (await outboxFor(author)).filter((row) => row.kind === 'summary_daily')
    expect(summaries).toHaveLength(1)
    expect(summaries[0].subject).toMatch(/^Your daily SectorPulse summary: 1 for you/)
    expect(summaries[0].text_body).toContain('replied in “Who owns the go-live decision')
    expect(summaries[0].html_body).toContain('<h2')
    // A month later nothing is new anywhere: the period is marked done and no email is queued.
    const later = new Date(`${new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)}T12:00:00Z`)
    await queueDueSummaries(later, 10_000)
    expect((await outboxFor(quiet)).filter((row) => row.kind === 'summary_daily')).toHaveLength(1)
    expect((await outboxFor(author)).filter((row) => row.kind === 'summary_daily')).toHaveLength(1)
    const marks = await db.selectFrom('mail_summaries').selectAll().where('user_id', '=', quiet.id).where('frequency', '=', 'daily').execute()
    expect(marks).toHaveLength(2)
    expect(marks.filter((mark) => mark.outbox_id === null)).toHaveLength(1)
  })
})
