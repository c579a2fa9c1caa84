// 200 members press "Going" at the same moment for an event with 50 places, over real HTTP:
// first on the shared test server, then on two server processes writing one database.
// Whatever the interleaving, exactly 50 go, 150 wait in a strict 1..150 line, and nothing fails.
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { openServerDatabase, type ServerDatabase } from '../helpers/server-database'
import { databaseEnv, type RunningServer, startServer } from '../helpers/start-server'
import { type EventRef, flashOf, type InsertedMember, insertEvent, insertMembers } from './events-support'
import { eventually } from './support'

const MEMBERS = 200
const CAPACITY = 50

interface Answer {
  member: InsertedMember
  status: number
  location: string | null
  flash: string | null
  baseUrl: string
}

let ipCounter = 0
const nextIp = () => {
  const n = ++ipCounter
  return `10.77.${(n >> 8) & 255}.${(n & 255) || 1}`
}

/** Every member posts `intent` at once, each with their own cookie, Origin and address. */
async function fireAll(baseUrls: string[], event: EventRef, members: InsertedMember[], intent = 'going'): Promise<{ answers: Answer[]; ms: number }> {
  const started = performance.now()
  const answers = await Promise.all(
    members.map(async (member, i) => {
      const baseUrl = baseUrls[i % baseUrls.length]
      const response = await fetch(`${baseUrl}${event.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: member.cookie,
          Origin: baseUrl,
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Forwarded-For': nextIp(),
        },
        body: new URLSearchParams({ intent }),
      })
      const answer: Answer = { member, status: response.status, location: response.headers.get('location'), flash: flashOf(response), baseUrl }
      if (response.status !== 302) answer.flash = (await response.text()).slice(0, 300)
      else await response.arrayBuffer()
      return answer
    }),
  )
  return { answers, ms: Math.round(performance.now() - started) }
}

interface RsvpRow {
  user_id: number
  status: string
  waitlist_ticket: number | null
}

/** The invariants after 200 "going" answers for 50 places. */
async function expectFairOutcome(raw: ServerDatabase, event: EventRef, members: InsertedMember[], answers: Answer[]) {
  // Every request answered with the redirect back to the event, no 4xx, no 5xx.
  const statuses = answers.reduce<Record<number, number>>((tally, a) => ({ ...tally, [a.status]: (tally[a.status] ?? 0) + 1 }), {})
  expect(statuses, JSON.stringify(answers.find((a) => a.status !== 302)?.flash)).toEqual({ 302: MEMBERS })
  for (const answer of answers) expect(answer.location).toBe(`${event.path}#rsvp`)

  const rows = (await raw.all(sql`select user_id, status, waitlist_ticket from rsvps where event_id = ${event.id} order by user_id`)) as RsvpRow[]
  expect(rows).toHaveLength(MEMBERS)
  expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(members.map((m) => m.id)))

  const going = rows.filter((r) => r.status === 'going')
  const waiting = rows.filter((r) => r.status === 'waitlisted')
  expect(going).toHaveLength(CAPACITY)
  expect(waiting).toHaveLength(MEMBERS - CAPACITY)
  expect(going.every((r) => r.waitlist_ticket === null)).toBe(true)
  const tickets = waiting.map((r) => r.waitlist_ticket)
  expect(tickets.every((t) => Number.isInteger(t))).toBe(true)
  expect(new Set(tickets).size).toBe(tickets.length)

  // Places by ticket rank are exactly 1..150, and each member was told their own place.
  const rankOf = new Map([...waiting].sort((a, b) => a.waitlist_ticket! - b.waitlist_ticket!).map((r, i) => [r.user_id, i + 1]))
  expect([...rankOf.values()]).toEqual(Array.from({ length: MEMBERS - CAPACITY }, (_, i) => i + 1))
  const told = new Map<number, number | 'going'>()
  for (const answer of answers) {
    const place = /You are number (\d+) on the waitlist/.exec(answer.flash ?? '')
    if (place) told.set(answer.member.id, Number(place[1]))
    else if (answer.flash?.startsWith('You are going')) told.set(answer.member.id, 'going')
  }
  expect(told.size).toBe(MEMBERS)
  for (const row of going) expect(told.get(row.user_id)).toBe('going')
  for (const row of waiting) expect(told.get(row.user_id)).toBe(rankOf.get(row.user_id))

  expect(await raw.one(sql`select going_count, waitlist_count, interested_count from events where id = ${event.id}`)).toEqual({
    going_count: CAPACITY,
    waitlist_count: MEMBERS - CAPACITY,
    interested_count: 0,
  })
}

describe('200 simultaneous RSVPs for 50 places', () => {
  const server = inject('server')
  const raw = openServerDatabase(server)
  afterAll(() => raw.close())

  it('on one server: exactly 50 going, 150 waitlisted at places 1..150, no duplicates, no errors', async () => {
    const event = await insertEvent(raw.kysely, { capacity: CAPACITY, title: 'One server, two hundred members' })
    const members = await insertMembers(raw.kysely, MEMBERS)

    const { answers, ms } = await fireAll([server.baseUrl], event, members)
    console.log(`[events-concurrency] one server: ${MEMBERS} simultaneous RSVPs answered in ${ms} ms`)
    await expectFairOutcome(raw, event, members, answers)

    // Then 20 of those going leave at once: waitlist places 1..20 move up, in order, each told.
    const firstTwenty = ((await raw.all(sql`select user_id from rsvps where event_id = ${event.id} and status = 'waitlisted' order by waitlist_ticket limit 20`)) as { user_id: number }[]).map(
      (r) => r.user_id,
    )
    const goingBefore = new Set((await raw.all<{ user_id: number }>(sql`select user_id from rsvps where event_id = ${event.id} and status = 'going'`)).map((r) => r.user_id))
    const leaving = members.filter((m) => goingBefore.has(m.id)).slice(0, 20)
    const left = await fireAll([server.baseUrl], event, leaving, 'not-going')
    expect(left.answers.map((a) => a.status)).toEqual(Array(20).fill(302))

    const goingNow = ((await raw.all(sql`select user_id from rsvps where event_id = ${event.id} and status = 'going'`)) as { user_id: number }[]).map((r) => r.user_id)
    expect(goingNow).toHaveLength(CAPACITY)
    expect(goingNow).toEqual(expect.arrayContaining(firstTwenty))
    const promotedNotices = await eventually(
      async () => (await raw.all(sql`select user_id from notifications where event_id = ${event.id} and kind = 'waitlist_promoted'`)) as { user_id: number }[],
      (rows) => rows.length >= 20,
    )
    expect(promotedNotices.map((n) => n.user_id).sort((a, b) => a - b)).toEqual([...firstTwenty].sort((a, b) => a - b))
    expect(await raw.one(sql`select going_count, waitlist_count from events where id = ${event.id}`)).toEqual({
      going_count: CAPACITY,
      waitlist_count: MEMBERS - CAPACITY - 20,
    })
    const remaining = (await raw.one(sql`select count(*) as n from rsvps where event_id = ${event.id} and status = 'waitlisted'`)) as { n: number }
    expect(remaining.n).toBe(MEMBERS - CAPACITY - 20)
  }, 120_000)
})

describe('200 simultaneous RSVPs on two server processes sharing one database', () => {
  const servers: RunningServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
  })

  it('still gives exactly 50 places and a strict 1..150 waitlist', async () => {
    // One after the other: the second starts only once the first has migrated and seeded.
    servers.push(await startServer())
    servers.push(await startServer(databaseEnv(servers[0])))
    const [first, second] = servers
    expect(first.baseUrl).not.toBe(second.baseUrl)

    const raw = openServerDatabase(first)
    try {
      const event = await insertEvent(raw.kysely, { capacity: CAPACITY, title: 'Two servers, two hundred members' })
      const members = await insertMembers(raw.kysely, MEMBERS)

      const { answers, ms } = await fireAll([first.baseUrl, second.baseUrl], event, members)
      console.log(`[events-concurrency] two servers: ${MEMBERS} simultaneous RSVPs answered in ${ms} ms`)
      await expectFairOutcome(raw, event, members, answers)

      // Both processes really took writes.
      for (const server of [first, second]) {
        expect(answers.filter((a) => a.baseUrl === server.baseUrl)).toHaveLength(MEMBERS / 2)
      }
      for (const server of [first, second]) expect(server.output()).not.toMatch(/SQLITE_BUSY|database is locked|Error:/i)
    } finally {
      await raw.close()
    }
  }, 180_000)
})
