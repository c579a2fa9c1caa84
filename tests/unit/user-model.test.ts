import { describe, it, expect } from 'vitest'
import { db } from '../../db/client'
import { refuseDeletes } from '../helpers/model-fixtures'
import { verifyPassword } from '../../app/lib/password.server'
import { joinSchema } from '../../app/lib/user-validation'
import { createSession, generateSessionToken, sessionIdFromToken, validateSessionToken } from '../../app/models/session.server'
import {
  changePassword,
  createOrPromoteAccount,
  ensureInitialAdmin,
  getPublicProfile,
  joinAsMember,
  upsertDemoMember,
  verifyLogin,
} from '../../app/models/user.server'

const ARGON2ID_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$'
let counter = 0

/** A join form as the route would receive it (parsed by joinSchema), with a unique email and handle. */
function joinInput(overrides: Record<string, unknown> = {}) {
  const n = ++counter
  return joinSchema.parse({
    displayName: `Member ${n}`,
    memberType: 'leader',
    organization: 'Department of Motor Vehicles',
    governmentLevel: 'state',
    email: `member${n}@dmv.example.gov`,
    handle: `member-${n}`,
    password: `a long password number ${n}`,
    acceptGuidelines: 'on',
    ...overrides,
  })
}

async function join(overrides: Record<string, unknown> = {}) {
  const input = joinInput(overrides)
  const result = await joinAsMember(input)
  if (!result.ok || result.userId === null) throw new Error('join failed')
  return { ...input, userId: result.userId }
}

function userRow(id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function newSession(userId: number) {
  const token = generateSessionToken()
  await createSession(token, userId)
  return { token, id: sessionIdFromToken(token) }
}

async function sessionIdsOf(userId: number): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('id').execute()
  return rows.map((r) => r.id)
}

