// The initial admin printed at startup, and who can (not) sign in with what.
import { sql } from 'kysely'
import { verify } from '@node-rs/argon2'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { HttpClient, joinAsNewMember } from '../helpers/http-client'
import { mainOf, openServerDatabase, signIn, type UserRow } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const { adminEmail, adminPassword } = inject('server')

// Passwords an attacker tries first against a fresh install.
const WELL_KNOWN_PASSWORDS = [
  '',
  'admin',
  'administrator',
  'password',
  'Password1',
  'changeme',
  'changeme123',
  'letmein',
  '123456',
  '12345678',
  'secret',
  'sectorpulse',
  'SectorPulse',
  'admin@sectorpulse.local',
  'correct horse battery staple',
]

describe('the initial admin', () => {
  it('was printed at startup with a long generated password', () => {
    expect(adminEmail).toMatch(/^[^@\s]+@[^@\s]+$/)
    expect(adminPassword.length).toBeGreaterThanOrEqual(20)
    expect(WELL_KNOWN_PASSWORDS).not.toContain(adminPassword)
  })

  it('can sign in with the printed password and is an admin', async () => {
    const client = new HttpClient()
    const response = await signIn(client, adminEmail, adminPassword)
    expect(response.status).toBe(302)
    expect(client.cookies.has('sp_session')).toBe(true)
    expect((await client.get('/settings')).status).toBe(200)

    const admin = (await db.userByEmail(adminEmail))!
    expect(admin.role).toBe('admin')
    const profile = mainOf(await (await new HttpClient().get(`/members/${admin.handle}`)).text())
    expect(profile).toContain('Administrator')
  })
})

describe('default passwords', () => {
  it('no account outside these tests has a well-known password', async () => {
    // Members created by the tests all use the helper's password; every other account is checked.
    const users = (await db.all(sql`select * from users where password_hash is not null and email not like '%@agency.example.gov'`)) as UserRow[]
    expect(users.map((u) => u.email)).toContain(adminEmail)
    for (const user of users) {
      for (const password of WELL_KNOWN_PASSWORDS) {
        expect(await verify(user.password_hash!, password), `${user.email} / ${JSON.stringify(password)}`).toBe(false)
      }
    }
  })

  it('demo members have no password, so nobody can sign in as one', async () => {
    const demo = (await db.all(sql`select * from users where is_demo = 1`)) as UserRow[]
    expect(demo.length).toBeGreaterThan(0)
    for (const member of demo) expect(member.password_hash).toBeNull()

    const response = await signIn(new HttpClient(), demo[0].email, 'password')
    expect(response.status).toBe(401)
  })
})

describe('roles of new members', () => {
  it('a member who joins is a plain member, even when the form says otherwise', async () => {
    const member = await joinAsNewMember(new HttpClient(), { role: 'admin', is_demo: '1' })
    const row = (await db.userByEmail(member.email))!
    expect(row.role).toBe('member')
    expect(row.is_demo).toBe(0)
  })
})
