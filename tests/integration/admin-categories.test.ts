// /admin/categories and verify-by-hand on /admin/members/<id> over real HTTP: who may change
// categories, what bad input answers, and a moderator's verification with its log row.
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, fieldError, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let member: Person
let moderator: Person
let admin: Person

beforeAll(async () => {
  ;[member, moderator, admin] = await Promise.all([signedIn(db, 'member'), signedIn(db, 'moderator'), signedIn(db, 'admin')])
})

const categoryBySlug = async (slug: string) =>
  (await db.one(sql`select id, name, description_html, source_hash from categories where slug = ${slug}`)) as
    | { id: number; name: string; description_html: string; source_hash: string }
    | undefined

describe('who may manage categories', () => {
  it('sends anonymous visitors to sign in', async () => {
    const response = await new HttpClient().get('/admin/categories')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fadmin%2Fcategories')
  })

  it('refuses members and moderators, to read or to write, and changes nothing', async () => {
    const name = `Refused ${randomBytes(3).toString('hex')}`
    for (const person of [member, moderator]) {
      expect((await person.client.get('/admin/categories')).status).toBe(403)
      const response = await person.client.post('/admin/categories', { intent: 'add', name, description: 'Not allowed.' })
      expect(response.status).toBe(403)
      expect(await (await person.client.get('/')).text()).not.toContain('href="/admin/categories"')
    }
    expect(await db.one(sql`select count(*) as n from categories where name = ${name}`)).toEqual({ n: 0 })
  })

  it('lets an admin add, rename and move a category, each logged, and links to the page from their menu', async () => {
    expect(await (await admin.client.get('/')).text()).toContain('href="/admin/categories"')
    const page = await admin.client.get('/admin/categories')
    expect(page.status).toBe(200)
    expect(mainOf(await page.text())).toContain('<h1>Categories</h1>')

    const tag = randomBytes(3).toString('hex')
    const added = await admin.client.post('/admin/categories', { intent: 'add', name: `Open data ${tag}`, description: 'Publishing **data**.' })
    expect(added.status).toBe(302)
    const category = (await categoryBySlug(`open-data-${tag}`))!
    expect(category).toMatchObject({ name: `Open data ${tag}`, source_hash: 'admin' })
    expect(category.description_html).toContain('<strong>data</strong>')

    const renamed = await admin.client.post('/admin/categories', { intent: 'edit', id: String(category.id), name: `Open data and APIs ${tag}`, description: 'Data and APIs.' })
    expect(renamed.status).toBe(302)
    expect((await categoryBySlug(`open-data-${tag}`))?.name).toBe(`Open data and APIs ${tag}`)

    const order = async () => ((await db.all(sql`select id from categories order by position, id`)) as { id: number }[]).map((row) => row.id)
    const before = await order()
    expect(before.at(-1)).toBe(category.id)
    expect((await admin.client.post('/admin/categories', { intent: 'move', id: String(category.id), direction: 'up' })).status).toBe(302)
    expect(await order()).toEqual([...before.slice(0, -2), category.id, before.at(-2)])

    const log = await db.all(sql`select action, details from moderation_log where actor_id = ${admin.id} order by id`)
    expect(log).toEqual([
      { action: 'category-add', details: `Open data ${tag}` },
      { action: 'category-edit', details: `Open data ${tag} → Open data and APIs ${tag}` },
      { action: 'category-move', details: `Open data and APIs ${tag} up` },
    ])
    const logPage = decodeHtml(await (await admin.client.get('/moderation/log')).text())
    expect(logPage).toContain('Added category')
  })

  it('answers bad input with 400 and a message next to the field', async () => {
    const tooShort = await admin.client.post('/admin/categories', { intent: 'add', name: 'x', description: 'Fine.' })
    expect(tooShort.status).toBe(400)
    const html = await tooShort.text()
    expect(fieldError(html, 'add-name')).toBe('Name must be at least 2 characters')
    expect(errorSummary(html)).toContain('Name must be at least 2 characters')

    const existing = (await db.one(sql`select id, name from categories order by position limit 1`)) as { id: number; name: string }
    const clash = await admin.client.post('/admin/categories', { intent: 'add', name: existing.name, description: 'Again.' })
    expect(clash.status).toBe(409)
    expect(fieldError(await clash.text(), 'add-name')).toMatch(/already exists/)

    const longDescription = await admin.client.post('/admin/categories', { intent: 'edit', id: String(existing.id), name: existing.name, description: 'a'.repeat(2001) })
    expect(longDescription.status).toBe(400)
    expect(fieldError(await longDescription.text(), `edit-${existing.id}-description`)).toBe('Description must be 2000 characters or fewer')

    expect((await admin.client.post('/admin/categories', { intent: 'move', id: 'abc', direction: 'up' })).status).toBe(400)
    expect((await admin.client.post('/admin/categories', { intent: 'move', id: String(existing.id), direction: 'up' })).status).toBe(409)
    expect((await admin.client.post('/admin/categories', { intent: 'edit', id: '999999', name: 'Ghost', description: 'None.' })).status).toBe(404)
  })
})

describe('verifying a public servant by hand from /admin/members/<id>', () => {
  it('a moderator marks a member, the page shows it, and the log records the note', async () => {
    const target = await signedIn(db, 'member')
    await db.run(sql`update users set public_servant_verified_by = null where id = ${target.id}`)
    const path = `/admin/members/${target.id}`
    expect(decodeHtml(mainOf(await (await moderator.client.get(path)).text()))).toMatch(/Verified public servant<\/dt><dd>No<\/dd>/)

    const missingNote = await moderator.client.post(path, { intent: 'verify', verified: 'yes', note: '' })
    expect(missingNote.status).toBe(400)
    expect(fieldError(await missingNote.text(), 'verify-note')).toBe('Say why, for the moderation log')

    expect((await member.client.post(path, { intent: 'verify', verified: 'yes', note: 'Trust me' })).status).toBe(403)

    const done = await moderator.client.post(path, { intent: 'verify', verified: 'yes', note: 'Checked with their agency by phone' })
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe(path)
    expect(await db.one(sql`select public_servant_verified_by as by from users where id = ${target.id}`)).toEqual({ by: 'moderator' })
    expect(await db.one(sql`select actor_id, action, member_id, reason from moderation_log where member_id = ${target.id} order by id desc limit 1`)).toEqual({
      actor_id: moderator.id,
      action: 'verify-public-servant',
      member_id: target.id,
      reason: 'Checked with their agency by phone',
    })
    const page = decodeHtml(mainOf(await (await moderator.client.get(path)).text()))
    expect(page).toContain('Yes, by a moderator')
    expect(page).toContain('Remove the verified mark')
  })
})
