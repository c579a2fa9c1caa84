// A mixed write load over real HTTP (replies, new threads, RSVPs, case drafts, helpful marks),
// remembering
// every write the server acknowledged, and a check of which of them a database lacks.
import { sql } from 'kysely'
import { caseForm } from '../integration/support'
import { type EventRef, type InsertedMember, insertEvent, insertMembers, postFields } from '../integration/events-support'
import { HttpClient, joinAsNewMember } from './http-client'
import { type ServerDatabase, withServerDatabase } from './server-database'
import { databaseEnv, startServer } from './start-server'

export interface AcknowledgedWrite {
  kind: 'reply' | 'thread' | 'rsvp' | 'draft' | 'helpful-post' | 'case-reaction'
  /** What identifies the written row: the unique text, or the ids (`eventId:userId`, ...). */
  key: string
  /** When the answer arrived (ms since the epoch). */
  at: number
}

export interface WriteLoad {
  acknowledged: AcknowledgedWrite[]
  /** Answers of 500 and above while the server was up. */
  serverErrors: string[]
  /** How many of the members the workers have taken so far. */
  membersTaken: number
  /** Waits for every worker to end (each ends at its first failed connection, or when stopped). */
  stop: () => Promise<void>
}

let run = 0

/**
 * `workers` loops, each taking the next unused member and making every kind of write as them
 * (one each, so the posting limits never refuse), until stopped or the server goes away.
 */
export function startWriteLoad(
  baseUrl: string,
  members: InsertedMember[],
  target: { threadPath: string; events: EventRef[]; postId?: number; caseSlug?: string },
  workers = 6,
): WriteLoad {
  const load: WriteLoad = { acknowledged: [], serverErrors: [], membersTaken: 0, stop: async () => {} }
  const tag = `${Date.now().toString(36)}-${++run}`
  let stopped = false
  let next = 0
  let n = 0

  async function write(kind: AcknowledgedWrite['kind'], key: string, send: () => Promise<Response>) {
    const response = await send()
    await response.arrayBuffer()
    if (response.status >= 500) load.serverErrors.push(`${kind} ${key}: ${response.status}`)
    else if (response.status === 302 || response.status === 303) load.acknowledged.push({ kind, key, at: Date.now() })
    return response
  }

  async function worker() {
    while (!stopped && next < members.length) {
      const member = members[next++]
      load.membersTaken = next
      const client = new HttpClient(undefined, baseUrl)
      client.cookies.set('sp_session', member.cookie.slice('sp_session='.length))
      const text = (what: string) => `${what} ${tag}-${++n}`
      try {
        const reply = text('A reply written under load')
        await write('reply', reply, () => client.post(target.threadPath, { intent: 'reply', body: reply }))
        const title = text('A thread started under load')
        await write('thread', title, () =>
          client.post('/discussions/new', { category: 'testing-and-go-live', title, body: `${title}, with a body.` }),
        )
        const event = target.events[n % target.events.length]
        await write('rsvp', `${event.id}:${member.id}`, () => client.post(event.path, { intent: 'going' }))
        const draft = text('A case draft saved under load')
        await write('draft', draft, () => postFields(client, '/cases/new', caseForm({ title: draft, intent: 'save' })))
        if (target.postId) {
          await write('helpful-post', `${target.postId}:${member.id}`, () =>
            client.post(target.threadPath, { intent: 'helpful', postId: String(target.postId) }),
          )
        }
        if (target.caseSlug) {
          const reaction = n % 2 ? 'helpful' : 'seen'
          await write('case-reaction', `${target.caseSlug}:${member.id}:${reaction}`, () =>
            client.post(`/cases/${target.caseSlug}`, { intent: reaction }),
          )
        }
      } catch {
        return // the server went away
      }
    }
  }

  const running = Promise.all(Array.from({ length: workers }, worker))
  load.stop = async () => {
    stopped = true
    await running
  }
  return load
}

/** The acknowledged writes that the database does not hold. */
export async function missingWrites(database: ServerDatabase, writes: AcknowledgedWrite[]): Promise<AcknowledgedWrite[]> {
  const stored = (write: AcknowledgedWrite) => {
    const [a, b, c] = write.key.split(':')
    switch (write.kind) {
      case 'reply':
        return database.one(sql`select 1 as found from posts where body_md = ${write.key}`)
      case 'thread':
        return database.one(sql`select 1 as found from threads where title = ${write.key}`)
      case 'draft':
        return database.one(sql`select 1 as found from cases where title = ${write.key}`)
      case 'rsvp':
        return database.one(sql`select 1 as found from rsvps where event_id = ${Number(a)} and user_id = ${Number(b)} and status in ('going', 'waitlisted')`)
      case 'helpful-post':
        return database.one(sql`select 1 as found from post_helpful where post_id = ${Number(a)} and user_id = ${Number(b)}`)
      case 'case-reaction':
        return database.one(
          sql`select 1 as found from case_reactions r join cases c on c.id = r.case_id where c.slug = ${a} and r.user_id = ${Number(b)} and r.kind = ${c}`,
        )
    }
  }
  const missing: AcknowledgedWrite[] = []
  for (const write of writes) if (!(await stored(write))) missing.push(write)
  return missing
}

