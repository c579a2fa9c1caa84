// /admin/members over real HTTP: finding members by name or email, each filter, paging through
// more than a page, a role change read back from the moderation log, and who may open a member.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let moderator: Person
let admin: Person

beforeAll(async () => {
  ;[moderator, admin] = await Promise.all([signedIn(db, 'moderator'), signedIn(db, 'admin')])
})

interface Subject {
  role?: 'member' | 'moderator' | 'admin'
  memberType?: 'leader' | 'practitioner' | 'advisor' | 'partner'
  level?: 'federal' | 'state' | 'local' | 'tribal' | 'international' | 'not-government'
  verifiedBy?: 'email' | 'moderator' | null
}

/** A member account written straight into the database, named with `tag` so a search finds only this test's members. */
async function insertMember(tag: string, subject: Subject = {}): Promise<{ id: number; email: string }> {
  const n = randomBytes(4).toString('hex')
  const email = `admin-search-${n}@county.example.org`
  const now = new Date().toISOString()
  const { id } = (await db.one(sql`insert into users (email, handle, display_name, role, member_type, government_level, public_servant_verified_by, email_verified_at, created_at, updated_at)
       values (${email}, ${`as-${n}`}, ${`Searchable ${tag} ${n}`}, ${subject.role ?? 'member'}, ${subject.memberType ?? 'practitioner'}, ${subject.level ?? 'local'}, ${subject.verifiedBy ?? null}, ${now}, ${now}, ${now}) returning id`)) as {
    id: number
  }
  return { id, email }
}

/** The ids of the members listed on a page of /admin/members, in order. */
async function listed(client: HttpClient, query: string): Promise<{ ids: number[]; next: string | undefined }> {
  const response = await client.get(`/admin/members?${query}`)
  expect(response.status).toBe(200)
  const html = mainOf(await response.text())
  const ids = [...html.matchAll(/<td><a [^>]*href="\/admin\/members\/(\d+)"/g)].map((m) => Number(m[1]))
  const next = /<a [^>]*href="([^"]+)"[^>]*>Next page of members<\/a>/.exec(html)?.[1]
  return { ids, next: next && decodeHtml(next) }
}

describe('finding members', () => {
  const tag = randomBytes(3).toString('hex')
  let subjects: { id: number; email: string }[]

  beforeAll(async () => {
    subjects = [
      await insertMember(tag, { role: 'moderator', memberType: 'leader', level: 'state', verifiedBy: 'email' }),
      await insertMember(tag, { role: 'member', memberType: 'practitioner', level: 'local' }),
      await insertMember(tag, { role: 'admin', memberType: 'advisor', level: 'federal', verifiedBy: 'moderator' }),
      await insertMember(tag, { role: 'member', memberType: 'partner', level: 'not-government' }),
    ]
  })

  /** Which of this test's members (by index) a search lists. */
  const found = async (query: string) => {
    const { ids } = await listed(moderator.client, `q=${tag}&${query}`)
    return subjects.map((s, index) => (ids.includes(s.id) ? index : -1)).filter((index) => index >= 0)
  }

  it('filters by role, member type, level of government and verified mark, alone and combined', async () => {
    expect(await found('')).toEqual([0, 1, 2, 3])
    expect(await found('role=member')).toEqual([1, 3])
    expect(await found('role=admin')).toEqual([2])
    expect(await found('memberType=leader')).toEqual([0])
    expect(await found('memberType=partner')).toEqual([3])
    expect(await found('level=federal')).toEqual([2])
    expect(await found('level=not-government')).toEqual([3])
    expect(await found('verified=yes')).toEqual([0, 2])
    expect(await found('verified=no')).toEqual([1, 3])
    expect(await found('role=member&verified=no&level=local')).toEqual([1])
    expect(await found('role=moderator&memberType=practitioner')).toEqual([])
  })

  it('finds a member by their email address, whole or in part, whatever its case', async () => {
    const target = subjects[3]
    const { ids } = await listed(moderator.client, `q=${encodeURIComponent(target.email)}`)
    expect(ids).toEqual([target.id])
    const local = target.email.split('@')[0]
    expect((await listed(moderator.client, `q=${encodeURIComponent(local.toUpperCase())}`)).ids).toEqual([target.id])
  })

  it('pages newest first, 50 a page, with a next link that keeps the search and lists every member once', async () => {
    const pageTag = randomBytes(3).toString('hex')
    const many: number[] = []
    for (let i = 0; i < 53; i++) many.push((await insertMember(pageTag)).id)
    const first = await listed(moderator.client, `q=${pageTag}&verified=no`)
    expect(first.ids).toEqual(many.slice().reverse().slice(0, 50))
    expect(first.next).toBeDefined()
    const params = new URL(first.next!, 'http://x').searchParams
    expect(params.get('q')).toBe(pageTag)
    expect(params.get('verified')).toBe('no')
    const second = await listed(moderator.client, first.next!.replace(/^\/admin\/members\?/, ''))
    expect(second.ids).toEqual(many.slice().reverse().slice(50))
    expect(second.next).toBeUndefined()
  })
})

describe('changing a role', () => {
  it('is logged with its reason, and the moderation log says whose role changed, from what to what, and why', async () => {
    const member = await signedIn(db)
    const reason = `Runs the state CIO council's testing circle ${randomBytes(3).toString('hex')}`
    const changed = await admin.client.post(`/admin/members/${member.id}`, { intent: 'role', role: 'moderator', reason })
    expect(changed.status).toBe(302)
    expect(await db.all(sql`select actor_id, member_id, reason, details from moderation_log where action = 'role-change' and member_id = ${member.id}`)).toEqual([
      { actor_id: admin.id, member_id: member.id, reason, details: 'member → moderator' },
    ])
    expect((await member.client.get('/admin/members')).status).toBe(200)

    const log = decodeHtml(mainOf(await (await moderator.client.get('/moderation/log')).text())).replace(/<!-- -->/g, '')
    const row = [...log.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => m[0]).find((tr) => tr.includes(reason))
    expect(row, 'the role change in the moderation log').toBeDefined()
    const [, who, what, about, why] = [...row!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''))
    expect({ who, what, about, why }).toEqual({ who: admin.displayName, what: 'Changed role (member → moderator)', about: member.displayName, why: reason })
  })
})

describe('who may open a member', () => {
  it('sends an anonymous visitor to sign in, refuses a plain member (their own page too), and shows moderators and admins', async () => {
    const target = await signedIn(db)
    const path = `/admin/members/${target.id}`
    const anonymous = await new HttpClient().get(path)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`)
    for (const client of [(await signedIn(db)).client, target.client]) {
      const refused = await client.get(path)
      expect(refused.status).toBe(403)
      expect(await refused.text()).not.toContain(target.email)
    }
    for (const person of [moderator, admin]) {
      const page = await person.client.get(path)
      expect(page.status).toBe(200)
      expect(mainOf(await page.text())).toContain(target.email)
    }
  })
})
