import type { EmailDelivery } from '../../db/schema'

/**
 * Every kind of notification, with the words a member reads about it and when its email goes
 * by default. One list: the preferences page, the notification menu and the mailer all read it.
 */
export const NOTIFICATION_KINDS = {
  reply: { label: 'Replies in threads you started or watch', defaultDelivery: 'immediately' },
  quote: { label: 'Replies that quote you', defaultDelivery: 'immediately' },
  mention: { label: 'Mentions of your @handle', defaultDelivery: 'immediately' },
  accepted: { label: 'Your reply accepted as the answer', defaultDelivery: 'immediately' },
  helpful: { label: 'Helpful marks on your posts', defaultDelivery: 'never' },
  case_returned: { label: 'Your case returned with feedback', defaultDelivery: 'immediately' },
  case_published: { label: 'Your case published', defaultDelivery: 'immediately' },
  post_hidden: { label: 'Your post hidden', defaultDelivery: 'immediately' },
  post_restored: { label: 'Your post restored', defaultDelivery: 'immediately' },
  member_restricted: { label: 'A moderator silencing or suspending your account', defaultDelivery: 'immediately' },
  appeal_decided: { label: 'Decisions on your appeals', defaultDelivery: 'immediately' },
  waitlist_promoted: { label: 'A place opened for you on a waitlist', defaultDelivery: 'immediately' },
  event_changed: { label: 'Changes to events you are going to or follow', defaultDelivery: 'immediately' },
  event_cancelled: { label: 'Cancelled events', defaultDelivery: 'immediately' },
  event_reminder: { label: 'Reminders the day before events you are going to', defaultDelivery: 'immediately' },
  followed_thread: { label: 'New threads in categories and themes you follow', defaultDelivery: 'weekly' },
  followed_case: { label: 'New cases in themes you follow', defaultDelivery: 'weekly' },
  followed_event: { label: 'New events in themes you follow', defaultDelivery: 'weekly' },
} as const satisfies Record<string, { label: string; defaultDelivery: EmailDelivery }>

export type NotificationKind = keyof typeof NOTIFICATION_KINDS
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[]

export const isNotificationKind = (value: string): value is NotificationKind => Object.hasOwn(NOTIFICATION_KINDS, value)

/** Summaries go from this hour of the member's morning, in their own time zone (UTC until they set one). */
export const SUMMARY_HOUR = 8

export const DELIVERY_LABELS: Record<EmailDelivery, string> = {
  immediately: 'Right away',
  daily: 'In the daily summary',
  weekly: 'In the weekly summary',
  never: 'Never',
}

/** Why a member got a notification, in the words shown beside it and in the email's footer. */
export const NOTIFICATION_REASONS = {
  'thread-author': 'You started this thread.',
  watching: 'You are watching this thread.',
  tracking: 'You are tracking this thread.',
  mentioned: 'You were mentioned.',
  quoted: 'Your post was quoted.',
  'post-author': 'You wrote this post.',
  'case-author': 'You submitted this case.',
  'your-account': 'It is about your account.',
  'follows-category': 'You follow this category.',
  'follows-theme': 'You follow this theme.',
  'follows-event': 'You follow this event.',
  going: 'You are going to this event.',
  waitlisted: 'You are on this event’s waitlist.',
  interested: 'You are interested in this event.',
} as const

export type NotificationReason = keyof typeof NOTIFICATION_REASONS

export const THREAD_LEVEL_LABELS = {
  watching: { label: 'Watching', help: 'You hear about every new post.' },
  tracking: { label: 'Tracking', help: 'You see an unread count, and hear about replies to you and mentions.' },
  normal: { label: 'Normal', help: 'You hear only when someone mentions or quotes you.' },
  muted: { label: 'Muted', help: 'You never hear about this thread.' },
} as const
