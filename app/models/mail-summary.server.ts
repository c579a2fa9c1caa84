import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { type MailSection, renderMail } from '../lib/mail-template'
import { NOTIFICATION_KIND_NAMES, type NotificationKind, SUMMARY_HOUR } from '../lib/notification-kinds'
import { siteUrl } from '../lib/site-url'
import { formatInZone, utcToZonedInput } from '../lib/time-zones'
import { getEmailPreferences } from './email-preference.server'
import { enqueueMail } from './mail-outbox.server'
import { unsubscribeUrlFor } from './notification-mail.server'
import { listNotifications } from './notification.server'

export type SummaryFrequency = 'daily' | 'weekly'

const DAY_MS = 24 * 60 * 60 * 1000
const PERIOD_MS: Record<SummaryFrequency, number> = { daily: DAY_MS, weekly: 7 * DAY_MS }

/**
 * The summary period a zone is in now, or null before its morning hour. Daily: the local date.
 * Weekly: the Monday that starts the local week, from Monday morning to the week's end.
 */
export function summaryPeriod(frequency: SummaryFrequency, zone: string, now: Date): string | null {
  const local = utcToZonedInput(now.toISOString(), zone)
  const date = local.slice(0, 10)
  const hour = Number(local.slice(11, 13))
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7 // Monday 0 .. Sunday 6
  if (frequency === 'daily') return hour >= SUMMARY_HOUR ? date : null
  if (weekday === 0 && hour < SUMMARY_HOUR) return null
  return new Date(Date.parse(`${date}T00:00:00Z`) - weekday * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Queues the daily and weekly summaries that are due, a batch at a time. The summary row's
 * primary key (member, frequency, period) is written in the same transaction as the queued
 * email, so a period is summarized at most once whatever crashes or however many processes run.
 */
export async function queueDueSummaries(now = new Date(), batch = 100): Promise<number> {
  const zones = await db
    .selectFrom('users')
    .select('time_zone')
    .distinct()
    .where('is_demo', '=', 0)
    .where('password_hash', 'is not', null)
    .execute()
  let queued = 0
  for (const frequency of ['daily', 'weekly'] as const) {
    for (const { time_zone } of zones) {
      const period = summaryPeriod(frequency, time_zone ?? 'UTC', now)
      if (!period || queued >= batch) continue
      const members = await db
        .selectFrom('users as u')
        .select(['u.id', 'u.email', 'u.time_zone'])
        .where('u.is_demo', '=', 0)
        .where('u.password_hash', 'is not', null)
        .where((eb) => (time_zone === null ? eb('u.time_zone', 'is', null) : eb('u.time_zone', '=', time_zone)))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('mail_summaries as s')
                .select('s.user_id')
                .whereRef('s.user_id', '=', 'u.id')
                .where('s.frequency', '=', frequency)
                .where('s.period_key', '=', period),
            ),
          ),
        )
        .limit(batch - queued)
        .execute()
      for (const member of members) {
        if (await queueSummary(member, frequency, period, now)) queued++
      }
    }
  }
  return queued
}

