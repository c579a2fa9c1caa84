/**
 * Turns what a reader typed into an FTS5 query that cannot be a syntax error: every word is
 * a quoted term (so AND, NEAR, quotes and stars are just words), all of them required.
 * Words match their other forms through the Porter stemmer ("migrate" finds "migration"), and
 * words of `prefixFrom` characters or more also match longer words that begin the same way
 * ("reconcile" finds "reconciliation"). Short prefixes stay exact: over a million posts, "the*"
 * expands to every word beginning so and took seconds.
 */
export function ftsQuery(text: string, { prefixFrom = 4 }: { prefixFrom?: number } = {}): string | null {
  const words = searchWords(text)
  if (!words.length) return null
  return words.map((word) => `"${word}"${word.length >= prefixFrom ? '*' : ''}`).join(' ')
}

/** The words of what a reader typed, as search uses them (at most 16). */
export function searchWords(text: string): string[] {
  return text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? []
}

// Sentinels that cannot appear in stored text; the view turns them into <mark> safely.
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'
