import { z } from 'zod'
import { EVENT_FORMATS } from '../../db/schema'
import { withinMarkdownLimits } from './markdown-limits'
import { singleLine } from './single-line'
import { isValidTimeZone } from './time-zones'

export const EVENT_KINDS = {
  roundtable: 'Roundtable',
  webinar: 'Webinar',
  'site-visit': 'Site visit',
  'peer-cohort': 'Peer cohort',
  workshop: 'Workshop',
} as const
export type EventKind = keyof typeof EVENT_KINDS

export const FORMAT_LABELS = { 'in-person': 'In person', virtual: 'Virtual', hybrid: 'Hybrid' } as const

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it to ${max} characters or fewer`)
    .optional()
    .transform((value) => value || null)

const materialLabel = singleLine('Label', optionalText(120))
const materialUrl = z
  .string()
  .trim()
  .max(1000, 'Keep the address to 1,000 characters or fewer')
  .optional()
  .transform((value) => value || null)
  .refine((value) => value === null || isWebAddress(value), 'Enter an address that starts with https:// or http://')

function isWebAddress(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value)) return false
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/** Recap materials (slides, recording, notes): a few label and address pairs, no JavaScript needed. */
export const MATERIAL_SLOTS = [1, 2, 3, 4] as const

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter a date and time')

/** What an organizer enters; times are wall-clock in `timeZone`, the model turns them into UTC. */
export const eventInputSchema = z
  .object({
    title: singleLine('Title', z.string().min(5, 'Title must be at least 5 characters').max(150, 'Title must be 150 characters or fewer')),
    kind: z.enum(Object.keys(EVENT_KINDS) as [EventKind, ...EventKind[]], { errorMap: () => ({ message: 'Choose the kind of event' }) }),
    description: withinMarkdownLimits(z.string().trim().min(1, 'Describe the event').max(20_000, 'Keep the description to 20,000 characters or fewer')),
    starts: localTime,
    ends: localTime,
    timeZone: z.string().refine(isValidTimeZone, 'Choose a time zone from the list'),
    format: z.enum(EVENT_FORMATS, { errorMap: () => ({ message: 'Choose in person, virtual or hybrid' }) }),
    venue: singleLine('Venue', optionalText(200)),
    address: singleLine('Address', optionalText(300)),
    joinUrl: z
      .string()
      .trim()
      .max(500)
      .optional()
      .transform((value) => value || null)
      .refine((value) => value === null || /^https:\/\/[^\s/$.?#].[^\s]*$/i.test(value), 'Enter a join link that starts with https://'),
    capacity: z
      .union([z.literal(''), z.coerce.number().int('Capacity must be a whole number').min(1, 'Capacity must be at least 1').max(100_000)], {
        errorMap: () => ({ message: 'Capacity must be a whole number, or empty for no limit' }),
      })
      .optional()
      .transform((value) => (value === '' || value === undefined ? null : value)),
    rsvpDeadline: z
      .union([z.literal(''), localTime])
      .optional()
      .transform((value) => value || null),
    hosts: singleLine('Hosts', optionalText(300)),
    speakers: singleLine('Speakers', optionalText(500)),
    themes: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean))
      .refine((themes) => themes.length <= 5, 'Choose up to 5 themes'),
    recap: withinMarkdownLimits(optionalText(20_000)),
    materialLabel1: materialLabel,
    materialUrl1: materialUrl,
    materialLabel2: materialLabel,
    materialUrl2: materialUrl,
    materialLabel3: materialLabel,
    materialUrl3: materialUrl,
    materialLabel4: materialLabel,
    materialUrl4: materialUrl,
  })
  .superRefine((input, ctx) => {
    for (const [path, message] of Object.entries(formatProblems(input))) ctx.addIssue({ code: 'custom', path: [path], message })
    for (const slot of MATERIAL_SLOTS) {
      const label = input[`materialLabel${slot}`]
      const url = input[`materialUrl${slot}`]
      if (label && !url) ctx.addIssue({ code: 'custom', path: [`materialUrl${slot}`], message: `Enter the address of "${label}"` })
      if (url && !label) ctx.addIssue({ code: 'custom', path: [`materialLabel${slot}`], message: 'Name this link, for example "Slides" or "Recording"' })
    }
  })

export interface RecapMaterial {
  label: string
  url: string
}

/** The filled material slots, in order. */
export function recapMaterials(input: EventInput): RecapMaterial[] {
  return MATERIAL_SLOTS.flatMap((slot) => {
    const label = input[`materialLabel${slot}`]
    const url = input[`materialUrl${slot}`]
    return label && url ? [{ label, url }] : []
  })
}

/** Materials back into the form's slots, for editing. */
export function materialSlots(materials: RecapMaterial[]): Record<string, string> {
  return Object.fromEntries(
    MATERIAL_SLOTS.flatMap((slot, index) => [
      [`materialLabel${slot}`, materials[index]?.label ?? ''],
      [`materialUrl${slot}`, materials[index]?.url ?? ''],
    ]),
  )
}

/**
 * What a format needs: a venue and address in person, a join link online. A function of its own,
 * so the form can report these together with every other problem, not only after the rest pass.
 */
export function formatProblems(values: { format?: unknown; venue?: unknown; address?: unknown; joinUrl?: unknown }): Record<string, string> {
  const problems: Record<string, string> = {}
  const filled = (value: unknown) => typeof value === 'string' && value.trim().length > 0
  const format = typeof values.format === 'string' ? values.format : ''
  if ((format === 'in-person' || format === 'hybrid') && !filled(values.venue)) problems.venue = 'Enter the venue of an in-person or hybrid event'
  if ((format === 'in-person' || format === 'hybrid') && !filled(values.address)) problems.address = 'Enter the address of an in-person or hybrid event'
  if ((format === 'virtual' || format === 'hybrid') && !filled(values.joinUrl)) problems.joinUrl = 'Enter the join link of a virtual or hybrid event'
  return problems
}

export type EventInput = z.infer<typeof eventInputSchema>
