// 200 members press "Going" at the same moment for an event with 50 places, over real HTTP:
// first on the shared test server, then on two server processes writing one database file.
// Whatever the interleaving, exactly 50 go, 150 wait in a strict 1..150 line, and nothing fails.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { openServerDatabaseFile } from '../helpers/server-database'
import { type RunningServer, startServer } from '../helpers/start-server'
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
function expectFairOutcome(raw: Database.Database, event: EventRef, members: InsertedMember[], answers: Answer[]) {
  // Every request answered with the redirect back to the event, no 4xx, no 5xx.
  const statuses = answers.reduce<Record<number, number>>((tally, a) => ({ ...tally, [a.status]: (tally[a.status] ?? 0) + 1 }), {})
  expect(statuses, JSON.stringify(answers.find((a) => a.status !== 302)?.flash)).toEqual({ 302: MEMBERS })
  for (const answer of answers) expect(answer.location).toBe(`${event.path}#rsvp`)

  const rows = raw.prepare('select user_id, status, waitlist_ticket from rsvps where event_id = ? order by user_id').all(event.id) as RsvpRow[]
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

  expect(raw.prepare('select going_count, waitlist_count, interested_count from events where id = ?').get(event.id)).toEqual({
    going_count: CAPACITY,
    waitlist_count: MEMBERS - CAPACITY,
    interested_count: 0,
  })
}

describe('200 simultaneous RSVPs for 50 places', () => {
  const server = inject('server')
  const raw = openServerDatabaseFile(server.databasePath, { busyTimeoutMs: 10_000 })
  afterAll(() => raw.close())

  it('on one server: exactly 50 going, 150 waitlisted at places 1..150, no duplicates, no errors', async () => {
    const event = insertEvent(raw, { capacity: CAPACITY, title: 'One server, two hundred members' })
    const members = insertMembers(raw, MEMBERS)

    const { answers, ms } = await fireAll([server.baseUrl], event, members)
    console.log(`[events-concurrency] one server: ${MEMBERS} simultaneous RSVPs answered in ${ms} ms`)
    expectFairOutcome(raw, event, members, answers)

    // Then 20 of those going leave at once: waitlist places 1..20 move up, in order, each told.
    const firstTwenty = (raw.prepare(`select user_id from rsvps where event_id = ? and status = 'waitlisted' order by waitlist_ticket limit 20`).all(event.id) as { user_id: number }[]).map(
      (r) => r.user_id,
    )
    const leaving = members.filter((m) => (raw.prepare('select status from rsvps where event_id = ? and user_id = ?').get(event.id, m.id) as { status: string }).status === 'going').slice(0, 20)
    const left = await fireAll([server.baseUrl], event, leaving, 'not-going')
    expect(left.answers.map((a) => a.status)).toEqual(Array(20).fill(302))

    const goingNow = (raw.prepare(`select user_id from rsvps where event_id = ? and status = 'going'`).all(event.id) as { user_id: number }[]).map((r) => r.user_id)
    expect(goingNow).toHaveLength(CAPACITY)
    expect(goingNow).toEqual(expect.arrayContaining(firstTwenty))
    const promotedNotices = await eventually(
      () => raw.prepare(`select user_id from notifications where event_id = ? and kind = 'waitlist_promoted'`).all(event.id) as { user_id: number }[],
      (rows) => rows.length >= 20,
    )
    expect(promotedNotices.map((n) => n.user_id).sort((a, b) => a - b)).toEqual([...firstTwenty].sort((a, b) => a - b))
    expect(raw.prepare('select going_count, waitlist_count from events where id = ?').get(event.id)).toEqual({
      going_count: CAPACITY,
      waitlist_count: MEMBERS - CAPACITY - 20,
    })
    const remaining = raw
      .prepare(`select count(*) as n from rsvps where event_id = ? and status = 'waitlisted'`)
      .get(event.id) as { n: number }
    expect(remaining.n).toBe(MEMBERS - CAPACITY - 20)
  }, 120_000)
})

describe('200 simultaneous RSVPs on two server processes sharing one database file', () => {
  const servers: RunningServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
  })

  it('still gives exactly 50 places and a strict 1..150 waitlist', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'sectorpulse-two-servers-')), 'shared.db')
    // One after the other: the second starts only once the first has migrated and seeded.
    servers.push(await startServer({ DATABASE_PATH: databasePath }))
    servers.push(await startServer({ DATABASE_PATH: databasePath }))
    const [first, second] = servers
    expect(first.baseUrl).not.toBe(second.baseUrl)

    const raw = new Database(databasePath)
    raw.pragma('busy_timeout = 10000')
    try {
      const event = insertEvent(raw, { capacity: CAPACITY, title: 'Two servers, two hundred members' })
      const members = insertMembers(raw, MEMBERS)

      const { answers, ms } = await fireAll([first.baseUrl, second.baseUrl], event, members)
      console.log(`[events-concurrency] two servers: ${MEMBERS} simultaneous RSVPs answered in ${ms} ms`)
      expectFairOutcome(raw, event, members, answers)

      // Both processes really took writes.
      for (const server of [first, second]) {
        expect(answers.filter((a) => a.baseUrl === server.baseUrl)).toHaveLength(MEMBERS / 2)
      }
      for (const server of [first, second]) expect(server.output()).not.toMatch(/SQLITE_BUSY|database is locked|Error:/i)
    } finally {
      raw.close()
    }
  }, 180_000)
})
