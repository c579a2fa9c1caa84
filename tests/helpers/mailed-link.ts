import Database from 'better-sqlite3'

/**
 * The site path of the newest link in the mail of `kind` ('verify-email', 'reset-password',
 * 'change-email', 'email-changed') a server queued for `address`, read from the outbox in its
 * database file: exactly what the sender mails.
 */
export function latestMailedLinkIn(databasePath: string, address: string, kind: string): string {
  const sqlite = new Database(databasePath, { readonly: true })
  try {
    const row = sqlite
      .prepare('select text_body from mail_outbox where to_address = ? and kind = ? order by id desc limit 1')
      .get(address.toLowerCase(), kind) as { text_body: string } | undefined
    if (!row) throw new Error(`no ${kind} mail was queued for ${address}`)
    const link = /https?:\/\/\S+?(\/[a-z/-]+\/[a-z2-7]{20,})/.exec(row.text_body)
    if (!link) throw new Error(`the ${kind} mail to ${address} holds no link:\n${row.text_body}`)
    return link[1]
  } finally {
    sqlite.close()
  }
}
