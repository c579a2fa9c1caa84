import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMail } from '../lib/mail-template'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Actor } from '../lib/roles'
import { generateSecretToken, hashSecretToken, looksLikeSecretToken } from '../lib/secret-token.server'
import { siteUrl } from '../lib/site-url'
import { invitationPath, teamPath } from '../lib/team-paths'
import type { TeamSide } from '../lib/team-sides'
import { enqueueMail } from './mail-outbox.server'
import { asOwner, currentRoundOf, isParticipant } from './team-assessment.server'
import { participationRefusal } from './participation.server'

// Two ways in: an invitation emailed to one address (used once), and an invite link the owner
// can hand around and revoke. Both carry a 160-bit token in the address; only its hash is kept.
// Either way the token stays in the link: someone who is not a member joins (or signs in) and
// comes back to the same link to accept.

async function inviterName(trx: Kysely<Database>, userId: number) {
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow()
  return row.display_name
}

/**
 * Emails an invitation to `email` from the owner, saying who invites them and why. Inviting the
 * same address again sends a fresh link and retires the earlier one.
 */
export async function inviteByEmail(
  owner: Actor,
  assessmentId: number,
  input: { email: string; message: string | null },
  now = new Date(),
): Promise<Outcome> {
  const email = input.email.trim().toLowerCase()
  return asOwner(owner, assessmentId, async (trx, team) => {
    const member = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    if (member && (await isParticipant(trx, team.id, member.id))) {
      return refuse(409, 'Someone with that address already takes part in this assessment.', 'email')
    }
    const token = generateSecretToken()
    await trx.deleteFrom('team_invitations').where('assessment_id', '=', team.id).where('email', '=', email).where('accepted_at', 'is', null).execute()
    await trx
      .insertInto('team_invitations')
      .values({ assessment_id: team.id, email, token_hash: hashSecretToken(token), invited_by: owner.id, created_at: now.toISOString() })
      .execute()
    const from = await inviterName(trx, owner.id)
    const mail = renderMail({
      subject: `${from} invites you to assess “${team.projectName}” together`,
      heading: `${from} invites you to a team alignment assessment`,
      paragraphs: [
        `${from} is running a team alignment assessment for the project “${team.projectName}” on SectorPulse and would like your view.`,
        ...(input.message ? [`${from} wrote: “${input.message}”`] : []),
        'Each person on the team answers the same readiness questions for the side they speak for (IT, program, sponsor, vendor, frontline or oversight). Nobody sees anyone’s answers until they have given their own; then the team sees where its sides agree and where they do not.',
        'If you are not a member of SectorPulse yet, the link asks you to join (or sign in) first; follow it again afterwards to accept.',
      ],
      action: { label: 'See the invitation', url: `${siteUrl()}${invitationPath(token)}` },
      footer: { why: `You got this email because ${from} entered your address to invite you. If you do not know them, ignore it: nothing happens.` },
    })
    await enqueueMail(trx, { userId: member?.id ?? null, toAddress: email, kind: 'team_invitation', ...mail })
    return ok()
  })
}

/** A new invite link for the assessment; the previous one, if any, stops working. */
export async function createInviteLink(owner: Actor, assessmentId: number): Promise<Outcome<{ token: string }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const token = generateSecretToken()
    await trx.updateTable('team_assessments').set({ invite_link_hash: hashSecretToken(token) }).where('id', '=', team.id).execute()
    return ok({ token })
  })
}

export async function revokeInviteLink(owner: Actor, assessmentId: number): Promise<Outcome> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    await trx.updateTable('team_assessments').set({ invite_link_hash: null }).where('id', '=', team.id).execute()
    return ok()
  })
}

export interface Invitation {
  assessmentId: number
  projectName: string
  invitedBy: string | null
  /** An emailed invitation (used once) or the assessment's invite link. */
  kind: 'email' | 'link'
}

async function findInvitationIn(trx: Kysely<Database>, token: string) {
  if (!looksLikeSecretToken(token)) return null
  const hash = hashSecretToken(token)
  const emailed = await trx
    .selectFrom('team_invitations as i')
    .innerJoin('team_assessments as t', 't.id', 'i.assessment_id')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select(['i.id', 't.id as assessmentId', 't.project_name', 'u.display_name'])
    .where('i.token_hash', '=', hash)
    .where('i.accepted_at', 'is', null)
    .executeTakeFirst()
  if (emailed) {
    return { invitationId: emailed.id, assessmentId: emailed.assessmentId, projectName: emailed.project_name, invitedBy: emailed.display_name, kind: 'email' as const }
  }
  const linked = await trx
    .selectFrom('team_assessments as t')
    .innerJoin('users as u', 'u.id', 't.owner_id')
    .select(['t.id', 't.project_name', 'u.display_name'])
    .where('t.invite_link_hash', '=', hash)
    .executeTakeFirst()
  return linked ? { invitationId: null, assessmentId: linked.id, projectName: linked.project_name, invitedBy: linked.display_name, kind: 'link' as const } : null
}

