// Every single-line field goes through one normalization and refuses control characters with a
// message at that field, whichever form it belongs to.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { caseChangeNoteSchema, caseContentSchema } from '../../app/lib/case-fields'
import { caseFormToContent, readCaseForm } from '../../app/lib/case-form'
import { moderationReasonSchema, newThreadSchema } from '../../app/lib/discussion-validation'
import { eventInputSchema } from '../../app/lib/event-fields'
import { parseForm } from '../../app/lib/forms'
import { parseQuestionnaire } from '../../app/lib/readiness-form'
import { normalizeSingleLine } from '../../app/lib/single-line'
import { joinSchema, profileSchema } from '../../app/lib/user-validation'
import { eventForm, type Fields, formBody } from '../integration/events-support'
import { caseForm } from '../integration/support'

const formData = (fields: Fields) => {
  const data = new FormData()
  for (const [name, value] of formBody(fields)) data.append(name, value)
  return data
}

const member = {
  email: 'a@agency.example.gov',
  displayName: 'Wren Talavera',
  handle: 'wren-t',
  password: 'correct horse battery staple',
  memberType: 'practitioner',
  organization: 'County',
  governmentLevel: 'local',
  acceptGuidelines: 'on',
}

/** Each form, how to judge it with one field replaced, and its single-line fields. */
const FORMS: [string, (field: string, value: string) => Record<string, string> | null, string[]][] = [
  ['join', (field, value) => errorsOf(joinSchema, formData({ ...member, [field]: value })), ['displayName', 'organization']],
  ['profile', (field, value) => errorsOf(profileSchema, formData({ ...member, [field]: value })), ['displayName', 'organization']],
  ['new thread', (field, value) => errorsOf(newThreadSchema, formData({ category: 'x', title: 'A thread title', body: 'Body', [field]: value })), ['title']],
  ['event', (field, value) => errorsOf(eventInputSchema, formData(eventForm({ [field]: value }))), ['title', 'venue', 'address', 'hosts', 'speakers']],
  [
    'case',
    (field, value) => {
      const fields = caseForm({ [field]: field.startsWith('source') || field.startsWith('corrective') || field === 'contributingHow' ? [value] : value })
      if (field.startsWith('source')) Object.assign(fields, { sourceTitle: ['T'], sourcePublisher: ['P'], sourceNumber: ['R'], sourceDate: ['2020'], [field]: [value] })
      const parsed = caseContentSchema.safeParse(caseFormToContent(readCaseForm(formData(fields))))
      return parsed.success ? null : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]))
    },
    ['title', 'jurisdiction', 'contractModel', 'years', 'primaryHow', 'contributingHow', 'rootCauses', 'lessons', 'recommendations', 'correctiveAction', 'correctiveNote', 'sourceTitle', 'sourcePublisher', 'sourceNumber'],
  ],
  ['case change note', (field, value) => errorsOf(caseChangeNoteSchema, formData({ [field]: value })), ['note']],
  [
    'moderation reason',
    (_, value) => {
      const parsed = moderationReasonSchema.safeParse(value)
      return parsed.success ? null : { reason: parsed.error.issues[0].message }
    },
    ['reason'],
  ],
  [
    'readiness project',
    (field, value) => {
      const parsed = parseQuestionnaire(formData({ [field]: value }), [], { withProject: true })
      return parsed.ok ? null : parsed.errors
    },
    ['project'],
  ],
]

function errorsOf(schema: z.ZodTypeAny, data: FormData) {
  const parsed = parseForm(data, schema)
  return parsed.ok ? null : parsed.errors
}

describe('single-line fields refuse control characters', () => {
  for (const [form, judge, fields] of FORMS) {
    it.each(fields)(`${form}: %s`, (field) => {
      expect(judge(field, 'An ordinary value')).toBeNull()
      for (const character of ['\u001b', '\u0007', '\u0000', '\u007f', '\u009b', '\u202e', '\u2066']) {
        const errors = judge(field, `Evil ${character}[31m value`) ?? {}
        expect(Object.values(errors).join(' '), `${form} ${field} ${JSON.stringify(character)}`).toMatch(/cannot contain control characters/)
      }
    })
  }
})

describe('normalizeSingleLine', () => {
  it.each([
    ['  padded  ', 'padded'],
    ['two\tparts', 'two parts'],
    ['pasted\r\nlines', 'pasted lines'],
    ['a\u2028b', 'a b'],
    ['many     spaces', 'many spaces'],
    ['cafe\u0301', 'caf\u00e9'],
    ['\u{1f469}\u200d\u{1f4bb} keeps joiners', '\u{1f469}\u200d\u{1f4bb} keeps joiners'],
  ])('%j becomes %j', (input, output) => {
    expect(normalizeSingleLine(input)).toBe(output)
  })
})
