import { describe, it, expect } from 'vitest'
import type { z } from 'zod'
import { hashPassword, verifyPassword } from '../../app/lib/password.server'
import {
  changePasswordSchema,
  emailSchema,
  handleSchema,
  joinSchema,
  loginSchema,
  passwordSchema,
  profileSchema,
} from '../../app/lib/user-validation'

function firstError(schema: z.ZodTypeAny, value: unknown): string | undefined {
  const result = schema.safeParse(value)
  return result.success ? undefined : result.error.issues[0].message
}

const validJoin = {
  displayName: 'Ada Park',
  memberType: 'practitioner',
  organization: 'County IT',
  governmentLevel: 'local',
  email: 'ada@county.example.gov',
  handle: 'ada',
  password: 'twelve chars',
  acceptGuidelines: 'on',
}

describe('emailSchema', () => {
  it('trims and lowercases, so Ada@X and ada@x are one account', () => {
    expect(emailSchema.parse('  Ada.Park@Revenue.Example.GOV \n')).toBe('ada.park@revenue.example.gov')
  })

  it('explains a missing or malformed address', () => {
    expect(firstError(emailSchema, undefined)).toBe('Enter your email address')
    expect(firstError(emailSchema, '   ')).toBe('Enter your email address')
    expect(firstError(emailSchema, 'not-an-email')).toBe(
      'Enter an email address in the correct format, like name@agency.gov',
    )
    expect(firstError(emailSchema, `${'a'.repeat(250)}@x.gov`)).toBe('Email address must be 254 characters or fewer')
  })

  it('loginSchema normalises the email the same way, so sign-in finds the account', () => {
    expect(loginSchema.parse({ email: ' Ada@County.Example.GOV ', password: 'x' }).email).toBe('ada@county.example.gov')
  })
})

describe('handleSchema', () => {
  it('trims and lowercases', () => {
    expect(handleSchema.parse('  Ada_Park-2 ')).toBe('ada_park-2')
    expect(handleSchema.parse('ABC')).toBe('abc')
  })

  it('accepts 3 to 30 characters', () => {
    expect(firstError(handleSchema, 'ab')).toBe('Handle must be at least 3 characters')
    expect(handleSchema.parse('abc')).toBe('abc')
    expect(handleSchema.parse('a'.repeat(30))).toBe('a'.repeat(30))
    expect(firstError(handleSchema, 'a'.repeat(31))).toBe('Handle must be 30 characters or fewer')
    // Surrounding spaces do not count towards the length.
    expect(firstError(handleSchema, '  ab  ')).toBe('Handle must be at least 3 characters')
  })

  it.each(['-ada', '_ada', 'ada park', 'ada.park', 'ada/../admin', 'adá', 'ada<script>', 'ada@x'])(
    'rejects %j',
    (handle) => {
      expect(firstError(handleSchema, handle)).toBe(
        'Handle can only use letters, numbers, hyphens and underscores, and must start with a letter or number',
      )
    },
  )

  it('accepts letters, numbers, hyphens and underscores after a first letter or number', () => {
    for (const handle of ['ada', '9lives', 'a-b_c', 'x__', 'tobias_fenwright']) {
      expect(handleSchema.parse(handle)).toBe(handle)
    }
  })
})

describe('passwordSchema', () => {
  it('requires 12 to 256 characters, exactly', () => {
    expect(firstError(passwordSchema, 'a'.repeat(11))).toBe('Password must be at least 12 characters')
    expect(passwordSchema.parse('a'.repeat(12))).toBe('a'.repeat(12))
    expect(passwordSchema.parse('a'.repeat(256))).toBe('a'.repeat(256))
    expect(firstError(passwordSchema, 'a'.repeat(257))).toBe('Password must be 256 characters or fewer')
    expect(firstError(passwordSchema, undefined)).toBe('Enter a password')
  })

  it('keeps spaces: a passphrase is used exactly as typed', () => {
    const phrase = '  correct horse battery staple  '
    expect(passwordSchema.parse(phrase)).toBe(phrase)
  })

  it('the same limits apply when joining and when changing a password', () => {
    expect(joinSchema.safeParse({ ...validJoin, password: 'a'.repeat(11) }).success).toBe(false)
    expect(joinSchema.safeParse({ ...validJoin, password: 'a'.repeat(256) }).success).toBe(true)
    expect(joinSchema.safeParse({ ...validJoin, password: 'a'.repeat(257) }).success).toBe(false)
    const change = (p: string) =>
      changePasswordSchema.safeParse({ currentPassword: 'old', newPassword: p, confirmPassword: p }).success
    expect(change('a'.repeat(11))).toBe(false)
    expect(change('a'.repeat(12))).toBe(true)
    expect(change('a'.repeat(256))).toBe(true)
    expect(change('a'.repeat(257))).toBe(false)
    // A member can always sign in with a password they were allowed to set.
    expect(loginSchema.safeParse({ email: 'a@b.gov', password: 'a'.repeat(256) }).success).toBe(true)
    expect(loginSchema.safeParse({ email: 'a@b.gov', password: 'a'.repeat(257) }).success).toBe(false)
  })

  it('a 256-character password is not truncated: its last character matters', async () => {
    const password = passwordSchema.parse(`${'p'.repeat(255)}!`)
    expect(password).toHaveLength(256)
    const hash = await hashPassword(password)
    expect(await verifyPassword(hash, password)).toBe(true)
    expect(await verifyPassword(hash, `${'p'.repeat(255)}?`)).toBe(false)
    expect(await verifyPassword(hash, 'p'.repeat(255))).toBe(false)
    // Nor is a long one cut at 72 bytes, as bcrypt would.
    expect(await verifyPassword(hash, `${'p'.repeat(72)}`)).toBe(false)
  })
})

describe('profile and join enums', () => {
  it('member type must be one of the four kinds, with a clear message', () => {
    for (const memberType of ['leader', 'practitioner', 'advisor', 'partner']) {
      expect(profileSchema.safeParse({ ...validJoin, memberType }).success).toBe(true)
    }
    expect(firstError(profileSchema.pick({ memberType: true }), { memberType: 'admin' })).toBe(
      'Choose the kind of member you are',
    )
    expect(firstError(profileSchema.pick({ memberType: true }), {})).toBe('Choose the kind of member you are')
  })

  it('government level must be one of the six levels, with a clear message', () => {
    for (const governmentLevel of ['federal', 'state', 'local', 'tribal', 'international', 'not-government']) {
      expect(profileSchema.safeParse({ ...validJoin, governmentLevel }).success).toBe(true)
    }
    expect(firstError(profileSchema.pick({ governmentLevel: true }), { governmentLevel: 'galactic' })).toBe(
      'Choose your level of government',
    )
    expect(firstError(profileSchema.pick({ governmentLevel: true }), {})).toBe('Choose your level of government')
  })

  it('a blank organization is stored as "none", not as spaces', () => {
    expect(profileSchema.parse({ ...validJoin, organization: '   ' }).organization).toBeNull()
    expect(profileSchema.parse({ ...validJoin, organization: undefined }).organization).toBeNull()
    expect(profileSchema.parse({ ...validJoin, organization: '  County IT ' }).organization).toBe('County IT')
  })

  it('joinSchema normalises the whole form', () => {
    const parsed = joinSchema.parse({ ...validJoin, email: ' ADA@County.Example.gov', handle: ' Ada ' })
    expect(parsed.email).toBe('ada@county.example.gov')
    expect(parsed.handle).toBe('ada')
  })
})
