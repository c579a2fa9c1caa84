// Member profiles and finding peers, against a real SQLite database: handle history and
// reservations, mentions of old handles, the directory's filters, members who have been there,
// and what deleting an account leaves behind.
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { seedContent } from '../../db/seed'
import { MAX_RESERVED_HANDLES } from '../../app/lib/handle-rules'
import { hashPassword } from '../../app/lib/password.server'
import { memberProfileSchema } from '../../app/lib/user-validation'
import { deleteAccount } from '../../app/models/account-deletion.server'
import { rsvpToEvent } from '../../app/models/event-rsvp.server'
import { listDirectory, membersWhoHaveBeenThere } from '../../app/models/member-directory.server'
import { findMemberByHandle, updateMemberProfile } from '../../app/models/member-profile.server'
import { renderPostBody } from '../../app/models/post-body.server'
import { toggleCaseReaction } from '../../app/models/case-reactions.server'
import { insertMember, must } from '../helpers/model-fixtures'

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

const profile = (member: { handle: string; displayName: string }, overrides: Record<string, unknown> = {}) =>
  memberProfileSchema.parse({
    displayName: member.displayName,
    handle: member.handle,
    memberType: 'practitioner',
    governmentLevel: 'local',
    listed: 'yes',
    ...overrides,
  })

const directory = (overrides: Partial<Parameters<typeof listDirectory>[0]> = {}) =>
  listDirectory({ q: '', memberType: null, level: null, verified: false, mode: null, domain: null, page: 1, ...overrides })

describe('handles', () => {
  it('keeps an old handle pointing at its member, reserved from everyone else until the reservation ends', async () => {
    const member = await insertMember()
    const other = await insertMember()
    must(await updateMemberProfile(member.id, profile(member, { handle: `${member.handle}-new` })))
    expect(await findMemberByHandle(member.handle)).toEqual({ movedTo: `${member.handle}-new` })

    expect(await updateMemberProfile(other.id, profile(other, { handle: member.handle }))).toMatchObject({ ok: false, status: 409, field: 'handle' })

    // Once the reservation has run out, the handle is free, and the old redirect stops.
    await db.updateTable('handle_history').set({ reserved_until: new Date(Date.now() - 1000).toISOString() }).where('handle', '=', member.handle).execute()
    must(await updateMemberProfile(other.id, profile(other, { handle: member.handle })))
    const found = await findMemberByHandle(member.handle)
    expect(found && 'profile' in found ? found.profile.id : null).toBe(other.id)
  })

  it(`holds at most ${MAX_RESERVED_HANDLES} old handles per member`, async () => {
    const member = await insertMember()
    for (let n = 1; n <= MAX_RESERVED_HANDLES; n++) {
      must(await updateMemberProfile(member.id, profile(member, { handle: `${member.handle}-v${n}` })))
    }
    expect(await updateMemberProfile(member.id, profile(member, { handle: `${member.handle}-again` }))).toMatchObject({ ok: false, status: 409 })
    // Going back to an earlier handle is always allowed.
    must(await updateMemberProfile(member.id, profile(member, { handle: member.handle })))
    expect(await findMemberByHandle(`${member.handle}-v${MAX_RESERVED_HANDLES}`)).toEqual({ movedTo: member.handle })
  })

  it("renders a new mention of an old handle as a link to the member's current profile, and counts it as a mention of them", async () => {
    const member = await insertMember()
    must(await updateMemberProfile(member.id, profile(member, { handle: `${member.handle}-now` })))
    const { html, mentionedUserIds } = await renderPostBody(db, `Ask @${member.handle} and @nobody-here-at-all.`, 'reply')
    expect(html).toContain(`<a class="mention" href="/members/${member.handle}-now" rel="nofollow ugc noopener">@${member.handle}</a>`)
    expect(html).toContain('@nobody-here-at-all')
    expect(mentionedUserIds).toEqual([member.id])
  })
})

