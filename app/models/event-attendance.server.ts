import { sql } from 'kysely'
import { db } from '../../db/client'
import type { RsvpStatus } from '../../db/schema'
import { type Outcome, ok } from '../lib/outcome'
import { type Actor, isOrganizer, notOrganizer } from './event-rules.server'

export interface Attendee {
  handle: string
  displayName: string
  email: string
  organization: string | null
  status: RsvpStatus
  position: number | null
  answeredAt: string
}

/** Going, then the waitlist in order, then interested. Organizers only. */
export async function listAttendees(actor: Actor, eventId: number): Promise<Outcome<Attendee[]>> {
  if (!isOrganizer(actor)) return notOrganizer()
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name', 'u.email', 'u.organization', 'r.status', 'r.waitlist_ticket', 'r.updated_at'])
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
    })),
  )
}

/** The attendee list as CSV; cells that a spreadsheet would run as formulas are defused. */
export function attendeesCsv(attendees: Attendee[]): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value)
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const header = ['Name', 'Handle', 'Email', 'Organization', 'Status', 'Waitlist position', 'Answered at (UTC)']
  const lines = attendees.map((a) =>
    [a.displayName, a.handle, a.email, a.organization, a.status, a.position, a.answeredAt].map(cell).join(','),
  )
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`
}
