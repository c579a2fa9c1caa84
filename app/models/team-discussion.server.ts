import type { Kysely } from 'kysely'
import { db } from '../../db/client'
import type { Database } from '../../db/schema'
import { renderMail } from '../lib/mail-template'
import { renderMarkdown, SHOWN_UNDER } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import type { Actor } from '../lib/roles'
import { siteUrl } from '../lib/site-url'
import { discussionPath, teamPath } from '../lib/team-paths'
import { enqueueMail } from './mail-outbox.server'
import { asParticipant, currentRoundOf } from './team-assessment.server'
import { participationRefusal } from './participation.server'

// The team's private conversation about one question, so a disagreement turns into a talk.
// Participants hear about a new comment by email, not through the site's notifications: the
// fan-out's audiences (watchers, followers, mentions) are public-content concepts, and a team
// has exactly one audience, its other participants, known in the comment's own transaction.
// Comments can reveal how a side answered, so the no-anchoring rule covers them too: only who has
// answered the current round reads or writes them, and the others are told a comment is waiting
// without its words.

export interface TeamComment {
  id: number
  authorName: string | null
  authorHandle: string | null
  bodyHtml: string
  createdAt: string
}

/** The comments on one question, oldest first (the caller has checked the viewer takes part). */
export async function listTeamComments(assessmentId: number, questionKey: string): Promise<TeamComment[]> {
  const rows = await db
    .selectFrom('team_comments as c')
    .leftJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'u.display_name', 'u.handle', 'c.body_html', 'c.created_at'])
    .where('c.assessment_id', '=', assessmentId)
    .where('c.question_key', '=', questionKey)
    .orderBy('c.id')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    authorName: row.display_name,
    authorHandle: row.handle,
    bodyHtml: row.body_html,
    createdAt: row.created_at,
  }))
}

/** How many comments each question has, for the results page's links. */
export async function countTeamComments(assessmentId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('team_comments')
    .select(['question_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('assessment_id', '=', assessmentId)
    .groupBy('question_key')
    .execute()
  return Object.fromEntries(rows.map((row) => [row.question_key, Number(row.n)]))
}

export async function addTeamComment(
  member: Actor,
  assessmentId: number,
  question: { key: string; area: string },
  bodyMd: string,
  { now = new Date(), trx: outer = db }: { now?: Date; trx?: Kysely<Database> } = {},
): Promise<Outcome<{ id: number }>> {
  return asParticipant(
    member,
    assessmentId,
    async (trx, team) => {
      const refusal = await participationRefusal(trx, member)
      if (refusal) return refusal
      const round = await currentRoundOf(trx, team.id)
      const people = await trx
        .selectFrom('team_participants as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .leftJoin('team_responses as r', (join) => join.onRef('r.user_id', '=', 'p.user_id').on('r.round_id', '=', round.id))
        .select(['u.id', 'u.email', 'u.display_name', 'r.submitted_at'])
        .where('p.assessment_id', '=', team.id)
        .execute()
      const author = people.find((p) => p.id === member.id)!
      if (author.submitted_at === null) {
        return refuse(409, `Give your own answers to round ${round.number} first: then you can read and join the team's discussion.`)
      }
      const bodyHtml = renderMarkdown(bodyMd, { headingsUnder: SHOWN_UNDER.teamComment })
      const { id } = await trx
        .insertInto('team_comments')
        .values({
          assessment_id: team.id,
          question_key: question.key,
          author_id: member.id,
          body_md: bodyMd,
          body_html: bodyHtml,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const url = `${siteUrl()}${discussionPath(team.id, question.key)}#comment-${id}`
      const subject = `${author.display_name} on “${question.area}” in “${team.projectName}”`
      const heading = `${author.display_name} commented on “${question.area}”`
      const footer = { why: `You take part in the team assessment for “${team.projectName}”; every participant hears about its comments.` }
      const readable = renderMail({
        subject,
        heading,
        paragraphs: [`In the team alignment assessment for “${team.projectName}”:`],
        quote: { bodyMd, bodyHtml },
        action: { label: 'Read and reply', url },
        footer,
      })
      const answerFirst = renderMail({
        subject,
        heading,
        paragraphs: [
          `In the team alignment assessment for “${team.projectName}”.`,
          `So that nobody anchors on anyone else, you can read the team's discussion once you have given your own answers to round ${round.number}.`,
        ],
        action: { label: `Answer round ${round.number}`, url: `${siteUrl()}${teamPath(team.id)}/answer` },
        footer,
      })
      for (const person of people) {
        if (person.id === member.id) continue
        await enqueueMail(trx, {
          userId: person.id,
          toAddress: person.email,
          kind: 'team_comment',
          threadKey: `team-${team.id}-${question.key}`,
          ...(person.submitted_at === null ? answerFirst : readable),
        })
      }
      return ok({ id })
    },
    outer,
  )
}
