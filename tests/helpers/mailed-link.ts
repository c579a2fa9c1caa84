import type { ServerDatabase } from './server-database'

/**
 * The site path of the newest link in the mail of `kind` ('verify-email', 'reset-password',
 * 'change-email', 'email-changed') a server queued for `address`, read from the outbox in its
 * database: exactly what the sender mails.
 */
export async function latestMailedLinkIn(database: ServerDatabase, address: string, kind: string): Promise<string> {
  const row = await database.kysely
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', address.toLowerCase())
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) throw new Error(`no ${kind} mail was queued for ${address}`)
  const link = /https?:\/\/\S+?(\/[a-z/-]+\/[a-z2-7]{20,})/.exec(row.text_body)
  if (!link) throw new Error(`the ${kind} mail to ${address} holds no link:\n${row.text_body}`)
  return link[1]
}