describe('the directory and members who have been there', () => {
  it('lists only listed, live members, and treats search text literally', async () => {
    const listed = await insertMember('member', { displayName: 'Percent 100% Person' })
    const unlisted = await insertMember('member', { displayName: 'Percent 100% Hidden' })
    must(await updateMemberProfile(unlisted.id, profile(unlisted, { listed: undefined })))
    const names = (await directory({ q: '100%' })).members.map((m) => m.handle)
    expect(names).toContain(listed.handle)
    expect(names).not.toContain(unlisted.handle)
    expect((await directory({ q: '1_0' })).members).toEqual([])
  })

  it('finds members who list the failure mode or saw a case of it, listing first, never unlisted or deleted ones', async () => {
    const mode = 'unmanaged-risks'
    const lists = await insertMember()
    const saw = await insertMember()
    const unlisted = await insertMember()
    must(await updateMemberProfile(lists.id, profile(lists, { experience: [mode] })))
    must(await updateMemberProfile(unlisted.id, profile(unlisted, { experience: [mode], listed: undefined })))
    const publishedCase = await db
      .selectFrom('cases as c')
      .innerJoin('case_failure_modes as f', 'f.case_id', 'c.id')
      .innerJoin('taxonomy_terms as t', 't.id', 'f.term_id')
      .select('c.id')
      .where('t.slug', '=', mode)
      .where('c.status', '=', 'published')
      .executeTakeFirstOrThrow()
    must(await toggleCaseReaction(saw, publishedCase.id, 'seen'))

    const peers = await membersWhoHaveBeenThere([mode], 50)
    const handles = peers.map((p) => p.handle)
    expect(handles).toContain(lists.handle)
    expect(handles).toContain(saw.handle)
    expect(handles).not.toContain(unlisted.handle)
    expect(handles.indexOf(lists.handle)).toBeLessThan(handles.indexOf(saw.handle))
    expect(peers.find((p) => p.handle === saw.handle)).toMatchObject({ listsExperience: false, sawItToo: true })
    expect(await membersWhoHaveBeenThere([], 5)).toEqual([])
  })
})

describe('deleteAccount', () => {
  it('leaves a tombstone with no personal data, frees the RSVP place for the first member waiting, and cannot run twice', async () => {
    const member = await insertMember('member', { organization: 'Identifiable office' })
    await db.updateTable('users').set({ password_hash: await hashPassword('a long enough password') }).where('id', '=', member.id).execute()
    const waiting = await insertMember()
    const now = new Date().toISOString()
    const { id: eventId } = await db
      .insertInto('events')
      .values({
        slug: 'one-seat',
        title: 'One seat',
        kind: 'roundtable',
        description_md: 'x',
        description_html: '<p>x</p>',
        starts_at: '2031-01-01T10:00:00.000Z',
        ends_at: '2031-01-01T11:00:00.000Z',
        time_zone: 'UTC',
        format: 'virtual',
        capacity: 1,
        hosts: '',
        speakers: '',
        status: 'published',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    must(await rsvpToEvent(member, eventId, 'going'))
    expect(must(await rsvpToEvent(waiting, eventId, 'going')).status).toBe('waitlisted')

    expect(await deleteAccount(member.id, 'wrong password here', 'keep')).toMatchObject({ ok: false, status: 400, field: 'password' })
    must(await deleteAccount(member.id, 'a long enough password', 'keep'))

    const row = await db.selectFrom('users').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ display_name: 'A former member', password_hash: null, organization: null, listed_in_directory: 0 })
    expect(JSON.stringify(row)).not.toContain(member.handle)
    expect(JSON.stringify(row)).not.toContain(member.email)
    const seat = await db.selectFrom('rsvps').select('status').where('event_id', '=', eventId).where('user_id', '=', waiting.id).executeTakeFirstOrThrow()
    expect(seat.status).toBe('going')
    expect(await deleteAccount(member.id, 'a long enough password', 'remove')).toMatchObject({ ok: false, status: 404 })
  })
})
