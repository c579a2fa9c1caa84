// The hot queries use indexes: the database's own plan (SQLite's, or PostgreSQL's) for every
// query a busy page runs must not read a large table from end to end. (Timings belong to `npm run bench`; plans are checked here.)
// Insights and theme counts group the whole published library by design and are served from
// the page cache, so they are not held to this rule.
import { beforeAll, describe, expect, it } from 'vitest'
import { db, dialectOf, explainQueryPlan, postgresQueryPlan, recordQueries } from '../../db/client'
import { seedContent } from '../../db/seed'
import { browseCases } from '../../app/models/case-browse.server'
import { getCase, listFeaturedCases, listNewCases } from '../../app/models/case-reading.server'
import { getEvent, listEvents } from '../../app/models/event-listing.server'
import { listMyUpcomingRsvps } from '../../app/models/event-rsvp.server'
import { getThreadPage } from '../../app/models/post.server'
import { search } from '../../app/models/search.server'
import { createSession, generateSessionToken, validateSessionToken } from '../../app/models/session.server'
import { type Actor, createThread, listThreads, listUnreadThreads } from '../../app/models/thread.server'
import { createOrPromoteAccount } from '../../app/models/user.server'
import { countUnreadNotifications, listNotifications, markSubjectSeen } from '../../app/models/notification.server'
import { fanOutPendingActivities } from '../../app/models/notification-fanout.server'
import { replyToThread } from '../../app/models/post.server'
import { listDirectory, membersWhoHaveBeenThere } from '../../app/models/member-directory.server'
import { findMemberByHandle } from '../../app/models/member-profile.server'

// Tables that grow with the community; reading one of them whole is what a plan must avoid.
const LARGE_TABLES = new Set([
  'users',
  'sessions',
  'threads',
  'posts',
  'post_helpful',
  'thread_tags',
  'thread_reads',
  'flags',
  'cases',
  'case_failure_modes',
  'case_phases',
  'case_reactions',
  'events',
  'event_themes',
  'rsvps',
  'activities',
  'notifications',
  'follows',
  'mail_outbox',
  'member_experience',
  'handle_history',
])

/** The full-table scans in the plans of the queries `work` ran, as "table: plan line". */
async function fullScans(work: () => Promise<unknown>): Promise<string[]> {
  const { queries } = await recordQueries(work)
  expect(queries.length).toBeGreaterThan(0)
  const scans: string[] = []
  for (const query of queries) {
    if (!/^\s*(select|with)\b/i.test(query.sql)) continue
    if (dialectOf() === 'postgres') {
      for (const line of await postgresQueryPlan(query)) {
        const scan = /Seq Scan on (\w+)/.exec(line)
        if (scan && LARGE_TABLES.has(scan[1])) scans.push(`${scan[1]}: ${line.trim()} in ${query.sql.slice(0, 120)}`)
      }
      continue
    }
    for (const detail of explainQueryPlan(query)) {
      const scan = /^SCAN (\w+)$/.exec(detail)
      if (!scan) continue
      // Kysely writes `"threads" as "t"`: resolve an alias to its table.
      const alias = new RegExp(`"(\\w+)" as "${scan[1]}"`).exec(query.sql)
      const table = alias ? alias[1] : scan[1]
      if (LARGE_TABLES.has(table)) scans.push(`${table}: ${detail} in ${query.sql.slice(0, 120)}`)
    }
  }
  return scans
}

let member: Actor
let threadId = 0
let sessionToken = ''

beforeAll(async () => {
  await seedContent({ includeDemo: false })
  const { userId } = await createOrPromoteAccount({ email: 'plans@plans.example.gov', role: 'member', handle: 'plans' })
  member = { id: userId, role: 'member' }
  const created = await createThread(member, { categorySlug: 'testing-and-go-live', title: 'Query plans thread', body: 'About cutover rehearsals.', tagSlugs: ['broken-handoffs'] })
  if (!created.ok) throw new Error(created.message)
  threadId = created.value.id
  sessionToken = generateSessionToken()
  await createSession(sessionToken, userId)
})

