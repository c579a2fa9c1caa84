import { z } from 'zod'
import { withinMarkdownLimits } from './markdown-limits'
import { PROJECT_NAME_MAX } from './readiness-form'
import { singleLine } from './single-line'
import { TEAM_SIDE_KEYS } from './team-sides'
import { recordId } from './forms'

export const TEAM_AREA_MAX = 60
export const TEAM_QUESTION_MAX = 300
export const INVITE_MESSAGE_MAX = 500
export const COMMENT_MAX = 5000

export const sideField = z.enum(TEAM_SIDE_KEYS, {
  errorMap: () => ({ message: 'Choose the side you speak for' }),
})

export const startTeamSchema = z.object({
  projectName: singleLine(
    'The project name',
    z
      .string({ required_error: 'Enter the name of the project the team is assessing' })
      .min(1, 'Enter the name of the project the team is assessing')
      .max(PROJECT_NAME_MAX, `Keep the project name to ${PROJECT_NAME_MAX} characters or fewer`),
  ),
  side: sideField,
})

export const sideSchema = z.object({ side: sideField })

export const inviteSchema = z.object({
  email: z
    .string({ required_error: 'Enter the email address to invite' })
    .trim()
    .min(1, 'Enter the email address to invite')
    .max(254, 'Email addresses are 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@agency.gov'),
  message: singleLine(
    'The message',
    z.string().max(INVITE_MESSAGE_MAX, `Keep the message to ${INVITE_MESSAGE_MAX} characters or fewer`).optional(),
  ).transform((message) => (typeof message === 'string' && message ? message : null)),
})

export const teamQuestionSchema = z.object({
  area: singleLine(
    'The area',
    z
      .string({ required_error: 'Name the area the question is about' })
      .min(1, 'Name the area the question is about')
      .max(TEAM_AREA_MAX, `Keep the area to ${TEAM_AREA_MAX} characters or fewer`),
  ),
  question: singleLine(
    'The question',
    z
      .string({ required_error: 'Write the question' })
      .min(1, 'Write the question')
      .max(TEAM_QUESTION_MAX, `Keep the question to ${TEAM_QUESTION_MAX} characters or fewer`),
  ),
})

export const participantSchema = z.object({
  userId: z.coerce.number({ invalid_type_error: 'Choose a participant' }).int('Choose a participant').positive('Choose a participant'),
})

export const newOwnerSchema = z.object({
  newOwner: z.coerce.number({ invalid_type_error: 'Choose who takes over' }).int('Choose who takes over').positive('Choose who takes over'),
})

export const questionIdSchema = z.object({ questionId: recordId() })

export const commentSchema = z.object({
  body: withinMarkdownLimits(
    z
      .string({ required_error: 'Write your comment' })
      .trim()
      .min(1, 'Write your comment')
      .max(COMMENT_MAX, `Keep the comment to ${COMMENT_MAX.toLocaleString('en-US')} characters or fewer`),
  ),
})
