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
