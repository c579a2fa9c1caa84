import type { Kysely } from 'kysely'
import type { Database, EmailTokenPurpose } from '../../db/schema'
import { renderMail } from '../lib/mail-template'
import { siteUrl } from '../lib/site-url'
import { EMAIL_TOKEN_PATHS, issueEmailToken } from './email-token.server'
import { enqueueMail } from './mail-outbox.server'

// Account mail: written in the transaction of what caused it, sent by the outbox sender.

const ACCOUNT_MAIL_WHY = 'You get this email because of a change to your SectorPulse account. It is not a newsletter.'

const linkFor = (purpose: EmailTokenPurpose, token: string) => `${siteUrl()}${EMAIL_TOKEN_PATHS[purpose]}/${token}`

async function send(
  trx: Kysely<Database>,
  to: { userId: number; email: string },
  kind: string,
  content: { subject: string; heading: string; paragraphs: string[]; action?: { label: string; url: string } },
) {
  const mail = renderMail({ ...content, footer: { why: ACCOUNT_MAIL_WHY } })
  await enqueueMail(trx, { userId: to.userId, toAddress: to.email, kind, subject: mail.subject, text: mail.text, html: mail.html })
}

type Member = { userId: number; email: string; displayName: string }

export async function queuePasswordResetMail(trx: Kysely<Database>, member: Member): Promise<void> {
  const token = await issueEmailToken(trx, { purpose: 'reset-password', userId: member.userId, email: member.email })
  await send(trx, member, 'reset-password', {
    subject: 'Reset your SectorPulse password',
    heading: 'Reset your password',
    paragraphs: [
      `Hello ${member.displayName}. Someone asked to reset the password of the SectorPulse account for this address.`,
      'Use the link below within 1 hour to choose a new password. It works once. Choosing a new password signs you out everywhere else.',
      'If you did not ask for this, you do not need to do anything: your password stays the same. If you keep getting these emails, tell the SectorPulse moderators.',
    ],
    action: { label: 'Choose a new password', url: linkFor('reset-password', token) },
  })
}

export async function queueEmailConfirmationMail(trx: Kysely<Database>, member: Member): Promise<void> {
  const token = await issueEmailToken(trx, { purpose: 'verify-email', userId: member.userId, email: member.email })
  await send(trx, member, 'verify-email', {
    subject: 'Confirm your email address for SectorPulse',
    heading: 'Confirm your email address',
    paragraphs: [
      `Hello ${member.displayName}. Confirm this address to finish joining SectorPulse. Until you do, you can read and save drafts but not post.`,
      'The link works once, for 24 hours. If it runs out, sign in and ask for a new one.',
      'If you did not join SectorPulse, ignore this email: the account stays unconfirmed and you will not hear from us again.',
    ],
    action: { label: 'Confirm my email address', url: linkFor('verify-email', token) },
  })
}

export async function queueJoinAttemptMail(trx: Kysely<Database>, member: Member): Promise<void> {
  await send(trx, member, 'join-attempt', {
    subject: 'Someone tried to join SectorPulse with your address',
    heading: 'Someone tried to join with your address',
    paragraphs: [
      `Hello ${member.displayName}. Someone tried to create a new SectorPulse account with this email address, which already has an account. We did not create one.`,
      'If it was you, you already have an account: sign in, or reset your password if you have forgotten it.',
      'If it was not you, you do not need to do anything. Your account has not changed.',
    ],
    action: { label: 'Reset your password', url: `${siteUrl()}/forgot-password` },
  })
}

export async function queueEmailChangeMail(trx: Kysely<Database>, member: Member, newEmail: string): Promise<void> {
  const token = await issueEmailToken(trx, { purpose: 'change-email', userId: member.userId, email: newEmail })
  await send(trx, { userId: member.userId, email: newEmail }, 'change-email', {
    subject: 'Confirm your new email address for SectorPulse',
    heading: 'Confirm your new email address',
    paragraphs: [
      `Hello ${member.displayName}. You asked to use this address for your SectorPulse account.`,
      'Use the link below within 24 hours to confirm it. Nothing changes until you do.',
      'If you did not ask for this, ignore this email.',
    ],
    action: { label: 'Confirm my new email address', url: linkFor('change-email', token) },
  })
}

/** To the address someone tried to move an account to, when it already has one of its own. */
export async function queueAddressInUseMail(trx: Kysely<Database>, owner: Member): Promise<void> {
  await send(trx, owner, 'address-in-use', {
    subject: 'Someone tried to use your address on SectorPulse',
    heading: 'Someone tried to use your address',
    paragraphs: [
      `Hello ${owner.displayName}. Another SectorPulse member asked to change their email address to this one. This address already has an account, so nothing changed.`,
      'If it was you, sign in with this address instead. Otherwise you do not need to do anything.',
    ],
  })
}

export async function queueEmailChangedMail(trx: Kysely<Database>, member: Member, oldEmail: string, newEmail: string): Promise<void> {
  const token = await issueEmailToken(trx, { purpose: 'undo-email-change', userId: member.userId, email: oldEmail })
  await send(trx, { userId: member.userId, email: oldEmail }, 'email-changed', {
    subject: 'Your SectorPulse email address was changed',
    heading: 'Your email address was changed',
    paragraphs: [
      `Hello ${member.displayName}. The email address of your SectorPulse account is now ${newEmail}. We sent this to your old address so you know.`,
      'If you made this change, you do not need to do anything.',
      'If you did not, use the link below within 7 days. It puts this address back and signs out everyone using your account. Then choose a new password.',
    ],
    action: { label: 'Undo this change', url: linkFor('undo-email-change', token) },
  })
}