describe('hot queries use indexes', () => {
  it('discussion lists (latest, one category, one theme) and a thread page', async () => {
    const category = await db.selectFrom('categories').select('id').where('slug', '=', 'testing-and-go-live').executeTakeFirstOrThrow()
    expect(
      await fullScans(async () => {
        await listThreads({ sort: 'latest', viewerId: member.id })
        await listThreads({ sort: 'newest' })
        await listThreads({ categoryId: category.id, pinnedFirst: true, viewerId: member.id })
        await listThreads({ tagSlug: 'broken-handoffs' })
        await getThreadPage(threadId, 1, member)
        await listUnreadThreads(member.id)
      }),
    ).toEqual([])
  })

  it('a signed-in request: the session and its member', async () => {
    expect(await fullScans(() => validateSessionToken(sessionToken))).toEqual([])
  })

  it('the case library with two facets, with and without words, and a case page', async () => {
    const filters = { q: '', mode: ['testing-cutover-stabilization'], avoided: ['big-bang-scope'], phase: [], level: ['state'], domain: [], outcome: [], sort: 'newest' as const, page: 1 }
    const slug = (await db.selectFrom('cases').select('slug').where('status', '=', 'published').executeTakeFirstOrThrow()).slug
    expect(
      await fullScans(async () => {
        await browseCases(filters)
        await browseCases({ ...filters, q: 'payroll', sort: 'relevance' })
        await getCase(slug, null)
      }),
    ).toEqual([])
  })

  it('site search over every type, and the home page', async () => {
    expect(
      await fullScans(async () => {
        await search({ q: 'cutover rehearsal', type: null, page: 1 })
        await search({ q: 'payroll', type: 'discussions', page: 2 })
        await listFeaturedCases()
        await listNewCases(7)
        await listMyUpcomingRsvps(member.id)
      }),
    ).toEqual([])
  })

  it('events: the upcoming list and an event page', async () => {
    expect(
      await fullScans(async () => {
        await listEvents({ when: 'upcoming', viewerId: member.id })
        await getEvent(1, member)
      }),
    ).toEqual([])
  })

  it('notifications: the header count on every signed-in page, the list, reading, and the fan-out of a reply', async () => {
    const { userId } = await createOrPromoteAccount({ email: 'plans-replier@plans.example.gov', role: 'member', handle: 'plans-replier' })
    const reply = await replyToThread({ id: userId, role: 'member' }, threadId, 'A reply for @plans to hear about')
    if (!reply.ok) throw new Error(reply.message)
    expect(
      await fullScans(async () => {
        await fanOutPendingActivities()
        await countUnreadNotifications(member.id)
        await listNotifications(member.id)
        await listNotifications(member.id, { before: '2030-01-01T00:00:00.000Z~99' })
        await markSubjectSeen(member.id, { threadId, upToNumber: 2 })
        await markSubjectSeen(member.id, { eventId: 1 })
      }),
    ).toEqual([])
  })

  it('reports a full scan when there is one (the check itself works)', async () => {
    expect(await fullScans(() => db.selectFrom('posts').select('id').where('body_md', 'like', '%x%').execute())).toHaveLength(1)
  })

  it('finding peers: the directory with each filter, a profile by an old handle, and members who have been there', async () => {
    const all = { q: '', memberType: null, level: null, verified: false, mode: null, domain: null, page: 1 }
    expect(
      await fullScans(async () => {
        await listDirectory(all)
        await listDirectory({ ...all, q: 'county', memberType: 'leader', level: 'state', verified: true, page: 3 })
        await listDirectory({ ...all, mode: 'unmanaged-risks', domain: 'benefits-and-eligibility' })
        await findMemberByHandle('plans')
        await findMemberByHandle('an-old-handle')
        await membersWhoHaveBeenThere(['unmanaged-risks', 'broken-handoffs'], 6)
      }),
    ).toEqual([])
  })
})
