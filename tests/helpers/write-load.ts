// A mixed write load over real HTTP (replies, new threads, RSVPs, case drafts, helpful marks),
// remembering
// every write the server acknowledged, and a check of which of them a database file lacks.
import type Database from 'better-sqlite3'
import { caseForm } from '../integration/support'
import { type EventRef, type InsertedMember, postFields } from '../integration/events-support'
import { HttpClient, joinAsNewMember } from './http-client'

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
export function missingWrites(file: Database.Database, writes: AcknowledgedWrite[]): AcknowledgedWrite[] {
  const reply = file.prepare('select 1 from posts where body_md = ?')
  const thread = file.prepare('select 1 from threads where title = ?')
  const rsvp = file.prepare(`select 1 from rsvps where event_id = ? and user_id = ? and status in ('going', 'waitlisted')`)
  const draft = file.prepare('select 1 from cases where title = ?')
  const helpful = file.prepare('select 1 from post_helpful where post_id = ? and user_id = ?')
  const reaction = file.prepare('select 1 from case_reactions r join cases c on c.id = r.case_id where c.slug = ? and r.user_id = ? and r.kind = ?')
  return writes.filter((write) => {
    const [a, b, c] = write.key.split(':')
    switch (write.kind) {
      case 'rsvp':
        return !rsvp.get(Number(a), Number(b))
      case 'helpful-post':
        return !helpful.get(Number(a), Number(b))
      case 'case-reaction':
        return !reaction.get(a, Number(b), c)
      default:
        return !{ reply, thread, draft }[write.kind].get(write.key)
    }
  })
}

/**
 * Every stored counter that disagrees with the rows it counts, as `table id column: stored
 * vs counted` (empty when all agree).
 */
export function counterMismatches(file: Database.Database): string[] {
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
  return counters.flatMap(({ table, column, counted }) =>
    (
      file.prepare(`select id, ${column} as stored, (${counted}) as counted from ${table} t where ${column} != (${counted})`).all() as {
        id: number
        stored: number
        counted: number
      }[]
    ).map((row) => `${table} ${row.id} ${column}: ${row.stored} vs ${row.counted}`),
  )
}

/** A thread started over HTTP by a member who joins for it; its path. */
export async function threadByNewMember(baseUrl: string, title: string, body = 'Reply below.'): Promise<string> {
  const author = new HttpClient(undefined, baseUrl)
  await joinAsNewMember(author)
  const response = await author.post('/discussions/new', { category: 'testing-and-go-live', title, body })
  if (response.status !== 302) throw new Error(`starting a thread answered ${response.status}`)
  return response.headers.get('location')!
}
