// Notifications, following and email preferences over real HTTP against the production server:
// the header count, the list, opening an item, who may touch what (anonymous, owner, another
// member, a moderator, an admin), and one-click unsubscribe from a mail client with no cookie.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, mainOf, openServerDatabase, type Person, rawPost, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let n = 0
const unique = (text: string) => `${text} ${Date.now().toString(36)}-${++n}`
const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

async function startThread(client: HttpClient, body = unique('The opening post')) {
  const title = unique('Notification test thread')
  const response = await client.post('/discussions/new', { category: 'testing-and-go-live', title, body })
  expect(response.status).toBe(302)
  const path = response.headers.get('location')!
  return { id: Number(path.split('/')[2]), path, title }
}

/** The member's notifications as stored, once the server's background fan-out has run. */
async function notificationsOf(person: Person, count: number) {
  const rows = async () =>
    (await db.all(sql`select * from notifications where user_id = ${person.id} order by id`)) as {
      id: number
      kind: string
      read_at: string | null
    }[]
  const deadline = Date.now() + 10_000
  while ((await rows()).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  return rows()
}

/** The unread count the header's Notifications link reads out, or null when there is none. */
const headerCount = async (person: Person) => {
  const html = await (await person.client.get('/discussions')).text()
  const link = /<a[^>]*class="notifications-link"[^>]*>([\s\S]*?)<\/a>/.exec(html)?.[1]
  expect(link).toBeDefined()
  const text = link!.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ')
  return /(\d+|99\+) unread/.exec(text)?.[1] ?? null
}

describe('the notification menu and list', () => {
  it('a mention shows as an unread count on every page and in the list; opening it lands on the post and reads it', async () => {
    const [author, replier] = [await signedIn(db), await signedIn(db)]
    const thread = await startThread(author.client)
    const replied = await replier.client.post(thread.path, { intent: 'reply', body: `What do you think, @${author.handle}?` })
    expect(replied.status).toBe(302)
    const [mention] = await notificationsOf(author, 1)
    expect(mention.kind).toBe('mention')

    expect(await headerCount(author)).toBe('1')
    const list = mainOf(await (await author.client.get('/notifications')).text())
    expect(decodeHtml(list)).toContain(`${replier.displayName} mentioned you in “${thread.title}”`)
    expect(list).toContain(`href="/notifications/${mention.id}/open"`)

    const opened = await author.client.get(`/notifications/${mention.id}/open`)
    expect(opened.status).toBe(302)
    expect(opened.headers.get('location')).toBe(`${thread.path}#post-2`)
    expect(await headerCount(author)).toBeNull()
    expect(((await db.one(sql`select read_at from notifications where id = ${mention.id}`)) as { read_at: string | null }).read_at).not.toBeNull()
  })

  it('another member, a moderator or an admin cannot open or read someone else’s notification', async () => {
    const [author, replier] = [await signedIn(db), await signedIn(db)]
    const thread = await startThread(author.client)
    await replier.client.post(thread.path, { intent: 'reply', body: `cc @${author.handle}` })
    const [mention] = await notificationsOf(author, 1)
    for (const role of ['member', 'moderator', 'admin'] as const) {
      const other = await signedIn(db, role)
      expect((await other.client.get(`/notifications/${mention.id}/open`)).status).toBe(404)
      expect((await other.client.post('/notifications', { intent: 'read', id: String(mention.id) })).status).toBe(302)
      expect(mainOf(await (await other.client.get('/notifications')).text())).not.toContain(thread.title)
    }
    expect(((await db.one(sql`select read_at from notifications where id = ${mention.id}`)) as { read_at: string | null }).read_at).toBeNull()
  })

  it('anonymous visitors are sent to sign in for every notification address', async () => {
    const anonymous = new HttpClient()
    for (const path of ['/notifications', '/notifications/1/open', '/settings/notifications', '/settings/following']) {
      const response = await anonymous.get(path)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(loginRedirect(path))
    }
    for (const path of ['/notifications', '/follow', '/settings/notifications']) {
      const response = await anonymous.post(path, { intent: 'read-all', targetType: 'category', targetId: '1', level: 'watching' })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(loginRedirect(path))
    }
  })

  it('mark one and mark all read; a malformed request is a 400, not a 500', async () => {
    const [author, replier, mentioner] = [await signedIn(db), await signedIn(db), await signedIn(db)]
    const first = await startThread(author.client)
    await replier.client.post(first.path, { intent: 'reply', body: unique('First reply') })
    await startThread(mentioner.client, `Have you seen this, @${author.handle}?`)
    const [a] = await notificationsOf(author, 2)
    expect((await author.client.post('/notifications', { intent: 'read', id: String(a.id) })).status).toBe(302)
    expect(await headerCount(author)).toBe('1')
    expect((await author.client.post('/notifications', { intent: 'read-all' })).status).toBe(302)
    expect(await headerCount(author)).toBeNull()
    for (const fields of [{ intent: 'read', id: 'x' }, { intent: 'explode' }, {}] as Record<string, string>[]) {
      expect((await author.client.post('/notifications', fields)).status).toBe(400)
    }
  })
})

describe('following', () => {
  it('a member follows and unfollows a category; the settings page lists it', async () => {
    const member = await signedIn(db)
    const category = (await db.one(sql`select id, name from categories where slug = 'ai-in-government'`)) as { id: number; name: string }
    const followed = await member.client.post('/follow', { targetType: 'category', targetId: String(category.id), level: 'watching', redirectTo: '/discussions/c/ai-in-government' })
    expect(followed.status).toBe(302)
    expect(followed.headers.get('location')).toBe('/discussions/c/ai-in-government')
    const page = mainOf(await (await member.client.get('/discussions/c/ai-in-government')).text())
    expect(page).toContain('aria-pressed="true"')
    expect(decodeHtml(mainOf(await (await member.client.get('/settings/following')).text()))).toContain(category.name)

    await member.client.post('/follow', { targetType: 'category', targetId: String(category.id), level: 'unfollow' })
    expect(await db.one(sql`select count(*) as n from follows where user_id = ${member.id} and target_type = 'category'`)).toEqual({ n: 0 })
  })

  it('refuses what cannot be followed: unknown targets, drafts, bad levels, and a redirect off the site', async () => {
    const member = await signedIn(db)
    const draft = (await db.one(sql`select id from events where status = 'draft' limit 1`)) as { id: number } | undefined
    const cases: [Record<string, string>, number][] = [
      [{ targetType: 'category', targetId: '999999', level: 'watching' }, 404],
      [{ targetType: 'planet', targetId: '1', level: 'watching' }, 400],
      [{ targetType: 'category', targetId: '1', level: 'tracking' }, 400],
      [{ targetType: 'thread', targetId: 'abc', level: 'watching' }, 400],
      ...(draft ? [[{ targetType: 'event', targetId: String(draft.id), level: 'watching' }, 404] as [Record<string, string>, number]] : []),
    ]
    for (const [fields, status] of cases) expect((await member.client.post('/follow', fields)).status).toBe(status)
    const offsite = await member.client.post('/follow', { targetType: 'category', targetId: '1', level: 'watching', redirectTo: '//evil.example/x' })
    expect(offsite.headers.get('location')).toBe('/settings/following')
  })
})

describe('email preferences and one-click unsubscribe', () => {
  it('a member changes a kind to the daily summary; a bad value is answered next to its field', async () => {
    const member = await signedIn(db)
    const form = mainOf(await (await member.client.get('/settings/notifications')).text())
    const fields: Record<string, string> = {}
    for (const match of form.matchAll(/<input type="radio" id="[^"]+" name="([a-z_]+)" checked="" value="([a-z]+)"/g)) fields[match[1]] = match[2]
    expect(Object.keys(fields)).toHaveLength(18)
    expect(fields).toMatchObject({ reply: 'immediately', mention: 'immediately', helpful: 'never', followed_case: 'weekly' })

    const saved = await member.client.post('/settings/notifications', { ...fields, mention: 'daily' })
    expect(saved.status).toBe(302)
    expect(await db.all(sql`select kind, delivery from email_preferences where user_id = ${member.id}`)).toEqual([{ kind: 'mention', delivery: 'daily' }])

    const bad = await member.client.post('/settings/notifications', { ...fields, mention: 'hourly' })
    expect(bad.status).toBe(400)
    expect(decodeHtml(await bad.text())).toContain('Choose when this email comes')
  })

  it('an unsubscribe link this server did not sign is refused and changes nothing', async () => {
    const member = await signedIn(db)
    const mailClient = new HttpClient()
    for (const token of ['abc', `${member.id}:reply.forged`, `${member.id}:reply`, encodeURIComponent(`${member.id}:reply.${'A'.repeat(43)}`)]) {
      expect((await mailClient.get(`/email/unsubscribe/${token}`)).status).toBe(404)
      expect((await rawPost(mailClient, `/email/unsubscribe/${token}`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(404)
    }
    expect(await db.one(sql`select count(*) as n from email_preferences where user_id = ${member.id}`)).toEqual({ n: 0 })
  })

})
