// Existence leaks: whatever a member may not see answers exactly as if it did not exist, on
// every route that takes an id, so probing numbers tells them nothing.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpClient } from '../helpers/http-client'
import { eventForm, postFields } from './events-support'
import { caseForm, mainOf, openServerDatabase, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const MISSING = 999_999_999

let owner: Person
let member: Person
let draftCase: { id: number; slug: string }
let draftEvent: { id: number; slug: string }
let assessmentId: number
let deletedPostId: number

beforeAll(async () => {
  owner = await signedIn(db)
  member = await signedIn(db)
  const organizer = await signedIn(db, 'moderator')

  const saved = await postFields(owner.client, '/cases/new', caseForm({ intent: 'save' }))
  const caseId = Number(/\/cases\/submissions\/(\d+)$/.exec(saved.headers.get('location') ?? '')![1])
  draftCase = (await db.one(sql`select id, slug from cases where id = ${caseId}`)) as { id: number; slug: string }

  const created = await postFields(organizer.client, '/events/new', eventForm())
  const [, id, slug] = /^\/events\/(\d+)\/(.+)$/.exec(created.headers.get('location') ?? '')!
  draftEvent = { id: Number(id), slug }

  assessmentId = ((await db.one(
    sql`insert into readiness_assessments (user_id, project_name, project_key, created_at) values (${owner.id}, 'Private project', 'private project', ${new Date().toISOString()}) returning id`,
  )) as { id: number }).id

  const thread = await owner.client.post('/discussions/new', { category: 'testing-and-go-live', title: 'A thread with a deleted reply', body: 'Opening' })
  const threadPath = thread.headers.get('location')!
  const replied = await organizer.client.post(threadPath, { intent: 'reply', body: 'A reply that will be deleted' })
  expect(replied.status, await replied.clone().text()).toBe(302)
  const threadId = Number(threadPath.split('/')[2])
  deletedPostId = ((await db.one(sql`select id from posts where thread_id = ${threadId} and number = 2`)) as { id: number }).id
  await db.run(sql`update posts set is_deleted = 1 where id = ${deletedPostId}`)
  await member.client.get('/') // shows, and so clears, the welcome message
})

type Probe = [name: string, request: (client: HttpClient, id: number | string) => Promise<Response>, hidden: () => number | string, missing: number | string]

const get = (path: (id: number | string) => string) => (client: HttpClient, id: number | string) => client.get(path(id))
const post = (path: (id: number | string) => string, fields: Record<string, string>) => (client: HttpClient, id: number | string) =>
  client.post(path(id), fields)

const PROBES: Probe[] = [
  ["someone's draft case form", get((id) => `/cases/submissions/${id}`), () => draftCase.id, MISSING],
  ["saving someone's draft case", (client, id) => postFields(client, `/cases/submissions/${id}`, caseForm({ intent: 'save' })), () => draftCase.id, MISSING],
  ["submitting someone's draft case", (client, id) => postFields(client, `/cases/submissions/${id}`, caseForm({ intent: 'submit' })), () => draftCase.id, MISSING],
  ['an unpublished case page', get((slug) => `/cases/${slug}`), () => draftCase.slug, 'no-such-case'],
  ['an unpublished case history', get((slug) => `/cases/${slug}/history`), () => draftCase.slug, 'no-such-case'],
  ["marking an unpublished case helpful", post((slug) => `/cases/${slug}`, { intent: 'helpful' }), () => draftCase.slug, 'no-such-case'],
  ["someone's readiness assessment", get((id) => `/readiness/assessments/${id}`), () => assessmentId, MISSING],
  ["deleting someone's readiness assessment", post((id) => `/readiness/assessments/${id}`, {}), () => assessmentId, MISSING],
  ['a draft event page', get((id) => `/events/${id}/${draftEvent.slug}`), () => draftEvent.id, MISSING],
  ['a draft event short address', get((id) => `/events/${id}`), () => draftEvent.id, MISSING],
  ['a draft event calendar file', get((id) => `/events/${id}.ics`), () => draftEvent.id, MISSING],
  ['answering a draft event', post((id) => `/events/${id}/${draftEvent.slug}`, { intent: 'going' }), () => draftEvent.id, MISSING],
  ['publishing a draft event', post((id) => `/events/${id}/${draftEvent.slug}`, { intent: 'publish' }), () => draftEvent.id, MISSING],
  ['editing a draft event', get((id) => `/events/${id}/edit`), () => draftEvent.id, MISSING],
  ['a draft event attendee list', get((id) => `/events/${id}/attendees`), () => draftEvent.id, MISSING],
  ['a draft event attendee file', get((id) => `/events/${id}/attendees.csv`), () => draftEvent.id, MISSING],
  ['editing a deleted post', get((id) => `/discussions/posts/${id}/edit`), () => deletedPostId, MISSING],
  ['a deleted post history', get((id) => `/discussions/posts/${id}/history`), () => deletedPostId, MISSING],
  ['flagging a deleted post', post((id) => `/discussions/posts/${id}/flag`, { reason: 'spam' }), () => deletedPostId, MISSING],
]

describe('what a member may not see answers as if it did not exist', () => {
  it.each(PROBES)('%s', async (_, request, hidden, missing) => {
    const hiddenAnswer = await request(member.client, hidden())
    const missingAnswer = await request(member.client, missing)
    expect(hiddenAnswer.status).toBe(missingAnswer.status)
    expect(hiddenAnswer.status).toBeGreaterThanOrEqual(400)
    const text = async (response: Response) => {
      const body = await response.text()
      return mainOf(body) || body
    }
    expect(await text(hiddenAnswer)).toBe(await text(missingAnswer))
  })

  it('the owner still reaches what is theirs', async () => {
    expect((await owner.client.get(`/cases/submissions/${draftCase.id}`)).status).toBe(200)
    expect((await owner.client.get(`/readiness/assessments/${assessmentId}`)).status).toBe(200)
  })
})
