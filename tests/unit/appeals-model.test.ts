// Member standing and appeals: who may silence or suspend whom, what the member is told, how an
// appeal is decided by someone else, and flags from new accounts.
import '../helpers/test-db'
import { beforeAll, describe, expect, it } from 'vitest'
import { db, writeTransaction } from '../../db/client'
import { seedContent } from '../../db/seed'
import { appealPath } from '../../app/lib/appeal-link.server'
import { contentToCaseForm } from '../../app/lib/case-form'
import { INDEFINITELY, participationBlock } from '../../app/lib/participation'
import { recordActivity } from '../../app/models/activity.server'
import { decideAppeal, fileAppeal, getDecision, listMemberDecisions, listOpenAppeals } from '../../app/models/appeal.server'
import { getCaseForEditing, listCasesForReview, returnCase, submitCase } from '../../app/models/case-submission.server'
import { changeRole, liftMeasure, measureInForce, restrictMember } from '../../app/models/member-moderation.server'
import { flagPost, listOpenFlags, setPostHidden } from '../../app/models/moderation.server'
import { fanOutPendingActivities } from '../../app/models/notification-fanout.server'
import { listNotifications } from '../../app/models/notification.server'
import { replyToThread } from '../../app/models/post.server'
import { createThread } from '../../app/models/thread.server'
import { insertMember, must, validCaseContent } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

let clock = Date.parse('2026-10-01T12:00:00Z')
const tick = () => new Date((clock += 60_000))
type Member = Awaited<ReturnType<typeof insertMember>>

async function hiddenReply(moderator: Member) {
  const author = await insertMember()
  const replier = await insertMember()
  const thread = must(
    await createThread(author, { categorySlug: 'governance-and-sponsorship', title: `Steering committees ${clock}`, body: `Who decides go-live ${clock}?`, tagSlugs: [] }, { now: tick() }),
  )
  must(await replyToThread(replier, thread.id, `A reply that names a colleague ${clock}`, { now: tick() }))
  const post = await db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).where('number', '=', 2).executeTakeFirstOrThrow()
  must(await setPostHidden(moderator, post.id, true, 'Names a colleague'))
  const [decision] = await listMemberDecisions(replier.id)
  return { replier, postId: post.id, decision }
}

const establish = (members: Member[]) =>
  db.updateTable('users').set({ created_at: new Date(Date.now() - 2 * 86_400_000).toISOString() }).where('id', 'in', members.map((m) => m.id)).execute()