/**
 * Every stored counter that disagrees with the rows it counts, as `table id column: stored
 * vs counted` (empty when all agree).
 */
export async function counterMismatches(database: ServerDatabase): Promise<string[]> {
  const counters: { table: string; column: string; counted: string }[] = [
    { table: 'threads', column: 'reply_count', counted: 'select count(*) from posts p where p.thread_id = t.id and p.number > 1 and p.is_deleted = 0' },
    {
      table: 'threads',
      column: 'helpful_count',
      counted: 'select count(*) from post_helpful h join posts p on p.id = h.post_id where p.thread_id = t.id and p.is_deleted = 0',
    },
    { table: 'threads', column: 'last_post_number', counted: 'select coalesce(max(number), 0) from posts p where p.thread_id = t.id' },
    { table: 'posts', column: 'helpful_count', counted: 'select count(*) from post_helpful h where h.post_id = t.id' },
    { table: 'posts', column: 'open_flag_count', counted: `select count(*) from flags f where f.post_id = t.id and f.status = 'open'` },
    { table: 'events', column: 'going_count', counted: `select count(*) from rsvps r where r.event_id = t.id and r.status = 'going'` },
    { table: 'events', column: 'waitlist_count', counted: `select count(*) from rsvps r where r.event_id = t.id and r.status = 'waitlisted'` },
    { table: 'events', column: 'interested_count', counted: `select count(*) from rsvps r where r.event_id = t.id and r.status = 'interested'` },
    { table: 'cases', column: 'helpful_count', counted: `select count(*) from case_reactions r where r.case_id = t.id and r.kind = 'helpful'` },
    { table: 'cases', column: 'seen_count', counted: `select count(*) from case_reactions r where r.case_id = t.id and r.kind = 'seen'` },
  ]
  const mismatches: string[] = []
  for (const { table, column, counted } of counters) {
    const rows = await database.all<{ id: number; stored: number; counted: number }>(
      sql.raw(`select id, ${column} as stored, (${counted}) as counted from ${table} t where ${column} != (${counted})`),
    )
    mismatches.push(...rows.map((row) => `${table} ${row.id} ${column}: ${row.stored} vs ${row.counted}`))
  }
  return mismatches
}

/** A thread started over HTTP by a member who joins for it; its path. */
export async function threadByNewMember(baseUrl: string, title: string, body = 'Reply below.'): Promise<string> {
  const author = new HttpClient(undefined, baseUrl)
  await joinAsNewMember(author)
  const response = await author.post('/discussions/new', { category: 'testing-and-go-live', title, body })
  if (response.status !== 302) throw new Error(`starting a thread answered ${response.status}`)
  return response.headers.get('location')!
}

/**
 * kill -9 of a production server under a mixed write load, then a restart on the same
 * database, `crashes` times over; the last server is left stopped. What the load saw, and
 * where the database is, for checking what survived.
 */
export async function crashUnderWriteLoad(crashes: number) {
  let server = await startServer({ PAGE_CACHE_TTL_MS: '0' })
  try {
    const threadPath = await threadByNewMember(server.baseUrl, 'A thread written to while the server dies')
    const { postId, caseSlug, events, members } = await withServerDatabase(server, async (setup) => ({
      postId: ((await setup.one(sql`select id from posts where thread_id = ${Number(threadPath.split('/')[2])} and number = 1`)) as { id: number }).id,
      caseSlug: ((await setup.one(sql`select slug from cases where status = 'published' limit 1`)) as { slug: string }).slug,
      events: [await insertEvent(setup.kysely, { capacity: 3 }), await insertEvent(setup.kysely, { capacity: null })],
      members: await insertMembers(setup.kysely, 1500),
    }))

    const acknowledged: AcknowledgedWrite[] = []
    const serverErrors: string[] = []
    const threadStatuses: number[] = []
    let unused = members
    for (let crash = 0; crash < crashes; crash++) {
      const load = startWriteLoad(server.baseUrl, unused, { threadPath, events, postId, caseSlug }, 8)
      await new Promise((resolve) => setTimeout(resolve, 1500 + crash * 500))
      await server.kill()
      await load.stop()
      acknowledged.push(...load.acknowledged)
      serverErrors.push(...load.serverErrors)
      unused = unused.slice(load.membersTaken)

      server = await startServer({ ...databaseEnv(server), PAGE_CACHE_TTL_MS: '0' })
      threadStatuses.push((await new HttpClient(undefined, server.baseUrl).get(threadPath)).status)
    }
    return { database: { databasePath: server.databasePath, databaseUrl: server.databaseUrl }, acknowledged, serverErrors, threadStatuses }
  } finally {
    await server.stop()
  }
}
