import { z } from 'zod'
import { GOVERNMENT_LEVELS, MEMBER_TYPES } from '../../db/schema'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules'
import { singleLine } from './single-line'
import { listOf } from './discussion-validation'
import { withinMarkdownLimits } from './markdown-limits'

export const emailSchema = z
  .string({ required_error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@agency.gov')
  .transform((value) => value.toLowerCase())

export const handleSchema = z
  .string({ required_error: 'Choose a handle' })
  .trim()
  .toLowerCase()
  .min(3, 'Handle must be at least 3 characters')
  .max(30, 'Handle must be 30 characters or fewer')
  .regex(
    /^[a-z0-9][a-z0-9_-]*$/,
    'Handle can only use letters, numbers, hyphens and underscores, and must start with a letter or number',
  )

export const displayNameSchema = singleLine(
  'Display name',
  z.string({ required_error: 'Enter your display name' }).min(1, 'Enter your display name').max(80, 'Display name must be 80 characters or fewer'),
)

export const passwordSchema = z
  .string({ required_error: 'Enter a password' })
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`)

export const profileSchema = z.object({
  displayName: displayNameSchema,
  memberType: z.enum(MEMBER_TYPES, { errorMap: () => ({ message: 'Choose the kind of member you are' }) }),
  organization: singleLine(
    'Organization',
    z
      .string()
      .max(120, 'Organization must be 120 characters or fewer')
      .optional()
      .transform((value) => value || null),
  ),
  governmentLevel: z.enum(GOVERNMENT_LEVELS, {
    errorMap: () => ({ message: 'Choose your level of government' }),
  }),
})

export const joinSchema = profileSchema.extend({
  email: emailSchema,
  handle: handleSchema,
  password: passwordSchema,
  acceptGuidelines: z.literal('on', { errorMap: () => ({ message: 'Accept the community guidelines to join' }) }),
})

export const loginSchema = z.object({
  email: z
    .string({ required_error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .transform((value) => value.toLowerCase()),
  password: z
    .string({ required_error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
})

const newPasswordFields = {
  newPassword: passwordSchema,
  confirmPassword: z.string({ required_error: 'Confirm your new password' }),
}
const passwordsMatch = (value: { newPassword: string; confirmPassword: string }) => value.newPassword === value.confirmPassword
const PASSWORDS_DIFFER = { path: ['confirmPassword'], message: 'The two new passwords do not match' }

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: 'Enter your current password' }).min(1, 'Enter your current password'),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, PASSWORDS_DIFFER)

/** Choosing a new password from a reset link. */
export const resetPasswordSchema = z.object(newPasswordFields).refine(passwordsMatch, PASSWORDS_DIFFER)

export const changeEmailSchema = z.object({
  email: emailSchema,
  currentPassword: z.string({ required_error: 'Enter your current password' }).min(1, 'Enter your current password'),
})

/** A moderator marking a member as a verified public servant by hand, or removing the mark. */
export const publicServantVerificationSchema = z.object({
  verified: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'Choose whether to verify or remove the mark' }) }),
  note: z
    .string({ required_error: 'Say why, for the moderation log' })
    .trim()
    .min(1, 'Say why, for the moderation log')
    .max(500, 'The note must be 500 characters or fewer'),
})

export type JoinInput = z.infer<typeof joinSchema>
export type ProfileInput = z.infer<typeof profileSchema>

export const BIO_MAX_LENGTH = 1_000
export const JOB_TITLE_MAX_LENGTH = 120
export const MAX_EXPERIENCE_TERMS = 12

/** The settings profile: what joining asks, plus the handle, a bio, a job title and experience. */
export const memberProfileSchema = profileSchema.extend({
  // Left out, the handle stays as it is.
  handle: handleSchema.optional(),
  jobTitle: singleLine(
    'Job title',
    z
      .string()
      .max(JOB_TITLE_MAX_LENGTH, `Job title must be ${JOB_TITLE_MAX_LENGTH} characters or fewer`)
      .optional()
      .transform((value) => value || null),
  ),
  bio: withinMarkdownLimits(
    z
      .string()
      .max(BIO_MAX_LENGTH, `Bio must be ${BIO_MAX_LENGTH.toLocaleString('en-US')} characters or fewer`)
      .optional()
      .transform((value) => value?.trim() ?? ''),
  ),
  experience: listOf.refine((terms) => terms.length <= MAX_EXPERIENCE_TERMS, `Choose up to ${MAX_EXPERIENCE_TERMS} areas of experience`),
  // An unticked checkbox sends nothing: absent means "not listed".
  listed: z
    .string()
    .optional()
    .transform((value) => value === 'yes'),
})

export type MemberProfileInput = z.infer<typeof memberProfileSchema>

export const DELETION_CHOICES = ['keep', 'remove'] as const
export type DeletionChoice = (typeof DELETION_CHOICES)[number]

export const deleteAccountSchema = z.object({
  posts: z.enum(DELETION_CHOICES, { errorMap: () => ({ message: 'Choose what happens to your posts' }) }),
  password: z
    .string({ required_error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
})
