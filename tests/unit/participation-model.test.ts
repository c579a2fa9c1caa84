// The participation rule lives in the models: a member whose address is unconfirmed, or who is
// silenced or suspended, is refused by each write that adds content, whichever route calls it,
// with the words the page shows them; nothing is written.
import '../helpers/test-db'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { seedContent } from '../../db/seed'
import { contentToCaseForm } from '../../app/lib/case-form'
import { eventInputSchema } from '../../app/lib/event-fields'
import { PARTICIPATION_REFUSALS } from '../../app/lib/participation'
import { submitCase } from '../../app/models/case-submission.server'
import { createEvent } from '../../app/models/event.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { restrictMember } from '../../app/models/member-moderation.server'
import { flagPost } from '../../app/models/moderation.server'
import { editPost, replyToThread, toggleHelpful } from '../../app/models/post.server'
import { createTeamAssessment } from '../../app/models/team-assessment.server'
import { addTeamComment } from '../../app/models/team-discussion.server'
import { submitTeamAnswers } from '../../app/models/team-results.server'
import { createThread } from '../../app/models/thread.server'
import { insertMember, must, validCaseContent } from '../helpers/model-fixtures'

type Member = Awaited<ReturnType<typeof insertMember>>

let clock = Date.parse('2031-03-01T12:00:00Z')
const tick = () => new Date((clock += 60_000))

let moderator: Member
let author: Member
let threadId: number
let postId: number
let eventId: number
let teamId: number

beforeAll(async () => {
  await seedContent({ includeDemo: false })
  moderator = await insertMember('moderator')
  author = await insertMember()
  threadId = must(
    await createThread(author, { categorySlug: 'governance-and-sponsorship', title: 'Who owns go-live?', body: 'One accountable owner.', tagSlugs: [] }, { now: tick() }),
  ).id
  postId = (await db.selectFrom('posts').select('id').where('thread_id', '=', threadId).executeTakeFirstOrThrow()).id
  const event = eventInputSchema.parse({
    title: 'Roundtable on cutover planning',
    kind: 'roundtable',
    description: 'We compare runbooks.',
    starts: '2040-05-14T10:00',
    ends: '2040-05-14T12:00',
    timeZone: 'America/New_York',
    format: 'virtual',
    joinUrl: 'https://meet.example.gov/cutover',
    hosts: 'SectorPulse team',
    themes: [],
  })
  eventId = must(await createEvent(moderator, event, { status: 'published' })).id
  teamId = must(await createTeamAssessment(author, { projectName: 'Payroll replacement', side: 'program' })).id
})

/** Every content write, attempted by `member`; each returns the model's outcome. */
function writesBy(member: Member) {
  return {
    'start a thread': () =>
      createThread(member, { categorySlug: 'governance-and-sponsorship', title: `Blocked thread ${clock}`, body: `Blocked body ${clock}`, tagSlugs: [] }, { now: tick() }),
    reply: () => replyToThread(member, threadId, `A blocked reply ${clock}`, { now: tick() }),
    'edit a post': () => editPost(member, postId, 'An edit'),
    flag: () => flagPost(member, postId, 'spam', null),
    'mark a post helpful': () => toggleHelpful(member, postId),
    'RSVP going': () => rsvpToEvent(member, eventId, 'going'),
    'RSVP interested': () => rsvpToEvent(member, eventId, 'interested'),
    'submit a case': () => {
      const content = validCaseContent()
      return submitCase(member, null, contentToCaseForm(content), content)
    },
    'start a team assessment': () => createTeamAssessment(member, { projectName: 'Blocked project', side: 'it' }),
  }
}

async function expectRefusedEverywhere(member: Member, refusal: string) {
  const before = await counts()
  for (const [write, attempt] of Object.entries(writesBy(member))) {
    expect({ write, outcome: await attempt() }).toEqual({ write, outcome: { ok: false, status: 403, message: refusal, field: undefined } })
  }
  expect(await counts()).toEqual(before)
}

const counts = async () => ({
  threads: (await db.selectFrom('threads').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  posts: (await db.selectFrom('posts').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  flags: (await db.selectFrom('flags').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  helpful: (await db.selectFrom('post_helpful').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  rsvps: (await db.selectFrom('rsvps').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  cases: (await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  teams: (await db.selectFrom('team_assessments').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
})

describe('a member who may not take part is refused by the model itself', () => {
  it('refuses a member whose address is not confirmed', async () => {
    const member = await insertMember()
    await db.updateTable('users').set({ email_verified_at: null }).where('id', '=', member.id).execute()
    await expectRefusedEverywhere(member, PARTICIPATION_REFUSALS.unverified)
  })

  it('refuses a silenced member, from the moment the moderator decides', async () => {
    const member = await insertMember()
    must(await restrictMember(moderator, member.id, { measure: 'silence', days: 7, reason: 'Cooling off' }))
    await expectRefusedEverywhere(member, PARTICIPATION_REFUSALS.silenced)
  })

  it('refuses a suspended member', async () => {
    const member = await insertMember()
    must(await restrictMember(moderator, member.id, { measure: 'suspend', days: null, reason: 'Repeated personal attacks' }))
    await expectRefusedEverywhere(member, PARTICIPATION_REFUSALS.suspended)
  })

  it('lets a member who may only read take back what they gave: their helpful mark and their place', async () => {
    const member = await insertMember()
    must(await toggleHelpful(member, postId))
    must(await rsvpToEvent(member, eventId, 'going'))
    must(await restrictMember(moderator, member.id, { measure: 'silence', days: 7, reason: 'Cooling off' }))
    expect(await toggleHelpful(member, postId)).toEqual({ ok: true, value: { marked: false } })
    expect(await db.selectFrom('post_helpful').select('user_id').where('post_id', '=', postId).where('user_id', '=', member.id).execute()).toEqual([])
    expect(await rsvpToEvent(member, eventId, 'not-going')).toMatchObject({ ok: true, value: { status: 'not-going' } })
    // Taking part again is still refused.
    expect(await rsvpToEvent(member, eventId, 'going')).toMatchObject({ ok: false, status: 403, message: PARTICIPATION_REFUSALS.silenced })
  })

  it('refuses a team participant who is silenced after joining, and lets a member in good standing write', async () => {
    const question = { key: 'sponsor', area: 'Governance' }
    // Only whoever has answered the current round takes part in its discussion (no anchoring).
    const slugs = await db.selectFrom('readiness_questions').select('slug').execute()
    must(await submitTeamAnswers(author, teamId, slugs.map(({ slug }) => ({ questionSlug: slug, level: 2, note: null }))))
    must(await addTeamComment(author, teamId, question, 'We have a named sponsor.'))
    must(await restrictMember(moderator, author.id, { measure: 'silence', days: 1, reason: 'Cooling off' }))
    expect(await addTeamComment(author, teamId, question, 'Another comment')).toMatchObject({ ok: false, status: 403, message: PARTICIPATION_REFUSALS.silenced })
  })
})
