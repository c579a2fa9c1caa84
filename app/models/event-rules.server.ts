import { refuse } from '../lib/outcome'
import { type Actor, isModerator } from '../lib/roles'

export type { Actor }

/** Organizers are moderators and admins. */
export const isOrganizer = (actor: Actor | null) => isModerator(actor)
export const notOrganizer = () => refuse(403, 'Only moderators and admins organize events.')

/** RSVPs close at the deadline, or at the start when there is none (or it is later). */
export function rsvpClosesAt(event: { rsvp_deadline: string | null; starts_at: string }): string {
  return event.rsvp_deadline && event.rsvp_deadline < event.starts_at ? event.rsvp_deadline : event.starts_at
}
