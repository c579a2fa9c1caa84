import { siteUrl } from './site-url'

export interface MailContent {
  subject: string
  text: string
  html: string
}

interface MailLink {
  label: string
  url: string
}

export interface MailSection {
  heading: string
  items: { text: string; url: string; detail?: string | null }[]
}

interface MailParts {
  subject: string
  heading: string
  paragraphs?: string[]
  /** A post as written (Markdown for the text part, its stored sanitized HTML for the other). */
  quote?: { bodyMd: string; bodyHtml: string } | null
  sections?: MailSection[]
  action?: MailLink
  /** Mail to someone who is not (yet) a member has no preferences to link to. */
  footer: { why: string; preferencesUrl?: string; unsubscribeUrl?: string }
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Links in stored post HTML are site-relative; in a mailbox they must name the site. */
function absoluteLinks(html: string): string {
  const site = siteUrl()
  return html.replace(/(href|src)="\/(?!\/)/g, `$1="${site}/`)
}

// Plain, high-contrast, no images: readable in any client, with images off, and by a screen reader.
const STYLE = {
  body: 'margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  heading: 'font-size:20px;line-height:1.3;margin:0 0 16px;color:#1b1b1b',
  subheading: 'font-size:17px;margin:24px 0 8px;color:#1b1b1b',
  quote: 'margin:16px 0;padding:8px 16px;border-left:4px solid #565c65;color:#1b1b1b',
  link: 'color:#005ea2;text-decoration:underline',
  button: 'display:inline-block;padding:10px 16px;background:#005ea2;color:#ffffff;text-decoration:underline;border-radius:4px',
  footer: 'margin-top:32px;padding-top:16px;border-top:1px solid #71767a;font-size:14px;color:#3d4551',
}

/** A multipart email: the same words as plain text and as simple, accessible HTML. */
export function renderMail(parts: MailParts): MailContent {
  const text: string[] = [parts.heading, '']
  const html: string[] = [`<h1 style="${STYLE.heading}">${escapeHtml(parts.heading)}</h1>`]
  for (const paragraph of parts.paragraphs ?? []) {
    text.push(paragraph, '')
    html.push(`<p>${escapeHtml(paragraph)}</p>`)
  }
  if (parts.quote) {
    text.push(...parts.quote.bodyMd.split('\n').map((line) => `> ${line}`), '')
    html.push(`<blockquote style="${STYLE.quote}">${absoluteLinks(parts.quote.bodyHtml)}</blockquote>`)
  }
  for (const section of parts.sections ?? []) {
    text.push(section.heading, '-'.repeat(section.heading.length))
    html.push(`<h2 style="${STYLE.subheading}">${escapeHtml(section.heading)}</h2><ul>`)
    for (const item of section.items) {
      text.push(`- ${item.text}${item.detail ? ` (${item.detail})` : ''}`, `  ${item.url}`)
      html.push(
        `<li><a style="${STYLE.link}" href="${escapeHtml(item.url)}">${escapeHtml(item.text)}</a>${item.detail ? ` <span>(${escapeHtml(item.detail)})</span>` : ''}</li>`,
      )
    }
    text.push('')
    html.push('</ul>')
  }
  if (parts.action) {
    text.push(`${parts.action.label}: ${parts.action.url}`, '')
    html.push(`<p><a style="${STYLE.button}" href="${escapeHtml(parts.action.url)}">${escapeHtml(parts.action.label)}</a></p>`)
  }
  const { why, preferencesUrl, unsubscribeUrl } = parts.footer
  text.push('--', why)
  if (preferencesUrl) text.push(`Choose which emails you get: ${preferencesUrl}`)
  if (unsubscribeUrl) text.push(`Stop this kind of email: ${unsubscribeUrl}`)
  const footerLinks = [
    preferencesUrl ? `<a style="${STYLE.link}" href="${escapeHtml(preferencesUrl)}">Choose which emails you get</a>` : null,
    unsubscribeUrl ? `<a style="${STYLE.link}" href="${escapeHtml(unsubscribeUrl)}">Stop this kind of email</a>` : null,
  ].filter(Boolean)
  html.push(
    `<div style="${STYLE.footer}"><p>${escapeHtml(why)}</p>${footerLinks.length ? `<p>${footerLinks.join(' · ')}</p>` : ''}</div>`,
  )
  const document = `<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(parts.subject)}</title></head><body style="${STYLE.body}"><main>${html.join('\n')}</main></body></html>`
  return { subject: parts.subject, text: text.join('\n'), html: document }
}
