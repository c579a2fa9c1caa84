import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import nodemailer, { type Mail } from 'nodemailer'
import { databasePath } from '../../db/client'
import { siteUrl } from './site-url'

export type OutgoingMail = Parameters<Mail['sendMail']>[0]

/** Where messages go: an SMTP server, or `.eml` files when none is configured. */
export interface MailTransport {
  /** Resolves once the server accepted the message; rejects with nodemailer's error (responseCode, code). */
  send(message: OutgoingMail): Promise<void>
  close(): void
}

export interface MailTransportOptions {
  /** smtp://user:pass@host:587 or smtps://...; none writes `.eml` files instead. */
  smtpUrl?: string
  /** Folder for `.eml` files; defaults to `mail/` beside the database. */
  mailDir?: string
}

/** The sender address: MAIL_FROM, or no-reply at the site's own host. */
export function mailFrom(): string {
  return process.env.MAIL_FROM?.trim() || `SectorPulse <no-reply@${siteHost()}>`
}

/** The host name that Message-IDs and thread references are made unique under. */
export function siteHost(): string {
  return new URL(siteUrl()).hostname
}

export function defaultMailDir(): string {
  return join(dirname(resolve(databasePath())), 'mail')
}

export function createMailTransport({
  smtpUrl = process.env.SMTP_URL?.trim(),
  mailDir = defaultMailDir(),
}: MailTransportOptions = {}): MailTransport {
  if (smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: smtpUrl,
      // nodemailer waits up to 10 minutes on a silent socket by default; a send must end well
      // inside the outbox lease, or another sender could take the message over mid-send.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    })
    return {
      send: async (message) => {
        await transporter.sendMail(message)
      },
      close: () => transporter.close(),
    }
  }
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    send: async (message) => {
      const info = await transporter.sendMail(message)
      mkdirSync(mailDir, { recursive: true })
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const local = info.messageId.replace(/^<|@.*$/g, '').replace(/[^\w-]/g, '')
      const file = join(mailDir, `${stamp}-${local}.eml`)
      writeFileSync(file, info.message as Buffer)
      console.log(`[mail] no SMTP_URL set: wrote ${file}`)
    },
    close: () => transporter.close(),
  }
}
