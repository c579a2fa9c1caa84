/**
 * Turns what a reader typed into an FTS5 query that cannot be a syntax error: every word is
 * a quoted term (so AND, NEAR, quotes and stars are just words), all of them required.
 */
export function ftsQuery(text: string): string | null {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? []
  if (!words.length) return null
  return words.map((word) => `"${word}"*`).join(' ')
}

// Sentinels that cannot appear in stored text; the view turns them into <mark> safely.
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'
