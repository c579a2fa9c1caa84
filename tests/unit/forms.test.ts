import { describe, it, expect } from 'vitest'
import { z } from 'zod'
import { parseForm, typedValues } from '../../app/lib/forms'
import { changePasswordSchema, joinSchema, loginSchema } from '../../app/lib/user-validation'

function form(entries: [string, string | File][]): FormData {
  const data = new FormData()
  for (const [key, value] of entries) data.append(key, value)
  return data
}

const goodJoin: [string, string][] = [
  ['displayName', 'Ada Park'],
  ['memberType', 'leader'],
  ['organization', 'State Department of Revenue'],
  ['governmentLevel', 'state'],
  ['email', 'ada@revenue.example.gov'],
  ['handle', 'ada-park'],
  ['password', 'correct horse battery staple'],
  ['acceptGuidelines', 'on'],
]

describe('parseForm', () => {
  it('returns the parsed data when the form is valid', () => {
    const result = parseForm(form(goodJoin), joinSchema)
    expect(result).toEqual({
      ok: true,
      data: {
        displayName: 'Ada Park',
        memberType: 'leader',
        organization: 'State Department of Revenue',
        governmentLevel: 'state',
        email: 'ada@revenue.example.gov',
        handle: 'ada-park',
        password: 'correct horse battery staple',
        acceptGuidelines: 'on',
      },
    })
  })

  it('keeps only the first message for each field', () => {
    // An empty email fails both "required" and "format"; the member should see "Enter your email address".
    const result = parseForm(form([['email', ''], ['password', 'x']]), loginSchema)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toEqual({ email: 'Enter your email address' })

    const join = parseForm(form([...goodJoin.filter(([k]) => k !== 'handle'), ['handle', '!']]), joinSchema)
    expect(join.ok).toBe(false)
    if (join.ok) return
    // "!" is both too short and has a bad character: the first rule wins.
    expect(join.errors).toEqual({ handle: 'Handle must be at least 3 characters' })
  })

  it('reports every failing field, each under its own name', () => {
    const result = parseForm(form([]), joinSchema)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual(
      ['acceptGuidelines', 'displayName', 'email', 'governmentLevel', 'handle', 'memberType', 'password'].sort(),
    )
    expect(result.errors.email).toBe('Enter your email address')
    expect(result.errors.password).toBe('Enter a password')
  })

  it('files a refinement without a path under "form"', () => {
    const schema = z
      .object({ start: z.string(), end: z.string() })
      .refine((v) => v.start <= v.end, 'The end date must be after the start date')
    const result = parseForm(form([['start', '2026-05-01'], ['end', '2026-04-01']]), schema)
    expect(result).toEqual({ ok: false, errors: { form: 'The end date must be after the start date' } })
  })

  it('files the change-password mismatch under confirmPassword', () => {
    const result = parseForm(
      form([
        ['currentPassword', 'old password 1234'],
        ['newPassword', 'brand new password 1'],
        ['confirmPassword', 'brand new password 2'],
      ]),
      changePasswordSchema,
    )
    expect(result).toEqual({ ok: false, errors: { confirmPassword: 'The two new passwords do not match' } })

    const matching = parseForm(
      form([
        ['currentPassword', 'old password 1234'],
        ['newPassword', 'brand new password 1'],
        ['confirmPassword', 'brand new password 1'],
      ]),
      changePasswordSchema,
    )
    expect(matching.ok).toBe(true)
  })

  it('turns repeated keys into arrays and keeps single keys as strings', () => {
    const schema = z.object({ tags: z.array(z.string()), title: z.string() })
    const result = parseForm(form([['tags', 'procurement'], ['tags', 'data'], ['title', 'Hello']]), schema)
    expect(result).toEqual({ ok: true, data: { tags: ['procurement', 'data'], title: 'Hello' } })

    // A single value is not silently wrapped: a schema that wants a string gets a string.
    const single = parseForm(form([['tags', 'procurement'], ['title', 'Hello']]), schema)
    expect(single.ok).toBe(false)
    if (single.ok) return
    expect(Object.keys(single.errors)).toEqual(['tags'])
  })

  it('a repeated key sent to a string field is rejected, not merged or truncated', () => {
    const entries: [string, string][] = [...goodJoin, ['email', 'attacker@evil.example']]
    const result = parseForm(form(entries), joinSchema)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors)).toEqual(['email'])
  })
})

describe('typedValues', () => {
  it('gives back what was typed, except passwords and the honeypot', () => {
    const values = typedValues(
      form([
        ['email', 'ada@revenue.example.gov'],
        ['displayName', 'Ada Park'],
        ['password', 'secret password 1'],
        ['currentPassword', 'secret password 2'],
        ['newPassword', 'secret password 3'],
        ['confirmPassword', 'secret password 4'],
        ['PASSWORD_AGAIN', 'secret password 5'],
        ['website', 'https://spam.example'],
      ]),
    )
    expect(values).toEqual({ email: 'ada@revenue.example.gov', displayName: 'Ada Park' })
    expect(JSON.stringify(values)).not.toMatch(/secret password|spam\.example/)
  })

  it('leaves out uploaded files', () => {
    const values = typedValues(form([['title', 'Hi'], ['attachment', new File(['x'], 'x.txt')]]))
    expect(values).toEqual({ title: 'Hi' })
  })

  it('caps each value at 20,000 characters', () => {
    const values = typedValues(form([['body', 'a'.repeat(50_000)]]))
    expect(values.body).toHaveLength(20_000)
  })
})
