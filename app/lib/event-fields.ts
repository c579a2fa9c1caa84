import { z } from 'zod'
import { EVENT_FORMATS } from '../../db/schema'
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

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter a date and time')

/** What an organizer enters; times are wall-clock in `timeZone`, the model turns them into UTC. */
export const eventInputSchema = z
  .object({
    title: z.string().trim().min(5, 'Title must be at least 5 characters').max(150, 'Title must be 150 characters or fewer'),
    kind: z.enum(Object.keys(EVENT_KINDS) as [EventKind, ...EventKind[]], { errorMap: () => ({ message: 'Choose the kind of event' }) }),
    description: z.string().trim().min(1, 'Describe the event').max(20_000, 'Keep the description to 20,000 characters or fewer'),
    starts: localTime,
    ends: localTime,
    timeZone: z.string().refine(isValidTimeZone, 'Choose a time zone from the list'),
    format: z.enum(EVENT_FORMATS, { errorMap: () => ({ message: 'Choose in person, virtual or hybrid' }) }),
    venue: optionalText(200),
    address: optionalText(300),
    joinUrl: z
      .string()
      .trim()
      .max(500)
      .optional()
      .transform((value) => value || null)
      .refine((value) => value === null || /^https:\/\/[^\s/$.?#].[^\s]*$/i.test(value), 'Enter a join link that starts with https://'),
    capacity: z
      .union([z.literal(''), z.coerce.number().int('Capacity must be a whole number').min(1, 'Capacity must be at least 1').max(100_000)])
      .optional()
      .transform((value) => (value === '' || value === undefined ? null : value)),
    rsvpDeadline: z
      .union([z.literal(''), localTime])
      .optional()
      .transform((value) => value || null),
    hosts: optionalText(300),
    speakers: optionalText(500),
    themes: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean))
      .refine((themes) => themes.length <= 5, 'Choose up to 5 themes'),
    recap: optionalText(20_000),
  })
  .superRefine((input, ctx) => {
    if (input.format !== 'virtual' && (!input.venue || !input.address)) {
      if (!input.venue) ctx.addIssue({ code: 'custom', path: ['venue'], message: 'Enter the venue of an in-person or hybrid event' })
      if (!input.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'Enter the address of an in-person or hybrid event' })
    }
    if (input.format !== 'in-person' && !input.joinUrl) {
      ctx.addIssue({ code: 'custom', path: ['joinUrl'], message: 'Enter the join link of a virtual or hybrid event' })
    }
  })

export type EventInput = z.infer<typeof eventInputSchema>