const countUsers = async () => Number((await db.selectFrom('users').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

describe('joinAsMember', () => {
  it('creates a member with role "member" and an argon2id hash of the password', async () => {
    const input = joinInput({ email: ' New.Member@DMV.example.gov ', handle: 'New_Member' })
    const result = await joinAsMember(input)
    expect(result.ok).toBe(true)
    if (!result.ok || result.userId === null) return
    const row = await userRow(result.userId)
    expect(row).toMatchObject({
      email: 'new.member@dmv.example.gov',
      handle: 'new_member',
      display_name: input.displayName,
      role: 'member',
      member_type: 'leader',
      organization: 'Department of Motor Vehicles',
      government_level: 'state',
      is_demo: 0,
      email_verified_at: null,
    })
    expect(row.password_hash).toMatch(new RegExp(`^${ARGON2ID_PREFIX.replace(/\$/g, '\\$')}`))
    expect(row.password_hash).not.toContain(input.password)
    expect(await verifyPassword(row.password_hash!, input.password)).toBe(true)
  })

  it('answers an address that already has an account as it answers a new one, creates nothing and tells the owner', async () => {
    const first = await join()
    const before = await countUsers()
    const result = await joinAsMember(joinInput({ email: first.email.toUpperCase() }))
    expect(result).toEqual({ ok: true, userId: null })
    expect(await countUsers()).toBe(before)
    const mail = await db.selectFrom('mail_outbox').select(['kind', 'subject']).where('to_address', '=', first.email).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(mail).toEqual({ kind: 'join-attempt', subject: 'Someone tried to join SectorPulse with your address' })
    // The original account is untouched.
    expect(await verifyLogin(first.email, first.password)).toBe(first.userId)
  })

  it('refuses a handle that is taken, naming the handle field', async () => {
    const first = await join()
    const before = await countUsers()
    const result = await joinAsMember(joinInput({ handle: first.handle.toUpperCase() }))
    expect(result).toMatchObject({ ok: false, field: 'handle' })
    expect(await countUsers()).toBe(before)
  })

  it('a demo member\'s handle is taken too', async () => {
    await upsertDemoMember({
      handle: 'demo-holder',
      displayName: 'Demo Holder',
      memberType: 'advisor',
      organization: null,
      governmentLevel: 'federal',
      joined: '2026-01-01T00:00:00.000Z',
    })
    expect(await joinAsMember(joinInput({ handle: 'demo-holder' }))).toMatchObject({ ok: false, field: 'handle' })
  })
})

describe('verifyLogin', () => {
  it('returns the member id for the right password and null otherwise', async () => {
    const member = await join()
    expect(await verifyLogin(member.email, member.password)).toBe(member.userId)
    expect(await verifyLogin(member.email, `${member.password}x`)).toBeNull()
    expect(await verifyLogin(member.email, '')).toBeNull()
    expect(await verifyLogin('nobody@dmv.example.gov', member.password)).toBeNull()
  })

  it('nobody can sign in as a demo member, whatever the password', async () => {
    await upsertDemoMember({
      handle: 'demo-login',
      displayName: 'Demo Login',
      memberType: 'partner',
      organization: 'Vendor',
      governmentLevel: 'not-government',
      joined: '2026-02-01T00:00:00.000Z',
    })
    const demo = await db.selectFrom('users').selectAll().where('handle', '=', 'demo-login').executeTakeFirstOrThrow()
    expect(demo.password_hash).toBeNull()
    expect(demo.is_demo).toBe(1)
    for (const password of ['', 'null', 'a long password number 1', demo.email]) {
      expect(await verifyLogin(demo.email, password)).toBeNull()
    }
  })
})

describe('changePassword', () => {
  it('with the wrong current password: refused, hash and sessions unchanged', async () => {
    const member = await join()
    const keep = await newSession(member.userId)
    const other = await newSession(member.userId)
    const hashBefore = (await userRow(member.userId)).password_hash

    const result = await changePassword(member.userId, keep.id, 'not my password', 'a brand new password')
    expect(result).toEqual({ ok: false, message: 'Your current password is not correct' })
    expect((await userRow(member.userId)).password_hash).toBe(hashBefore)
    expect(await verifyLogin(member.email, 'a brand new password')).toBeNull()
    expect(await verifyLogin(member.email, member.password)).toBe(member.userId)
    expect(await sessionIdsOf(member.userId)).toEqual([keep.id, other.id].sort())
  })

  it('with the right one: the new password works, the old does not, only the kept session survives', async () => {
    const member = await join()
    const bystander = await join()
    const keep = await newSession(member.userId)
    const stolen = await newSession(member.userId)
    const bystanderSession = await newSession(bystander.userId)

    const result = await changePassword(member.userId, keep.id, member.password, 'a brand new password')
    expect(result).toEqual({ ok: true })
    expect(await verifyLogin(member.email, 'a brand new password')).toBe(member.userId)
    expect(await verifyLogin(member.email, member.password)).toBeNull()
    expect((await userRow(member.userId)).password_hash).toMatch(/^\$argon2id\$/)

    expect(await sessionIdsOf(member.userId)).toEqual([keep.id])
    expect(await validateSessionToken(keep.token)).not.toBeNull()
    expect(await validateSessionToken(stolen.token)).toBeNull()
    expect(await validateSessionToken(bystanderSession.token)).not.toBeNull()
  })

  it('is all-or-nothing: if ending the other sessions fails, the password is not changed either', async () => {
    const member = await join()
    const keep = await newSession(member.userId)
    const stolen = await newSession(member.userId)
    const hashBefore = (await userRow(member.userId)).password_hash

    // A real failure inside the database, part-way through the transaction (after the password update).
    const allowDeletes = await refuseDeletes('sessions', 'sessions are locked')
    try {
      await expect(changePassword(member.userId, keep.id, member.password, 'a brand new password')).rejects.toThrow(
        /sessions are locked/,
      )
    } finally {
      await allowDeletes()
    }
    expect((await userRow(member.userId)).password_hash).toBe(hashBefore)
    expect(await verifyLogin(member.email, member.password)).toBe(member.userId)
    expect(await sessionIdsOf(member.userId)).toEqual([keep.id, stolen.id].sort())
  })
})

describe('createOrPromoteAccount', () => {
  it('creates an account with a generated password of at least 20 characters that signs in', async () => {
    const result = await createOrPromoteAccount({ email: '  Ops.Lead@Agency.example.GOV ', role: 'moderator' })
    expect(result.created).toBe(true)
    expect(result.generatedPassword).toBeDefined()
    expect(result.generatedPassword!.length).toBeGreaterThanOrEqual(20)
    expect(await verifyLogin('ops.lead@agency.example.gov', result.generatedPassword!)).toBe(result.userId)
    const row = await userRow(result.userId)
    expect(row).toMatchObject({ email: 'ops.lead@agency.example.gov', role: 'moderator', is_demo: 0 })
    expect(row.handle).toMatch(/^[a-z0-9][a-z0-9_-]{2,29}$/)
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)

    // Two generated passwords are never the same.
    const second = await createOrPromoteAccount({ email: 'ops.lead2@agency.example.gov', role: 'member' })
    expect(second.generatedPassword).not.toBe(result.generatedPassword)
  })

  it('creates with the given password and generates none', async () => {
    const result = await createOrPromoteAccount({
      email: 'given@agency.example.gov',
      role: 'member',
      password: 'an operator chosen password',
    })
    expect(result).toMatchObject({ created: true })
    expect(result.generatedPassword).toBeUndefined()
    expect(await verifyLogin('given@agency.example.gov', 'an operator chosen password')).toBe(result.userId)
  })

  it('does not steal the handle of an existing member', async () => {
    const member = await join({ handle: 'clash' })
    const result = await createOrPromoteAccount({ email: 'clash@elsewhere.example.gov', role: 'member' })
    const row = await userRow(result.userId)
    expect(row.handle).not.toBe('clash')
    expect((await userRow(member.userId)).email).toBe(member.email)
  })

  it('promotes an existing account without touching its password or sessions', async () => {
    const member = await join()
    const session = await newSession(member.userId)
    const result = await createOrPromoteAccount({ email: member.email.toUpperCase(), role: 'admin' })
    expect(result).toEqual({ created: false, userId: member.userId })
    expect((await userRow(member.userId)).role).toBe('admin')
    expect(await verifyLogin(member.email, member.password)).toBe(member.userId)
    expect((await validateSessionToken(session.token))?.user.role).toBe('admin')
    // And back down again.
    await createOrPromoteAccount({ email: member.email, role: 'member' })
    expect((await userRow(member.userId)).role).toBe('member')
  })

  it('with a password: sets it and ends every session of that account (only)', async () => {
    const member = await join()
    const bystander = await join()
    const s1 = await newSession(member.userId)
    const s2 = await newSession(member.userId)
    const other = await newSession(bystander.userId)

    const result = await createOrPromoteAccount({
      email: member.email,
      role: 'moderator',
      password: 'reset by the operator 42',
    })
    expect(result).toEqual({ created: false, userId: member.userId })
    expect(await verifyLogin(member.email, 'reset by the operator 42')).toBe(member.userId)
    expect(await verifyLogin(member.email, member.password)).toBeNull()
    expect((await userRow(member.userId)).role).toBe('moderator')
    expect(await validateSessionToken(s1.token)).toBeNull()
    expect(await validateSessionToken(s2.token)).toBeNull()
    expect(await validateSessionToken(other.token)).not.toBeNull()
  })
})

describe('ensureInitialAdmin', () => {
  it('creates one admin the first time and nothing the second time', async () => {
    await db.updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').execute()

    const first = await ensureInitialAdmin('first-admin@agency.example.gov')
    expect(first).not.toBeNull()
    expect(first!.email).toBe('first-admin@agency.example.gov')
    expect(first!.password.length).toBeGreaterThanOrEqual(20)
    const adminId = await verifyLogin('first-admin@agency.example.gov', first!.password)
    expect(adminId).not.toBeNull()
    expect((await userRow(adminId!)).role).toBe('admin')

    const second = await ensureInitialAdmin('first-admin@agency.example.gov')
    expect(second).toBeNull()
    const third = await ensureInitialAdmin('another-admin@agency.example.gov')
    expect(third).toBeNull()
    const admins = await db.selectFrom('users').select('email').where('role', '=', 'admin').execute()
    expect(admins).toEqual([{ email: 'first-admin@agency.example.gov' }])
    // The first admin's password was not reset by the second call.
    expect(await verifyLogin('first-admin@agency.example.gov', first!.password)).toBe(adminId)
  })

  it('never promotes a member who joined with the admin email address', async () => {
    await db.updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').execute()
    const joined = await joinAsMember(joinInput({ email: 'squatter@agency.example.gov' }))
    expect(joined.ok).toBe(true)

    expect(await ensureInitialAdmin('squatter@agency.example.gov')).toBeNull()
    const admins = await db.selectFrom('users').select('email').where('role', '=', 'admin').execute()
    expect(admins).toEqual([])
  })
})

describe('upsertDemoMember', () => {
  const demo = {
    handle: 'demo-upsert',
    displayName: 'Demo Upsert',
    memberType: 'advisor' as const,
    organization: 'Think tank',
    governmentLevel: 'not-government' as const,
    joined: '2026-03-01T00:00:00.000Z',
  }

  it('inserts a demo member that cannot sign in, then reports unchanged, then updates', async () => {
    expect(await upsertDemoMember(demo)).toBe('inserted')
    const row = await db.selectFrom('users').selectAll().where('handle', '=', demo.handle).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ is_demo: 1, password_hash: null, role: 'member', created_at: demo.joined })
    expect(await upsertDemoMember(demo)).toBe('unchanged')
    expect(await db.selectFrom('users').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()).toEqual(row)
    expect(await upsertDemoMember({ ...demo, displayName: 'Demo Renamed' })).toBe('updated')
    expect((await userRow(row.id)).display_name).toBe('Demo Renamed')
  })

  it('never touches a real member who holds that handle', async () => {
    const member = await join({ handle: 'real-holder' })
    const session = await newSession(member.userId)
    const before = await userRow(member.userId)

    const outcome = await upsertDemoMember({ ...demo, handle: 'real-holder', displayName: 'Impostor' })
    expect(outcome).toBe('skipped')
    expect(await userRow(member.userId)).toEqual(before)
    expect(await verifyLogin(member.email, member.password)).toBe(member.userId)
    expect(await validateSessionToken(session.token)).not.toBeNull()
  })
})

describe('getPublicProfile', () => {
  it('shows the public fields and never the email or password hash', async () => {
    const member = await join({ handle: 'public-face', organization: 'City of Example' })
    const profile = await getPublicProfile('public-face')
    expect(profile).toBeDefined()
    expect(Object.keys(profile!).sort()).toEqual(
      ['id', 'created_at', 'display_name', 'government_level', 'handle', 'member_type', 'organization', 'public_servant_verified_by', 'role'].sort(),
    )
    expect(profile).toMatchObject({ handle: 'public-face', organization: 'City of Example', role: 'member' })
    const serialized = JSON.stringify(profile)
    expect(serialized).not.toContain(member.email)
    expect(serialized).not.toContain('argon2')
  })

  it('finds the member whatever the case of the URL, and nobody for an unknown handle', async () => {
    await join({ handle: 'case-check' })
    expect((await getPublicProfile('Case-Check'))?.handle).toBe('case-check')
    expect(await getPublicProfile('no-such-member')).toBeUndefined()
  })
})