async function queueSummary(
  member: { id: number; email: string; time_zone: string | null },
  frequency: SummaryFrequency,
  period: string,
  now: Date,
): Promise<boolean> {
  return writeTransaction(async (trx) => {
    const claimed = await trx
      .insertInto('mail_summaries')
      .values({ user_id: member.id, frequency, period_key: period, outbox_id: null, created_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false
    const preferences = await getEmailPreferences(member.id, trx)
    const kinds = NOTIFICATION_KIND_NAMES.filter((kind) => preferences[kind] === frequency)
    // A member who wants nothing in this summary is still marked done for the period.
    if (!kinds.length) return false
    const content = await summaryContent(trx, member, frequency, kinds, now)
    if (!content) return false
    const { id } = await enqueueMail(trx, {
      userId: member.id,
      toAddress: member.email,
      kind: `summary_${frequency}`,
      subject: content.subject,
      text: content.text,
      html: content.html,
      dueAt: now.toISOString(),
    })
    await trx
      .updateTable('mail_summaries')
      .set({ outbox_id: id })
      .where('user_id', '=', member.id)
      .where('frequency', '=', frequency)
      .where('period_key', '=', period)
      .execute()
    return true
  })
}

/** The summary's words, or null when nothing is new (no email is sent then). */
async function summaryContent(
  trx: Kysely<Database>,
  member: { id: number; time_zone: string | null },
  frequency: SummaryFrequency,
  kinds: NotificationKind[],
  now: Date,
) {
  const since = new Date(now.getTime() - PERIOD_MS[frequency]).toISOString()
  const site = siteUrl()
  const { notifications: yours } = await listNotifications(member.id, { viewerZone: member.time_zone, unreadOf: { kinds, since } }, trx)

  const [threads, cases, events] = await Promise.all([
    trx
      .selectFrom('threads')
      .select(['id', 'slug', 'title', 'helpful_count', 'reply_count'])
      .where('deleted_at', 'is', null)
      .where('last_posted_at', '>=', since)
      .orderBy('last_posted_at', 'desc')
      .limit(200)
      .execute(),
    trx
      .selectFrom('cases')
      .select(['slug', 'title', 'summary'])
      .where('status', '=', 'published')
      .where('published_at', '>=', since)
      .orderBy('published_at', 'desc')
      .limit(5)
      .execute(),
    trx
      .selectFrom('events')
      .select(['id', 'slug', 'title', 'starts_at', 'time_zone'])
      .where('status', '=', 'published')
      .where('starts_at', '>', now.toISOString())
      .orderBy('starts_at')
      .limit(3)
      .execute(),
  ])
  const helpful = threads
    .filter((t) => t.helpful_count > 0)
    .sort((a, b) => b.helpful_count - a.helpful_count)
    .slice(0, 3)
  if (!yours.length && !helpful.length && !cases.length) return null

  const sections: MailSection[] = []
  if (yours.length) {
    sections.push({ heading: 'For you', items: yours.map((n) => ({ text: n.text, url: `${site}${n.href}`, detail: n.detail })) })
  }
  if (helpful.length) {
    sections.push({
      heading: 'Most helpful discussions',
      items: helpful.map((t) => ({
        text: t.title,
        url: `${site}/discussions/${t.id}/${t.slug}`,
        detail: `${t.helpful_count} helpful, ${t.reply_count} ${t.reply_count === 1 ? 'reply' : 'replies'}`,
      })),
    })
  }
  if (cases.length) {
    sections.push({ heading: 'New in the case library', items: cases.map((c) => ({ text: c.title, url: `${site}/cases/${c.slug}`, detail: null })) })
  }
  if (events.length) {
    sections.push({
      heading: 'Upcoming events',
      items: events.map((e) => ({
        text: e.title,
        url: `${site}/events/${e.id}/${e.slug}`,
        detail: formatInZone(e.starts_at, member.time_zone ?? e.time_zone),
      })),
    })
  }
  const counts = [
    yours.length ? `${yours.length} for you` : null,
    cases.length ? `${cases.length} new ${cases.length === 1 ? 'case' : 'cases'}` : null,
  ].filter(Boolean)
  const title = frequency === 'daily' ? 'Your daily SectorPulse summary' : 'Your weekly SectorPulse summary'
  return renderMail({
    subject: counts.length ? `${title}: ${counts.join(', ')}` : title,
    heading: title,
    paragraphs: [`What happened since your last ${frequency === 'daily' ? 'daily' : 'weekly'} summary.`],
    sections,
    action: { label: 'Open your notifications', url: `${site}/notifications` },
    footer: {
      why: `You get this ${frequency} summary because some of your email preferences are set to “${frequency === 'daily' ? 'in the daily summary' : 'in the weekly summary'}”.`,
      preferencesUrl: `${site}/settings/notifications`,
      unsubscribeUrl: unsubscribeUrlFor(member.id, frequency),
    },
  })
}
