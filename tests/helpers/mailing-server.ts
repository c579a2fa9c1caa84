// The production server mailing through a real SMTP server on loopback, with the outbox's sender
// and the notification fan-out polling fast, and a handle on its database file for assertions.
import { openServerDatabase, type ServerDatabase } from './server-database'
import { type ReceivedMail, startSmtpServer, type TestSmtpServer } from './smtp-server'
import { type RunningServer, startServer } from './start-server'

export interface MailingServer {
  smtp: TestSmtpServer
  server: RunningServer
  db: ServerDatabase
  stop: () => Promise<void>
}

export async function startMailingServer(env: Record<string, string> = {}): Promise<MailingServer> {
  const smtp = await startSmtpServer()
  const server = await startServer({ SMTP_URL: smtp.url, MAIL_HOLD_MINUTES: '0', MAIL_POLL_MS: '100', FANOUT_POLL_MS: '100', ...env })
  const db = openServerDatabase(server)
  return {
    smtp,
    server,
    db,
    async stop() {
      await db.close()
      await server.stop()
      await smtp.close()
    },
  }
}

export const recipientOf = (mail: ReceivedMail) => (mail.parsed.to && 'text' in mail.parsed.to ? mail.parsed.to.text : '')

/** The newest mail the SMTP server accepted for `address` with this subject, once more than `after` have arrived. */
export async function waitForMail(smtp: TestSmtpServer, address: string, subject: string | RegExp, after = 0): Promise<ReceivedMail> {
  const deadline = Date.now() + 15_000
  const matches = (mailSubject = '') => (typeof subject === 'string' ? mailSubject === subject : subject.test(mailSubject))
  for (;;) {
    const found = smtp.accepted.filter((mail) => recipientOf(mail) === address && matches(mail.parsed.subject))
    if (found.length > after) return found[found.length - 1]
    if (Date.now() > deadline) throw new Error(`no "${subject}" mail reached ${address}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
