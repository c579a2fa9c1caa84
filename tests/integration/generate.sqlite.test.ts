// `npm run db:generate` at the small scale, run for real: the counts it promises, counters that
// agree with the rows, and a production server that serves every page the benchmark visits.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_WATCHERS, type Fixtures, REPLY_MEMBER_POOL, SCALES } from '../../db/generate/scales'
import { type RunningServer, startServer } from '../helpers/start-server'

const ROOT = resolve(import.meta.dirname, '../..')
const out = join(mkdtempSync(join(tmpdir(), 'sectorpulse-generate-')), 'small.db')
let fixtures: Fixtures
let server: RunningServer
let db: Database.Database

beforeAll(async () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'db/generate.ts', '--scale', 'small', '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  expect(run.status, run.stderr + run.stdout).toBe(0)
  fixtures = JSON.parse(readFileSync(`${out}.fixtures.json`, 'utf8'))
  db = new Database(out, { readonly: true })
  server = await startServer({ DATABASE_PATH: out })
}, 120_000)

afterAll(async () => {
  db?.close()
  await server?.stop()
})

const count = (query: string) => (db.prepare(query).get() as { n: number }).n

describe('the small synthetic community', () => {
  it('holds 1% of the large one', () => {
    const small = SCALES.small
    // Besides the editorial account the curated cases are credited to, and the first admin the
    // server created when it started on the file.
    expect(count(`select count(*) as n from users where handle != 'sectorpulse-editors' and email != 'admin@sectorpulse.local'`)).toBe(
      small.members
    )
    expect(count('select count(*) as n from threads')).toBe(small.threads)
    expect(count('select count(*) as n from posts')).toBe(small.posts)
    expect(count(`select count(*) as n from cases where status = 'published' and source_key is null`)).toBe(small.cases)
    expect(count('select count(*) as n from events')).toBe(small.events)
    expect(count('select count(*) as n from rsvps')).toBe(small.rsvps)
    // The benchmark's fixture threads, whole at both scales.
    expect(count('select max(last_post_number) as n from threads')).toBe(5_001)
    expect(count('select count(*) as n from threads where last_post_number = 20')).toBeGreaterThan(0)
  })

  it("keeps every thread's and event's counters equal to its rows, and the search indexes whole", () => {
    expect(
      count('select count(*) as n from threads t where t.last_post_number != (select max(number) from posts p where p.thread_id = t.id)')
    ).toBe(0)
    expect(
      count(
        'select count(*) as n from threads t where t.helpful_count != (select count(*) from post_helpful h join posts p on p.id = h.post_id where p.thread_id = t.id)'
      )
    ).toBe(0)
    expect(
      count(
        `select count(*) as n from events e where e.going_count != (select count(*) from rsvps r where r.event_id = e.id and r.status = 'going')`
      )
    ).toBe(0)
    expect(count(`select count(*) as n from posts_fts where posts_fts match '"rehearsal"'`)).toBeGreaterThan(0)
    expect(count(`select count(*) as n from cases_fts`)).toBe(count(`select count(*) as n from cases where status = 'published'`))
  })

  it('serves every page the benchmark visits, the signed-in one as the bench member', async () => {
    const paths = [
      fixtures.urls.thread20,
      fixtures.urls.thread5kLastPage,
      fixtures.urls.caseLibraryTwoFacets,
      fixtures.urls.casePage,
      fixtures.urls.eventPage,
      fixtures.urls.search,
    ]
    for (const path of paths) {
      const response = await fetch(server.baseUrl + path, { redirect: 'manual' })
      expect(response.status, path).toBe(200)
    }
    const signedIn = await fetch(server.baseUrl + fixtures.urls.thread20, { headers: { Cookie: fixtures.member.cookie } })
    expect(await signedIn.text()).toContain(`/members/${fixtures.member.handle}`)
  })

  it('gives the reply benchmark a thread with 5,000 watchers, a comparable one with none, and members who can post', async () => {
    const { watched, unwatched, memberCookies } = fixtures.replies
    const watchers = (threadId: number) =>
      count(`select count(distinct f.user_id) as n from follows f join users u on u.id = f.user_id
        where f.target_type = 'thread' and f.target_id = ${threadId} and f.level = 'watching'`)
    expect(watchers(watched.threadId)).toBe(FIXTURE_WATCHERS)
    expect(watchers(unwatched.threadId)).toBe(0)
    expect(new Set(memberCookies).size).toBe(REPLY_MEMBER_POOL)

    // Two members of the pool reply to each thread as the benchmark does: the new post's page is the answer.
    for (const [index, thread] of [watched, unwatched].entries()) {
      const response = await fetch(server.baseUrl + thread.path, {
        method: 'POST',
        headers: { Cookie: memberCookies.at(-1 - index)!, Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'reply', body: fixtures.replies.bodies[index] }),
        redirect: 'manual',
      })
      expect(response.status, thread.path).toBe(302)
      expect(response.headers.get('location')).toMatch(new RegExp(`^${thread.path}.*#post-\\d+$`))
    }
  })
})
