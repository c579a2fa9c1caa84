// Atom (RFC 4287) feeds, written by hand: the format is small and a dependency would be larger.

export interface AtomEntry {
  /** A permanent, unique IRI for the entry (see permanentEntryId), never its page's address, which a rename changes. */
  id: string
  title: string
  url: string
  published: string
  updated: string
  author: string
  /** Plain text. */
  summary?: string
  /** Sanitized HTML, as stored; escaped again here, as Atom's type="html" requires. */
  contentHtml?: string
  categories?: string[]
}

export interface AtomFeed {
  /** The feed's own address (also its id). */
  selfUrl: string
  /** The page the feed mirrors. */
  pageUrl: string
  title: string
  subtitle: string
  entries: AtomEntry[]
}

const escapeXml = (text: string) =>
  text
    // Characters XML 1.0 forbids would make the whole feed unreadable.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

function entryXml(entry: AtomEntry): string {
  return [
    '  <entry>',
    `    <id>${escapeXml(entry.id)}</id>`,
    `    <title type="text">${escapeXml(entry.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>`,
    `    <published>${entry.published}</published>`,
    `    <updated>${entry.updated}</updated>`,
    `    <author><name>${escapeXml(entry.author)}</name></author>`,
    ...(entry.categories ?? []).map((term) => `    <category term="${escapeXml(term)}"/>`),
    entry.summary ? `    <summary type="text">${escapeXml(entry.summary)}</summary>` : '',
    entry.contentHtml ? `    <content type="html">${escapeXml(entry.contentHtml)}</content>` : '',
    '  </entry>',
  ]
    .filter(Boolean)
    .join('\n')
}

/**
 * An entry's permanent id: an RFC 4151 tag URI from the configured site's host name and the
 * record's number. A rename (a new slug) or an edit never changes it, so readers never see an
 * entry twice; the site URL names the authority, so two installations never collide.
 */
export function permanentEntryId(site: string, kind: 'case' | 'thread' | 'event', id: number): string {
  return `tag:${new URL(site).hostname},2026:${kind}-${id}`
}

export function buildAtomFeed(feed: AtomFeed, now = new Date()): string {
  // A feed's updated is its newest entry's; an empty feed is as new as the request.
  const updated = feed.entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '') || now.toISOString()
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feed.selfUrl)}</id>`,
    `  <title type="text">${escapeXml(feed.title)}</title>`,
    `  <subtitle type="text">${escapeXml(feed.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>SectorPulse</name></author>',
    '  <generator>SectorPulse</generator>',
    ...feed.entries.map(entryXml),
    '</feed>',
    '',
  ].join('\n')
}

export function atomResponse(xml: string): Response {
  return new Response(xml, {
    headers: {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      // Feed readers poll; five minutes of staleness is what they expect.
      'Cache-Control': 'public, max-age=300',
    },
  })
}

/** The `<link rel="alternate">` a page uses to announce its feed (a Remix meta descriptor). */
export const feedLink = (href: string, title: string) =>
  ({ tagName: 'link', rel: 'alternate', type: 'application/atom+xml', href, title } as const)
