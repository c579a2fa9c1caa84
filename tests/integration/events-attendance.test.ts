// Recording attendance over real HTTP: only organizers may, a member's attempt changes nothing,
// bad input is a 400 with the message next to the field, and the RSVP form's "who's going" box;
// and a past event's recap with its materials as links.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, openServerDatabase, signedIn } from './support'
import { eventForm, postFields } from './events-support'

const db = openServerDatabase()
afterAll(() => db.close())

let organizer: Awaited<ReturnType<typeof signedIn>>
beforeAll(async () => {
  organizer = await signedIn(db, 'moderator')
})

/** "YYYY-MM-DDTHH:mm" in UTC, `days` from now. */
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16)

async function startedEventWithGoing() {
  const created = await postFields(organizer.client, '/events/new', eventForm({ starts: daysFromNow(2), ends: daysFromNow(2.1), timeZone: 'UTC' }))
  const path = created.headers.get('location')!
  const id = Number(/^\/events\/(\d+)\//.exec(path)![1])
  expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
  const going = await signedIn(db)
  expect((await postFields(going.client, path, { intent: 'going', showAsGoing: 'on' })).status).toBe(302)
  // The event has happened.
  await db.run(sql`update events set starts_at = ${new Date(Date.now() - 7_200_000).toISOString()}, ends_at = ${new Date(Date.now() - 3_600_000).toISOString()} where id = ${id}`)
  return { id, path, going }
}

describe('recording attendance', () => {
  it('lets organizers record it, and refuses anonymous visitors and members without changing anything', async () => {
    const { id, path, going } = await startedEventWithGoing()
    const attendance = `/events/${id}/attendees`
    const anonymous = await new HttpClient().post(attendance, { attended: going.handle, walkIns: '2' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login/)
    const member = await signedIn(db)
    expect((await postFields(member.client, attendance, { attended: going.handle, walkIns: '2' })).status).toBe(403)
    expect(await db.one(sql`select attended_count from events where id = ${id}`)).toEqual({ attended_count: null })

    for (const role of ['moderator', 'admin'] as const) {
      const someone = role === 'moderator' ? organizer : await signedIn(db, 'admin')
      const saved = await postFields(someone.client, attendance, { attended: going.handle, walkIns: role === 'admin' ? '5' : '2' })
      expect(saved.status).toBe(302)
    }
    expect(await db.one(sql`select attended_count, walk_in_count from events where id = ${id}`)).toEqual({ attended_count: 6, walk_in_count: 5 })
    const page = decodeHtml(await (await new HttpClient().get(path)).text())
    expect(page).toContain('6 attended')
    // The going member chose to be named under "who's going" (shown while the event is upcoming).
    await db.run(sql`update events set starts_at = ${daysFromNow(3) + ':00.000Z'}, ends_at = ${daysFromNow(3.1) + ':00.000Z'} where id = ${id}`)
    expect(decodeHtml(await (await new HttpClient().get(path)).text())).toContain(`href="/members/${going.handle}"`)
  })

  it('answers bad input with 400 and the message next to the field, never a 500', async () => {
    const { id } = await startedEventWithGoing()
    for (const walkIns of ['-1', 'many', '1.5', '1000000']) {
      const response = await postFields(organizer.client, `/events/${id}/attendees`, { walkIns })
      expect(response.status, walkIns).toBe(400)
      const html = decodeHtml(await response.text())
      expect(html).toContain('href="#walkIns"')
      expect(html).toContain('<title>Error: ')
    }
    const stranger = await signedIn(db)
    const response = await postFields(organizer.client, `/events/${id}/attendees`, { attended: stranger.handle, walkIns: '0' })
    expect(response.status).toBe(400)
    expect(decodeHtml(await response.text())).toContain('Choose people from the going list')
  })
})

describe("a past event's recap", () => {
  it('links the materials an organizer gave (slides, a recording, notes), in order, under the recap', async () => {
    const materials = [
      { label: 'Slides', url: 'https://files.example.org/cutover-slides.pdf' },
      { label: 'Recording', url: 'https://video.example.org/watch?v=cutover&t=1' },
      { label: 'Notes', url: 'http://notes.example.org/cutover' },
    ]
    // The second slot left empty: the page shows the three given, and no empty link.
    const fields = Object.fromEntries(
      materials.flatMap((m, i) => {
        const slot = i === 0 ? 1 : i + 2
        return [
          [`materialLabel${slot}`, m.label],
          [`materialUrl${slot}`, m.url],
        ]
      }),
    )
    const created = await postFields(organizer.client, '/events/new', eventForm({ starts: daysFromNow(2), ends: daysFromNow(2.1), timeZone: 'UTC', recap: 'Eighteen leaders came.', ...fields }))
    expect(created.status, await created.clone().text()).toBe(302)
    const path = created.headers.get('location')!
    expect((await organizer.client.post(path, { intent: 'publish' })).status).toBe(302)
    const id = Number(/^\/events\/(\d+)\//.exec(path)![1])
    await db.run(sql`update events set starts_at = ${new Date(Date.now() - 7_200_000).toISOString()}, ends_at = ${new Date(Date.now() - 3_600_000).toISOString()} where id = ${id}`)

    const html = await (await new HttpClient().get(path)).text()
    const recap = /<section aria-labelledby="recap-heading">[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
    expect(decodeHtml(recap)).toContain('Eighteen leaders came.')
    const links = [...recap.matchAll(/<a href="([^"]*)" rel="([^"]*)">([^<]*)<\/a>/g)].map(([, href, rel, label]) => ({ href: decodeHtml(href), rel, label }))
    expect(links).toEqual(materials.map((m) => ({ href: m.url, rel: 'nofollow noopener', label: m.label })))
  })
})

describe('the attendee CSV', () => {
  /** The Attended cell of each member's row, by handle. */
  async function attendedColumn(id: number) {
    const response = await organizer.client.get(`/events/${id}/attendees.csv`)
    expect(response.status).toBe(200)
    const [header, ...rows] = (await response.text()).trim().split('\r\n').map((line) => line.split(','))
    expect(header.at(-1)).toBe('Attended')
    return Object.fromEntries(rows.map((row) => [row[1], row.at(-1)]))
  }

  it('says who attended once attendance is recorded, and nothing before', async () => {
    const { id, path, going } = await startedEventWithGoing()
    const absent = await signedIn(db)
    // Answered before the event, as members do; the event is moved back to "started" after.
    await db.run(sql`update events set starts_at = ${daysFromNow(3) + ':00.000Z'}, ends_at = ${daysFromNow(3.1) + ':00.000Z'} where id = ${id}`)
    expect((await postFields(absent.client, path, { intent: 'going' })).status).toBe(302)
    await db.run(sql`update events set starts_at = ${new Date(Date.now() - 7_200_000).toISOString()}, ends_at = ${new Date(Date.now() - 3_600_000).toISOString()} where id = ${id}`)

    expect(await attendedColumn(id)).toEqual({ [going.handle]: '', [absent.handle]: '' })
    expect((await postFields(organizer.client, `/events/${id}/attendees`, { attended: going.handle, walkIns: '0' })).status).toBe(302)
    expect(await attendedColumn(id)).toEqual({ [going.handle]: 'yes', [absent.handle]: 'no' })
  })
})
