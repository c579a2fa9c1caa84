// Stored, sanitized HTML (rendered from Markdown at write time) as plain text, for places that
// cannot show markup, such as a calendar's DESCRIPTION: paragraphs, list items and link
// addresses survive; tags and Markdown syntax do not.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

export function htmlToText(html: string): string {
  const text = html
    // Source newlines between block tags are layout, not content.
    .replace(/(<\/?(?:ul|ol|li|p|h[1-6]|blockquote|pre|table|thead|tbody|tr|div)\b[^>]*>)\s*\n\s*/gi, '$1')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_whole, href: string, inner: string) => {
      const label = inner.replace(/<[^>]+>/g, '')
      const address = decodeEntities(href)
      return decodeEntities(label).trim() === address ? label : `${label} (${href})`
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(p|h[1-6]|ul|ol|blockquote|pre|table|tr|div)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
  return decodeEntities(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
