import { recordIdParam } from './forms'
import type { Actor } from './roles'
import { getTeamAssessment, type TeamAssessment } from '../models/team-assessment.server'

/** The assessment id in a route's params; anything else is no assessment at all. */
export const teamIdParam = recordIdParam

/** The assessment for one of its participants; everyone else (moderators and admins too) gets 404. */
export async function requireTeamAssessment(viewer: Actor, param: string | undefined): Promise<TeamAssessment> {
  const team = await getTeamAssessment(viewer, teamIdParam(param))
  if (!team) throw new Response('No team assessment of yours has that number.', { status: 404 })
  return team
}
