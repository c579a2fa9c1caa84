// The reported case over real HTTP: an event title with ESC and BEL is refused next to the
// field and nothing is saved; a pasted title with a line break is saved as one line.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { eventForm, postFields } from './events-support'
import { fieldError, openServerDatabase, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

describe('single-line fields over HTTP', () => {
  it('an event title with ESC and BEL gets a field error and no event', async () => {
    const organizer = await signedIn(db, 'moderator')
    const marker = `${Date.now()}-${process.pid}`
    const title = `Roundtable \u001b[2J\u0007 ${marker}`
    const response = await postFields(organizer.client, '/events/new', eventForm({ title }))
    expect(response.status).toBe(400)
    expect(fieldError(await response.text(), 'title')).toBe('Title cannot contain control characters')
    expect(await db.one(sql`select count(*) as n from events where title like ${`%${marker}`}`)).toEqual({ n: 0 })
  })

  it('a thread title pasted with a line break and tabs is saved as one tidy line', async () => {
    const member = await signedIn(db)
    const marker = Date.now().toString(36)
    const response = await member.client.post('/discussions/new', {
      category: 'testing-and-go-live',
      title: `  Pasted\r\n\ttitle ${marker}  `,
      body: 'Body text',
    })
    expect(response.status).toBe(302)
    expect(await db.one(sql`select title from threads where title like ${`%${marker}`}`)).toEqual({ title: `Pasted title ${marker}` })
  })
})
