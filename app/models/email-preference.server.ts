import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import { type Database, EMAIL_DELIVERIES, type EmailDelivery } from '../../db/schema'
import { NOTIFICATION_KIND_NAMES, NOTIFICATION_KINDS, type NotificationKind } from '../lib/notification-kinds'

export type EmailPreferences = Record<NotificationKind, EmailDelivery>

/** Every kind with the member's choice, or its default where they made none. */
export async function getEmailPreferences(userId: number, database: Kysely<Database> = db): Promise<EmailPreferences> {
  const rows = await database.selectFrom('email_preferences').select(['kind', 'delivery']).where('user_id', '=', userId).execute()
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]))
  return Object.fromEntries(
    NOTIFICATION_KIND_NAMES.map((kind) => [kind, chosen.get(kind) ?? NOTIFICATION_KINDS[kind].defaultDelivery]),
  ) as EmailPreferences
}

/** Stores only what differs from the defaults, so a better default later reaches everyone else. */
export async function saveEmailPreferences(userId: number, preferences: Partial<EmailPreferences>, now = new Date()): Promise<void> {
  await writeTransaction(async (trx) => {
    for (const kind of NOTIFICATION_KIND_NAMES) {
      const delivery = preferences[kind]
      if (!delivery || !EMAIL_DELIVERIES.includes(delivery)) continue
      if (delivery === NOTIFICATION_KINDS[kind].defaultDelivery) {
        await trx.deleteFrom('email_preferences').where('user_id', '=', userId).where('kind', '=', kind).execute()
      } else {
        await trx
          .insertInto('email_preferences')
          .values({ user_id: userId, kind, delivery, updated_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ delivery, updated_at: now.toISOString() }))
          .execute()
      }
    }
  })
}

/** One-click unsubscribe: that kind of email (or that summary) stops; the site still notifies. */
export async function turnOffEmail(userId: number, what: NotificationKind | 'daily' | 'weekly'): Promise<string[]> {
  const current = await getEmailPreferences(userId)
  const kinds = what === 'daily' || what === 'weekly' ? NOTIFICATION_KIND_NAMES.filter((kind) => current[kind] === what) : [what]
  await saveEmailPreferences(userId, Object.fromEntries(kinds.map((kind) => [kind, 'never'])))
  return kinds.map((kind) => NOTIFICATION_KINDS[kind].label)
}
