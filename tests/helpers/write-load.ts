// A mixed write load over real HTTP (replies, new threads, RSVPs, case drafts), remembering
// every write the server acknowledged, and a check of which of them a database file lacks.
import type Database from 'better-sqlite3'
import { caseForm } from '../integration/support'
import { type EventRef, type InsertedMember, postFields } from '../integration/events-support'
import { HttpClient, joinAsNewMember } from './http-client'

export interface AcknowledgedWrite {
  kind: 'reply' | 'thread' | 'rsvp' | 'draft'
  /** What identifies the written row: the unique text, or `eventId:userId` for an RSVP. */
  key: string
  /** When the answer arrived (ms since the epoch). */
  at: number
}

export interface WriteLoad {
  acknowledged: AcknowledgedWrite[]
  /** Answers of 500 and above while the server was up. */
  serverErrors: string[]
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
  target: { threadPath: string; events: EventRef[] },
  workers = 6,
): WriteLoad {
  const load: WriteLoad = { acknowledged: [], serverErrors: [], stop: async () => {} }
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
  return writes.filter((write) => {
    if (write.kind === 'rsvp') {
      const [eventId, userId] = write.key.split(':').map(Number)
      return !rsvp.get(eventId, userId)
    }
    return !{ reply, thread, draft }[write.kind].get(write.key)
  })
}

/** A thread started over HTTP by a member who joins for it; its path. */
export async function threadByNewMember(baseUrl: string, title: string, body = 'Reply below.'): Promise<string> {
  const author = new HttpClient(undefined, baseUrl)
  await joinAsNewMember(author)
  const response = await author.post('/discussions/new', { category: 'testing-and-go-live', title, body })
  if (response.status !== 302) throw new Error(`starting a thread answered ${response.status}`)
  return response.headers.get('location')!
}
