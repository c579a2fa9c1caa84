// A form posted to another address of its resource (a thread without its slug, an event under
// its old title) is answered there: the refusal and what was typed reach the member. Only a
// plain visit is sent on to the canonical address.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { insertEvent } from './events-support'
import { decodeHtml, errorSummary, mainOf, openServerDatabase, signedIn, textareaValue } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

async function someThread() {
  const author = await signedIn(db)
  const response = await author.client.post('/discussions/new', {
    category: 'testing-and-go-live',
    title: `Canonical address thread ${Date.now().toString(36)}`,
    body: 'Opening post.',
  })
  const path = response.headers.get('location')!
  return { id: Number(path.split('/')[2]), path }
}

describe('a thread without its slug', () => {
  it('answers a refused reply there (429), with the message and the typed text', async () => {
    const thread = await someThread()
    const member = await signedIn(db)
    expect((await member.client.post(`/discussions/${thread.id}`, { intent: 'reply', body: 'A first reply, accepted.' })).status).toBe(302)

    const typed = 'A second reply, too soon after the first.'
    const response = await member.client.post(`/discussions/${thread.id}`, { intent: 'reply', body: typed })
    expect(response.status).toBe(429)
    const html = await response.text()
    expect(errorSummary(html).join(' ')).toMatch(/one reply every 10 seconds/)
    expect(textareaValue(html, 'body')).toBe(typed)
  })

  it('still sends a visit to the canonical address', async () => {
    const thread = await someThread()
    const response = await new HttpClient().get(`/discussions/${thread.id}?page=1`)
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(`${thread.path}?page=1`)
  })
})

describe('an event whose title changed', () => {
  async function renamedEvent() {
    const event = await insertEvent(db.kysely, { title: `Old title ${Date.now().toString(36)}` })
    const slug = `new-title-${event.id}`
    await db.run(sql`update events set title = ${`New title ${event.id}`}, slug = ${slug} where id = ${event.id}`)
    return { ...event, oldPath: event.path, path: `/events/${event.id}/${slug}` }
  }

  it('answers a refused action at the old address with the refusal', async () => {
    const event = await renamedEvent()
    const member = await signedIn(db)
    const response = await member.client.post(event.oldPath, { intent: 'publish' })
    expect(response.status).toBe(403)
    expect(decodeHtml(mainOf(await response.text()))).toMatch(/Only moderators and admins organize events/)
  })

  it('takes an RSVP posted to the old address', async () => {
    const event = await renamedEvent()
    const member = await signedIn(db)
    const response = await member.client.post(event.oldPath, { intent: 'going' })
    expect(response.status).toBe(302)
    expect(await db.one(sql`select status from rsvps where event_id = ${event.id} and user_id = ${member.id}`)).toEqual({ status: 'going' })
  })

  it('still sends a visit to the canonical address', async () => {
    const event = await renamedEvent()
    const response = await new HttpClient().get(event.oldPath)
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(event.path)
  })
})
