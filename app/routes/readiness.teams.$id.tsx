import { pageTitle } from '../lib/page-title'
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { ErrorSummary, SelectField, TextField } from '../components/forms'
import { participationRefusal, requireUser } from '../lib/auth.server'
import { ParticipantsOnly, useParticipationRefusal } from '../components/participation-notice'
import { formatLongDate } from '../lib/dates'
import { redirectWithFlash } from '../lib/flash.server'
import { type FieldErrors, parseForm, readForm, typedValues } from '../lib/forms'
import type { Outcome } from '../lib/outcome'
import { siteUrl } from '../lib/site-url'
import { invitationPath, sharePath } from '../lib/team-paths'
import {
  INVITE_MESSAGE_MAX,
  inviteSchema,
  newOwnerSchema,
  participantSchema,
  questionIdSchema,
  sideSchema,
  TEAM_AREA_MAX,
  TEAM_QUESTION_MAX,
  teamQuestionSchema,
} from '../lib/team-assessment-form'
import { requireTeamAssessment, teamIdParam } from '../lib/team-route.server'
import { SIDE_OPTIONS, sideLabel, TEAM_QUESTIONS_PER_ROUND } from '../lib/team-sides'
import {
  addTeamQuestion,
  changeSide,
  deleteTeamAssessment,
  leaveTeamAssessment,
  openNextRound,
  removeParticipant,
  removeTeamQuestion,
  transferOwnership,
} from '../models/team-assessment.server'
import {
  createInviteLink,
  createShareLink,
  inviteByEmail,
  revokeInviteLink,
  revokeShareLink,
  sendReminder,
} from '../models/team-invitation.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`${data.team.projectName}: team assessment`) : pageTitle('Team assessment not found') },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const team = await requireTeamAssessment(user, params.id)
  const me = team.participants.find((p) => p.userId === user.id)!
  return json({
    team: {
      ...team,
      rounds: team.rounds.map((r) => ({ ...r, openedOn: formatLongDate(r.openedAt) })),
      pendingInvitations: team.pendingInvitations.map((i) => ({ ...i, sentOn: formatLongDate(i.createdAt) })),
    },
    userId: user.id,
    answered: me.answered,
  })
}

type ActionData = { errors: FieldErrors; values: Record<string, string>; link?: { kind: 'invite' | 'share'; url: string } }

/** Intents that take part (send mail, change what the team answers) need a member in good standing. */
const TAKING_PART = new Set(['invite', 'remind', 'add-question', 'invite-link'])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readForm(request)
  const intent = String(formData.get('intent') ?? '')
  const id = teamIdParam(params.id)
  const values = typedValues(formData)
  // Sent from a page opened before the member was restricted: the page comes back with what they typed.
  const refusal = TAKING_PART.has(intent) ? participationRefusal(user) : null
  if (refusal) return json<ActionData>({ errors: { form: refusal }, values }, { status: 403 })
  const here = `/readiness/teams/${id}`

  const withForm = async <S extends z.ZodTypeAny, T>(schema: S, run: (data: z.infer<S>) => Promise<Outcome<T>>, done: (value: T) => Promise<Response>) => {
    const parsed = parseForm(formData, schema)
    if (!parsed.ok) return json<ActionData>({ errors: parsed.errors, values }, { status: 400 })
    const outcome = await run(parsed.data)
    if (!outcome.ok) {
      if (outcome.status === 404) throw new Response(outcome.message, { status: 404 })
      return json<ActionData>({ errors: { [outcome.field ?? 'form']: outcome.message }, values }, { status: outcome.status })
    }
    return done(outcome.value)
  }
  const flash = (message: string, to = here) => () => redirectWithFlash(to, message)
  const emptySchema = z.object({})

  switch (intent) {
    case 'invite':
      return withForm(inviteSchema, (data) => inviteByEmail(user, id, data), flash(`Invitation sent to ${values.email?.trim()}.`))
    case 'invite-link':
      return withForm(emptySchema, () => createInviteLink(user, id), async ({ token }) =>
        json<ActionData>({ errors: {}, values: {}, link: { kind: 'invite', url: `${siteUrl()}${invitationPath(token)}` } }),
      )
    case 'revoke-invite-link':
      return withForm(emptySchema, () => revokeInviteLink(user, id), flash('The invite link no longer works.'))
    case 'share-link':
      return withForm(emptySchema, () => createShareLink(user, id), async ({ token }) =>
        json<ActionData>({ errors: {}, values: {}, link: { kind: 'share', url: `${siteUrl()}${sharePath(token)}` } }),
      )
    case 'revoke-share-link':
      return withForm(emptySchema, () => revokeShareLink(user, id), flash('The share link no longer works.'))
    case 'remind':
      return withForm(participantSchema, (data) => sendReminder(user, id, data.userId), async ({ displayName }) =>
        redirectWithFlash(here, `Reminder sent to ${displayName}.`),
      )
    case 'remove':
      return withForm(participantSchema, (data) => removeParticipant(user, id, data.userId), async ({ displayName }) =>
        redirectWithFlash(here, `${displayName} no longer takes part.`),
      )
    case 'transfer':
      return withForm(newOwnerSchema, (data) => transferOwnership(user, id, data.newOwner), async ({ displayName }) =>
        redirectWithFlash(here, `${displayName} now owns this assessment.`),
      )
    case 'side':
      return withForm(sideSchema, (data) => changeSide(user, id, data.side), flash('Your side is changed. Answers you already gave keep the side you gave them for.'))
    case 'next-round':
      return withForm(emptySchema, () => openNextRound(user, id), async ({ number }) =>
        redirectWithFlash(here, `Round ${number} is open. Earlier rounds stay readable.`),
      )
    case 'add-question':
      return withForm(teamQuestionSchema, (data) => addTeamQuestion(user, id, data), flash('The question is added to this round.'))
    case 'remove-question':
      return withForm(questionIdSchema, (data) => removeTeamQuestion(user, id, data.questionId), flash('The question is removed.'))
    case 'leave':
      return withForm(emptySchema, () => leaveTeamAssessment(user, id), flash('You have left the assessment.', '/readiness/teams'))
    case 'delete':
      return withForm(emptySchema, () => deleteTeamAssessment(user, id), flash('The team assessment is deleted.', '/readiness/teams'))
    default:
      return json<ActionData>({ errors: { form: 'Choose one of the buttons on the page.' }, values }, { status: 400 })
  }
}

