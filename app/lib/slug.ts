/** True for text slugify could have made: safe to put back into a path and a Location header. */
export const isSlug = (text: string | undefined): text is string => !!text && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text)

/** "When the sponsor leaves: what now?" -> "when-the-sponsor-leaves-what-now" */
export function slugify(text: string, maxLength = 80, fallback = 'thread'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '')
  return slug || fallback
}