const userRow = (id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

async function told(memberId: number) {
  while ((await fanOutPendingActivities({ limit: 100 })) > 0) {
    // until every recorded activity is a notification
  }
  return (await listNotifications(memberId)).notifications
}

describe('silence and suspend', () => {
  it('moderators act on members; only admins on moderators; nobody on an admin or on themselves', async () => {
    const [member, moderator, otherModerator, admin, otherAdmin] = [
      await insertMember(),
      await insertMember('moderator'),
      await insertMember('moderator'),
      await insertMember('admin'),
      await insertMember('admin'),
    ]
    const silence = { measure: 'silence' as const, days: 1, reason: 'Cooling off' }
    expect(await restrictMember(member, otherModerator.id, silence)).toMatchObject({ ok: false, status: 403 })
    expect(await restrictMember(moderator, otherModerator.id, silence)).toMatchObject({ ok: false, status: 403, message: 'Only an admin can act on a moderator.' })
    expect(await restrictMember(moderator, moderator.id, silence)).toMatchObject({ ok: false, status: 403 })
    expect(await restrictMember(moderator, admin.id, silence)).toMatchObject({ ok: false, status: 403 })
    expect(await restrictMember(admin, otherAdmin.id, silence)).toMatchObject({ ok: false, status: 403 })
    must(await restrictMember(admin, otherModerator.id, silence))
    must(await restrictMember(moderator, member.id, silence))
    expect(participationBlock(await userRow(member.id))).toMatchObject({ kind: 'silenced' })
    expect(await changeRole(moderator, member.id, 'moderator', 'Helps a lot')).toMatchObject({ ok: false, status: 403 })
    must(await changeRole(admin, member.id, 'moderator', 'Helps a lot'))
    expect((await userRow(member.id)).role).toBe('moderator')
  })

  it('suspending signs the member out everywhere; the measure ends on expiry with no job, or when lifted', async () => {
    const [member, moderator] = [await insertMember(), await insertMember('moderator')]
    const now = new Date()
    await db.insertInto('sessions').values({ id: `s-${member.id}`, user_id: member.id, expires_at: new Date(now.getTime() + 86_400_000).toISOString(), created_at: now.toISOString() }).execute()
    const { decisionId } = must(await restrictMember(moderator, member.id, { measure: 'suspend', days: 3, reason: 'Repeated personal attacks' }, now))
    expect(await db.selectFrom('sessions').select('id').where('user_id', '=', member.id).execute()).toEqual([])
    expect(await measureInForce(member.id, 'suspend', now)).toMatchObject({ reason: 'Repeated personal attacks', decisionId })
    expect(await measureInForce(member.id, 'suspend', new Date(now.getTime() + 4 * 86_400_000))).toBeNull()
    must(await liftMeasure(moderator, member.id, 'suspend', 'Apologized', now))
    expect(await measureInForce(member.id, 'suspend')).toBeNull()
    expect(await liftMeasure(moderator, member.id, 'suspend', 'Again')).toMatchObject({ ok: false, status: 409 })
    const log = await db.selectFrom('moderation_log').select(['action', 'reason', 'actor_id']).where('member_id', '=', member.id).orderBy('id').execute()
    expect(log).toEqual([
      { action: 'suspend', reason: 'Repeated personal attacks', actor_id: moderator.id },
      { action: 'lift-suspension', reason: 'Apologized', actor_id: moderator.id },
    ])
  })

  it('an indefinite silence has no end, and the member is told who decided and why', async () => {
    const [member, moderator] = [await insertMember(), await insertMember('moderator', { displayName: 'Maya Moderator' })]
    must(await restrictMember(moderator, member.id, { measure: 'silence', days: null, reason: 'Posting residents’ data' }))
    expect((await userRow(member.id)).silenced_until).toBe(INDEFINITELY)
    const [notice] = await told(member.id)
    expect(notice.kind).toBe('member_restricted')
    expect(notice.text).toBe('Maya Moderator, a moderator, silenced your account indefinitely')
    expect(notice.detail).toBe('Reason: Posting residents’ data')
    expect(notice.nextStep).toContain('a different moderator')
    expect(notice.href).toMatch(/^\/appeal\//)
  })
})

describe('appeals', () => {
  it('the member appeals once; the deciding moderator cannot decide it; another overturns it and the post is shown again', async () => {
    const [deciding, other] = [await insertMember('moderator', { displayName: 'Dana Decider' }), await insertMember('moderator', { displayName: 'Olu Other' })]
    const { replier, postId, decision } = await hiddenReply(deciding)
    expect(decision).toMatchObject({ action: 'hide', decidedBy: 'Dana Decider', reason: 'Names a colleague', appealable: true, appeal: null })

    const { appealId } = must(await fileAppeal(decision.id, 'The colleague named is me, writing about my own project.'))
    expect(await fileAppeal(decision.id, 'Again, the colleague named is me.')).toMatchObject({ ok: false, status: 409 })
    expect((await listOpenAppeals()).map((appeal) => appeal.id)).toContain(appealId)

    expect(await decideAppeal(deciding, appealId, 'overturn', 'Fair')).toMatchObject({ ok: false, status: 403 })
    expect(await decideAppeal(replier, appealId, 'overturn', 'Fair')).toMatchObject({ ok: false, status: 403 })
    must(await decideAppeal(other, appealId, 'overturn', 'The name is the author’s own'))
    expect(await decideAppeal(other, appealId, 'uphold', 'Changed my mind')).toMatchObject({ ok: false, status: 409 })

    expect((await db.selectFrom('posts').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow()).hidden_at).toBeNull()
    const after = await getDecision(decision.id)
    expect(after?.appeal).toMatchObject({ status: 'overturned', decidedBy: 'Olu Other', outcomeReason: 'The name is the author’s own' })
    expect(after?.appealable).toBe(false)
    const kinds = (await told(replier.id)).map((n) => n.kind)
    expect(kinds).toContain('appeal_decided')
    expect(kinds).toContain('post_restored')
    const logged = await db.selectFrom('moderation_log').select(['action', 'actor_id']).where('member_id', '=', replier.id).orderBy('id').execute()
    expect(logged.at(-1)).toEqual({ action: 'appeal-overturned', actor_id: other.id })
  })

  it('upholding keeps the decision; overturning a silence lifts it', async () => {
    const [member, deciding, other] = [await insertMember(), await insertMember('moderator'), await insertMember('moderator')]
    const { decisionId } = must(await restrictMember(deciding, member.id, { measure: 'silence', days: 7, reason: 'Heated thread' }))
    const { appealId } = must(await fileAppeal(decisionId, 'I was quoting the vendor, not attacking anyone.'))
    must(await decideAppeal(other, appealId, 'overturn', 'Quoted, not meant'))
    expect(participationBlock(await userRow(member.id))).toBeNull()

    const { replier, postId, decision } = await hiddenReply(deciding)
    const upheld = must(await fileAppeal(decision.id, 'I think the post was fine as it was.'))
    must(await decideAppeal(other, upheld.appealId, 'uphold', 'It names a colleague'))
    expect((await db.selectFrom('posts').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow()).hidden_at).not.toBeNull()
    const [notice] = (await told(replier.id)).filter((n) => n.kind === 'appeal_decided')
    expect(notice.text).toContain('upheld the decision')
  })

  it('a decision that no longer stands cannot be appealed', async () => {
    const moderator = await insertMember('moderator')
    const { postId, decision } = await hiddenReply(moderator)
    must(await setPostHidden(moderator, postId, false, 'Second look'))
    expect(await fileAppeal(decision.id, 'Please show my post again, it was fine.')).toMatchObject({ ok: false, status: 409 })
  })
})

describe('a returned case', () => {
  async function submittedCase(author: Member) {
    // Terms from the seeded content this file loads.
    const content = validCaseContent({
      domain: 'benefits-and-eligibility',
      primaryFailureMode: { slug: 'big-bang-scope', how: 'One cutover for every county' },
      contributingFailureModes: [],
      phases: ['go-live-and-cutover'],
    })
    const { id } = must(await submitCase(author, null, contentToCaseForm(content), content))
    return { id, content }
  }
  const resubmit = (author: Member, theCase: Awaited<ReturnType<typeof submittedCase>>) =>
    submitCase(author, theCase.id, contentToCaseForm(theCase.content), theCase.content)
  const caseRow = (id: number) => db.selectFrom('cases').select(['status', 'review_feedback']).where('id', '=', id).executeTakeFirstOrThrow()

  it('tells the author who returned it and why, with an appeal link; only another moderator decides; overturning sends it back to review', async () => {
    const [deciding, other, author] = [
      await insertMember('moderator', { displayName: 'Rae Reviewer' }),
      await insertMember('moderator', { displayName: 'Olu Other' }),
      await insertMember(),
    ]
    const theCase = await submittedCase(author)
    must(await returnCase(deciding, theCase.id, 'Add a public source for the cost figures.'))

    const [decision] = await listMemberDecisions(author.id)
    expect(decision).toMatchObject({
      action: 'case-return',
      decidedBy: 'Rae Reviewer',
      reason: 'Add a public source for the cost figures.',
      appealable: true,
      subject: { label: `Case “${theCase.content.title}”`, href: `/cases/submissions/${theCase.id}` },
    })
    const [notice] = (await told(author.id)).filter((n) => n.kind === 'case_returned')
    expect(notice.text).toBe(`Rae Reviewer, a moderator, returned your case “${theCase.content.title}” with feedback`)
    expect(notice.detail).toBe('Feedback: Add a public source for the cost figures.')
    expect(notice.nextStep).toContain('a different moderator')
    expect(notice.href).toBe(appealPath(decision.id))
    expect(must(await getCaseForEditing(author, theCase.id)).returned).toEqual({ decidedBy: 'Rae Reviewer', decisionId: decision.id, appealStatus: null })

    const { appealId } = must(await fileAppeal(decision.id, 'The cost figures come from the state audit already listed as a source.'))
    expect(must(await getCaseForEditing(author, theCase.id)).returned?.appealStatus).toBe('open')
    expect(await decideAppeal(deciding, appealId, 'overturn', 'Fair')).toMatchObject({ ok: false, status: 403 })
    must(await decideAppeal(other, appealId, 'overturn', 'The audit is cited; the case is ready for review'))

    expect(await caseRow(theCase.id)).toEqual({ status: 'submitted', review_feedback: null })
    expect((await listCasesForReview()).map((item) => item.id)).toContain(theCase.id)
    const [outcome] = (await told(author.id)).filter((n) => n.kind === 'appeal_decided')
    expect(outcome.text).toBe('Olu Other, a moderator, accepted your appeal: the decision is reversed')
    expect(outcome.detail).toBe('Reason: The audit is cited; the case is ready for review')
    const logged = await db.selectFrom('moderation_log').select(['action', 'actor_id', 'case_id', 'details']).where('member_id', '=', author.id).orderBy('id').execute()
    expect(logged).toEqual([
      { action: 'case-return', actor_id: deciding.id, case_id: theCase.id, details: null },
      { action: 'appeal-overturned', actor_id: other.id, case_id: theCase.id, details: `Appeal of decision #${decision.id} (Returned case to its author)` },
    ])
  })

  it('upholding keeps it returned and tells the author; only the latest return of a case can be appealed', async () => {
    const [deciding, other, author] = [await insertMember('moderator'), await insertMember('moderator'), await insertMember()]
    const theCase = await submittedCase(author)
    must(await returnCase(deciding, theCase.id, 'Name the agency.'))
    must(await resubmit(author, theCase))
    must(await returnCase(deciding, theCase.id, 'Add the year of go-live.'))

    const [latest, earlier] = await listMemberDecisions(author.id)
    expect([latest.reason, latest.appealable, earlier.reason, earlier.appealable]).toEqual(['Add the year of go-live.', true, 'Name the agency.', false])
    expect(await fileAppeal(earlier.id, 'The agency was named in the first paragraph.')).toMatchObject({ ok: false, status: 409 })

    const { appealId } = must(await fileAppeal(latest.id, 'The years field already says when it went live.'))
    must(await decideAppeal(other, appealId, 'uphold', 'The years field is a range; readers need the go-live year'))
    expect(await caseRow(theCase.id)).toEqual({ status: 'returned', review_feedback: 'Add the year of go-live.' })
    expect((await getDecision(latest.id))?.appeal).toMatchObject({ status: 'upheld', decidedBy: expect.any(String), outcomeReason: 'The years field is a range; readers need the go-live year' })
    const [outcome] = (await told(author.id)).filter((n) => n.kind === 'appeal_decided')
    expect(outcome.text).toContain('upheld the decision')
    const logged = await db.selectFrom('moderation_log').select(['action', 'actor_id']).where('member_id', '=', author.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(logged).toEqual({ action: 'appeal-upheld', actor_id: other.id })
  })

  it('cannot be overturned once its author has resubmitted it; upholding still answers the appeal', async () => {
    const [deciding, other, author] = [await insertMember('moderator'), await insertMember('moderator'), await insertMember()]
    const theCase = await submittedCase(author)
    must(await returnCase(deciding, theCase.id, 'Add a source.'))
    const [decision] = await listMemberDecisions(author.id)
    const { appealId } = must(await fileAppeal(decision.id, 'The source is in the notes section already.'))
    must(await resubmit(author, theCase))
    expect(await decideAppeal(other, appealId, 'overturn', 'Fair')).toMatchObject({ ok: false, status: 409 })
    expect((await getDecision(decision.id))?.appeal?.status).toBe('open')
    must(await decideAppeal(other, appealId, 'uphold', 'Resubmitted meanwhile; it is in review again'))
    expect((await caseRow(theCase.id)).status).toBe('submitted')
  })

  it('a return recorded before returns carried their decision still tells the author who, linking to the case', async () => {
    const [moderator, author] = [await insertMember('moderator', { displayName: 'Pat Past' }), await insertMember()]
    const theCase = await submittedCase(author)
    await writeTransaction(async (trx) => {
      await trx.updateTable('cases').set({ status: 'returned', review_feedback: 'Older feedback' }).where('id', '=', theCase.id).execute()
      await recordActivity(trx, { kind: 'case_returned', actorId: moderator.id, caseId: theCase.id, feedback: 'Older feedback' })
    })
    const [notice] = await told(author.id)
    expect(notice).toMatchObject({ kind: 'case_returned', text: `Pat Past, a moderator, returned your case “${theCase.content.title}” with feedback`, href: `/cases/submissions/${theCase.id}` })
  })
})

describe('flags from new accounts', () => {
  it('are recorded and shown to moderators but never hide a post by themselves', async () => {
    const moderator = await insertMember('moderator')
    const author = await insertMember()
    const thread = must(
      await createThread(author, { categorySlug: 'governance-and-sponsorship', title: `Flag limits ${clock}`, body: `A post to flag ${clock}`, tagSlugs: [] }, { now: tick() }),
    )
    const post = await db.selectFrom('posts').select('id').where('thread_id', '=', thread.id).executeTakeFirstOrThrow()
    const newcomers = [await insertMember(), await insertMember(), await insertMember()]
    for (const newcomer of newcomers) expect(must(await flagPost(newcomer, post.id, 'spam', null)).hidden).toBe(false)
    const unverified = await insertMember()
    await establish([unverified])
    await db.updateTable('users').set({ email_verified_at: null }).where('id', '=', unverified.id).execute()
    expect(await flagPost(unverified, post.id, 'spam', null)).toMatchObject({ ok: false, status: 403 })
    const queued = (await listOpenFlags()).find((item) => item.postId === post.id)
    expect(queued?.flags).toHaveLength(3)
    expect(queued?.flags.every((flag) => !flag.counts)).toBe(true)

    const established = [await insertMember(), await insertMember(), await insertMember()]
    await establish(established)
    expect(must(await flagPost(established[0], post.id, 'spam', null)).hidden).toBe(false)
    expect(must(await flagPost(established[1], post.id, 'spam', null)).hidden).toBe(false)
    expect(must(await flagPost(established[2], post.id, 'spam', null)).hidden).toBe(true)
    void moderator
  })
})