function IntentButton({ intent, label, className = 'button button--secondary', hidden }: { intent: string; label: string; className?: string; hidden?: Record<string, string | number> }) {
  return (
    <Form method="post" className="inline-form">
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  )
}

export default function TeamAssessmentPage() {
  const { team, userId, answered } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const readOnlyReason = useParticipationRefusal()
  const errors = actionData?.errors
  const values = actionData?.values ?? {}
  const round = team.currentRound
  const base = `/readiness/teams/${team.id}`
  const others = team.participants.filter((p) => p.userId !== userId)
  const answeredCount = team.participants.filter((p) => p.answered).length
  return (
    <div className="readiness team-assessment">
      <p className="breadcrumbs">
        <Link to="/readiness/teams">Team alignment assessments</Link>
      </p>
      <h1>{team.projectName}</h1>
      <p className="lead">
        Team alignment assessment. You speak for {sideLabel(team.side)}. Round {round.number} opened on{' '}
        {team.rounds[team.rounds.length - 1].openedOn}; {answeredCount} of {team.participants.length} have answered.
      </p>
      <ErrorSummary errors={errors} />
      {actionData?.link ? (
        <div className="notice" role="status">
          <p>
            {actionData.link.kind === 'invite'
              ? 'The new invite link (anyone who has it and is a member can join; copy it now, it is shown only once):'
              : 'The new share link (anyone who has it sees the results, without signing in; copy it now, it is shown only once):'}
          </p>
          <p>
            <code className="secret-link">{actionData.link.url}</code>
          </p>
        </div>
      ) : null}

      <div className="form-actions">
        <Link className="button" to={`${base}/answer`}>
          {answered ? `Change your answers to round ${round.number}` : `Answer round ${round.number}`}
        </Link>
        {answered || team.rounds.length > 1 ? (
          <Link className="button button--secondary" to={`${base}/results`}>
            See the results
          </Link>
        ) : null}
        {team.rounds.length > 1 ? (
          <Link className="button button--secondary" to={`${base}/trend`}>
            See the trend across rounds
          </Link>
        ) : null}
        <Link className="button button--secondary" to={`${base}/report`}>
          Printable report
        </Link>
      </div>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">Who has answered round {round.number}</h2>
        <p>Answers stay private until you have given your own; this list shows only who has answered.</p>
        <ul className="team-people">
          {team.participants.map((p) => (
            <li key={p.userId}>
              <Link to={`/members/${p.handle}`}>{p.displayName}</Link> <span className="muted">({sideLabel(p.side)}{p.isOwner ? ', owner' : ''})</span>:{' '}
              {p.answered ? <strong>Answered</strong> : 'Not answered yet'}
              {team.isOwner && p.userId !== userId ? (
                <span className="team-people__actions">
                  {!p.answered && !p.reminded && !readOnlyReason ? (
                    <IntentButton intent="remind" label={`Remind ${p.displayName}`} hidden={{ userId: p.userId }} />
                  ) : !p.answered ? (
                    <span className="muted"> Reminded this round.</span>
                  ) : null}
                  <IntentButton intent="remove" label={`Remove ${p.displayName}`} className="button button--danger" hidden={{ userId: p.userId }} />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="side-heading">
        <h2 id="side-heading">Your side</h2>
        <Form method="post" noValidate>
          <SelectField name="side" label="The side you speak for" options={SIDE_OPTIONS} defaultValue={team.side} error={errors?.side} />
          <button type="submit" name="intent" value="side" className="button button--secondary">
            Change side
          </button>
        </Form>
      </section>

      {team.isOwner ? (
        <>
          <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">Invite the team</h2>
            <p>Each person chooses the side they speak for when they accept. Someone who is not a member joins SectorPulse first, then follows the link again.</p>
            <ParticipantsOnly submitted={!!actionData}>
              <Form method="post" noValidate>
                <TextField name="email" label="Email address" type="email" autoComplete="off" defaultValue={values.email} error={errors?.email} />
                <TextField
                  name="message"
                  label="Why you are inviting them (optional)"
                  hint="Shown in the email, after your name."
                  maxLength={INVITE_MESSAGE_MAX}
                  defaultValue={values.message}
                  error={errors?.message}
                />
                <button type="submit" name="intent" value="invite" className="button">
                  Send the invitation
                </button>
              </Form>
            </ParticipantsOnly>
            {team.pendingInvitations.length ? (
              <>
                <h3>Invited, not yet joined</h3>
                <ul>
                  {team.pendingInvitations.map((i) => (
                    <li key={i.email}>
                      {i.email} <span className="muted">(invited {i.sentOn})</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>Invite link</h3>
            <p>
              {team.hasInviteLink
                ? 'An invite link is active. Anyone who has it and is a member can join.'
                : 'No invite link is active. Make one to share in a meeting or a chat; you can revoke it at any time.'}
            </p>
            <div className="form-actions">
              {readOnlyReason ? null : (
                <IntentButton intent="invite-link" label={team.hasInviteLink ? 'Replace the invite link' : 'Make an invite link'} />
              )}
              {team.hasInviteLink ? <IntentButton intent="revoke-invite-link" label="Revoke the invite link" className="button button--danger" /> : null}
            </div>
          </section>

          <section aria-labelledby="questions-heading">
            <h2 id="questions-heading">The team’s own questions in round {round.number}</h2>
            <p>Up to {TEAM_QUESTIONS_PER_ROUND}, asked after the standard ones, before anyone answers the round.</p>
            {team.teamQuestions.length ? (
              <ul>
                {team.teamQuestions.map((q) => (
                  <li key={q.id}>
                    <strong>{q.area}:</strong> {q.question}{' '}
                    {answeredCount === 0 ? <IntentButton intent="remove-question" label={`Remove “${q.area}”`} hidden={{ questionId: q.id }} /> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {answeredCount === 0 && team.teamQuestions.length < TEAM_QUESTIONS_PER_ROUND ? (
              <ParticipantsOnly submitted={!!actionData}>
                <Form method="post" noValidate>
                  <TextField name="area" label="Area" hint="A few words, like “Data migration”." maxLength={TEAM_AREA_MAX} defaultValue={values.area} error={errors?.area} />
                  <TextField name="question" label="Question" maxLength={TEAM_QUESTION_MAX} defaultValue={values.question} error={errors?.question} />
                  <button type="submit" name="intent" value="add-question" className="button button--secondary">
                    Add the question
                  </button>
                </Form>
              </ParticipantsOnly>
            ) : null}
          </section>

          <section aria-labelledby="rounds-heading">
            <h2 id="rounds-heading">Rounds</h2>
            <p>Open a new round when the project has moved on (each quarter, say). Everyone answers again; earlier rounds stay readable and the trend compares them.</p>
            <IntentButton intent="next-round" label={`Open round ${round.number + 1}`} />
          </section>

          <section aria-labelledby="share-heading">
            <h2 id="share-heading">Share the results</h2>
            <p>
              {team.hasShareLink
                ? 'A share link is active: whoever has it sees the results and the trend (no answers by name, no discussions), without signing in.'
                : 'Make a read-only link for a sponsor or an oversight body: it shows the results and the trend, without signing in. You can revoke it at any time.'}
            </p>
            <div className="form-actions">
              <IntentButton intent="share-link" label={team.hasShareLink ? 'Replace the share link' : 'Make a share link'} />
              {team.hasShareLink ? <IntentButton intent="revoke-share-link" label="Revoke the share link" className="button button--danger" /> : null}
            </div>
          </section>

          <section aria-labelledby="ownership-heading">
            <h2 id="ownership-heading">Hand over or delete</h2>
            {others.length ? (
              <Form method="post" noValidate>
                <SelectField
                  name="newOwner"
                  label="Hand the assessment over to"
                  options={others.map((p) => ({ value: String(p.userId), label: `${p.displayName} (${sideLabel(p.side)})` }))}
                  placeholder="Choose a participant"
                  required
                  error={errors?.newOwner}
                />
                <button type="submit" name="intent" value="transfer" className="button button--secondary">
                  Hand over
                </button>
              </Form>
            ) : null}
            <p>Deleting removes every round, answer and comment for everyone, and stops every link. It cannot be undone.</p>
            <IntentButton intent="delete" label="Delete this assessment" className="button button--danger" />
          </section>
        </>
      ) : (
        <section aria-labelledby="leave-heading">
          <h2 id="leave-heading">Leave</h2>
          <p>Leaving removes your answers from every round.</p>
          <IntentButton intent="leave" label="Leave this assessment" className="button button--danger" />
        </section>
      )}
    </div>
  )
}