/** The invitation a token opens, or null for an unknown, used or revoked one. */
export async function findInvitation(token: string): Promise<Invitation | null> {
  const found = await findInvitationIn(db, token)
  return found && { assessmentId: found.assessmentId, projectName: found.projectName, invitedBy: found.invitedBy, kind: found.kind }
}

/** The member joins the assessment for `side`; an emailed invitation is used up. */
export async function acceptInvitation(member: Actor, token: string, side: TeamSide, now = new Date()): Promise<Outcome<{ assessmentId: number }>> {
  return writeTransaction(async (trx) => {
    const refusal = await participationRefusal(trx, member)
    if (refusal) return refusal
    const invitation = await findInvitationIn(trx, token)
    if (!invitation) return refuse(404, 'This invitation has been used, withdrawn or replaced. Ask the person who invited you for a new one.')
    if (invitation.invitationId !== null) {
      await trx.updateTable('team_invitations').set({ accepted_at: now.toISOString() }).where('id', '=', invitation.invitationId).execute()
    }
    if (!(await isParticipant(trx, invitation.assessmentId, member.id))) {
      await trx
        .insertInto('team_participants')
        .values({ assessment_id: invitation.assessmentId, user_id: member.id, side, joined_at: now.toISOString() })
        .execute()
    }
    return ok({ assessmentId: invitation.assessmentId })
  })
}

/** One reminder per participant per round, from the owner, to someone who has not answered yet. */
export async function sendReminder(owner: Actor, assessmentId: number, userId: number, now = new Date()): Promise<Outcome<{ displayName: string }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const participant = await trx
      .selectFrom('team_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.id', 'u.email', 'u.display_name'])
      .where('p.assessment_id', '=', team.id)
      .where('p.user_id', '=', userId)
      .executeTakeFirst()
    if (!participant || userId === owner.id) return refuse(404, 'That member does not take part in this assessment.')
    const round = await currentRoundOf(trx, team.id)
    const answered = await trx
      .selectFrom('team_responses')
      .select('user_id')
      .where('round_id', '=', round.id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (answered) return refuse(409, `${participant.display_name} has already answered this round.`)
    const reminded = await trx
      .selectFrom('team_reminders')
      .select('sent_at')
      .where('round_id', '=', round.id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (reminded) return refuse(409, `You have already reminded ${participant.display_name} in this round.`)
    await trx.insertInto('team_reminders').values({ round_id: round.id, user_id: userId, sent_at: now.toISOString() }).execute()
    const from = await inviterName(trx, owner.id)
    const mail = renderMail({
      subject: `Reminder: your answers for “${team.projectName}”, round ${round.number}`,
      heading: `${from} is waiting for your answers`,
      paragraphs: [
        `${from} asks you to answer round ${round.number} of the team alignment assessment for “${team.projectName}”.`,
        'It takes about ten minutes. Once you have answered, you see how the other sides answered and where they differ.',
      ],
      action: { label: 'Answer now', url: `${siteUrl()}${teamPath(team.id)}/answer` },
      footer: { why: `You take part in the team assessment for “${team.projectName}”. The owner can send you one reminder per round.` },
    })
    await enqueueMail(trx, { userId: participant.id, toAddress: participant.email, kind: 'team_reminder', ...mail })
    return ok({ displayName: participant.display_name })
  })
}

// ---------------------------------------------------------------------------------------------
// The read-only share link: results only, no sign-in, revocable.

export async function createShareLink(owner: Actor, assessmentId: number): Promise<Outcome<{ token: string }>> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    const token = generateSecretToken()
    await setShareToken(trx, team.id, token)
    return ok({ token })
  })
}

/** Sets the share link's token (the demo content fixes one so the README can name its address). */
export async function setShareToken(trx: Kysely<Database>, assessmentId: number, token: string) {
  await trx.updateTable('team_assessments').set({ share_link_hash: hashSecretToken(token) }).where('id', '=', assessmentId).execute()
}

export async function revokeShareLink(owner: Actor, assessmentId: number): Promise<Outcome> {
  return asOwner(owner, assessmentId, async (trx, team) => {
    await trx.updateTable('team_assessments').set({ share_link_hash: null }).where('id', '=', team.id).execute()
    return ok()
  })
}

/** The assessment a share token opens, or null for an unknown or revoked one. */
export async function teamForShareToken(token: string): Promise<{ id: number; projectName: string } | null> {
  if (!looksLikeSecretToken(token)) return null
  const row = await db
    .selectFrom('team_assessments')
    .select(['id', 'project_name'])
    .where('share_link_hash', '=', hashSecretToken(token))
    .executeTakeFirst()
  return row ? { id: row.id, projectName: row.project_name } : null
}
