import { type Kysely, sql } from 'kysely'
import { db, noteChanges, writeTransaction } from '../../db/client'
import { pageTags } from '../../db/page-tags'
import type { Database, RsvpStatus } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, isOrganizer, notOrganizer } from './event-rules.server'

export interface Attendee {
  handle: string
  displayName: string
  email: string
  organization: string | null
  status: RsvpStatus
  position: number | null
  answeredAt: string
  /** Recorded by an organizer after the event (going members only). */
  attended: boolean
}

/** Going, then the waitlist in order, then interested. Organizers only. */
export async function listAttendees(actor: Actor, eventId: number): Promise<Outcome<Attendee[]>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name', 'u.email', 'u.organization', 'r.status', 'r.waitlist_ticket', 'r.updated_at', 'r.attended'])
    .where('r.event_id', '=', eventId)
    .where('r.status', 'in', ['going', 'waitlisted', 'interested'])
    .orderBy(sql`case r.status when 'going' then 0 when 'waitlisted' then 1 else 2 end`)
    .orderBy('r.waitlist_ticket')
    .orderBy('r.updated_at')
    .execute()
  let position = 0
  return ok(
    rows.map((row) => ({
      handle: row.handle,
      displayName: row.display_name,
      email: row.email,
      organization: row.organization,
      status: row.status,
      position: row.status === 'waitlisted' ? ++position : null,
      answeredAt: row.updated_at,
      attended: row.attended === 1,
    })),
  )
}

/**
 * The attendee list as CSV; cells that a spreadsheet would run as formulas are defused.
 * "Attended" is yes or no for going members once attendance is recorded, and empty before that
 * (nobody's presence is known yet) and for members who were not going.
 */
export function attendeesCsv(attendees: Attendee[], { attendanceRecorded }: { attendanceRecorded: boolean }): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const header = ['Name', 'Handle', 'Email', 'Organization', 'Status', 'Waitlist position', 'Answered at (UTC)', 'Attended']
  const attended = (a: Attendee) => (attendanceRecorded && a.status === 'going' ? (a.attended ? 'yes' : 'no') : '')
  const lines = attendees.map((a) =>
    [a.displayName, a.handle, a.email, a.organization, a.status, a.position, a.answeredAt, attended(a)].map(cell).join(','),
  )
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`
}

export interface AttendanceInput {
  /** Handles of members on the going list who came. */
  attendedHandles: string[]
  /** People who came without an RSVP. */
  walkIns: number
}

/**
 * After an event has started, an organizer records who came from the going list, and walk-ins.
 * Recording again replaces the earlier record; the event then shows how many attended.
 */
export async function recordAttendance(
  actor: Actor,
  eventId: number,
  input: AttendanceInput,
  options: { now?: Date; trx?: Kysely<Database> } = {},
): Promise<Outcome<{ attendedCount: number }>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const now = (options.now ?? new Date()).toISOString()
  return writeTransaction(async (trx) => {
    noteChanges(trx, [pageTags.events])
    const event = await trx.selectFrom('events').select(['status', 'starts_at']).where('id', '=', eventId).executeTakeFirst()
    if (!event) return refuse(404, 'No event has that number.')
    if (event.status !== 'published') return refuse(409, 'Attendance is recorded for published events only.')
    if (now < event.starts_at) return refuse(409, 'Attendance can be recorded once the event has started.')
    const handles = [...new Set(input.attendedHandles)]
    const going = handles.length
      ? await trx
          .selectFrom('rsvps as r')
          .innerJoin('users as u', 'u.id', 'r.user_id')
          .select('r.user_id')
          .where('r.event_id', '=', eventId)
          .where('r.status', '=', 'going')
          .where('u.handle', 'in', handles)
          .execute()
      : []
    if (going.length !== handles.length) return refuse(400, 'Choose people from the going list', 'attended')
    const cameIds = going.map((row) => row.user_id)
    await trx
      .updateTable('rsvps')
      .set({ attended: cameIds.length ? sql<number>`case when user_id in (${sql.join(cameIds)}) then 1 else 0 end` : 0 })
      .where('event_id', '=', eventId)
      .execute()
    const attendedCount = cameIds.length + input.walkIns
    await trx
      .updateTable('events')
      .set({ walk_in_count: input.walkIns, attended_count: attendedCount, attendance_recorded_at: now })
      .where('id', '=', eventId)
      .execute()
    return ok({ attendedCount })
  }, options.trx)
}
