import { z } from 'zod'
import { GOVERNMENT_LEVELS, MEMBER_TYPES } from '../../db/schema'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules'
import { singleLine } from './single-line'

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

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ required_error: 'Enter your current password' }).min(1, 'Enter your current password'),
    newPassword: passwordSchema,
    confirmPassword: z.string({ required_error: 'Confirm your new password' }),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two new passwords do not match',
  })

export type JoinInput = z.infer<typeof joinSchema>
export type ProfileInput = z.infer<typeof profileSchema>
