import Database from 'better-sqlite3'

/**
 * The site path of the newest link in the mail of `kind` ('verify-email', 'reset-password',
 * 'change-email', 'email-changed') a server queued for `address`, read from the outbox in its
 * database file: exactly what the sender mails.
 */
export function latestMailedLinkIn(databasePath: string, address: string, kind: string): string {
  const sqlite = new Database(databasePath, { readonly: true })
  try {
    const row = sqlite.prepare(LATEST_MAIL).get(address.toLowerCase(), kind) as { text_body: string } | undefined
    return linkIn(row, address, kind)
  } finally {
    sqlite.close()
  }
}

const LATEST_MAIL = 'select text_body from mail_outbox where to_address = ? and kind = ? order by id desc limit 1'

/** The site path of the link in a queued mail, as a member follows it. */
export function linkIn(row: { text_body: string } | undefined, address: string, kind: string): string {
  if (!row) throw new Error(`no ${kind} mail was queued for ${address}`)
  const link = /https?:\/\/\S+?(\/[a-z/-]+\/[a-z2-7]{20,})/.exec(row.text_body)
  if (!link) throw new Error(`the ${kind} mail to ${address} holds no link:\n${row.text_body}`)
  return link[1]
}
