/** The words of what a reader typed, as search uses them (at most 16). */
export function searchWords(text: string): string[] {
  return text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? []
}

// Sentinels that cannot appear in stored text; the view turns them into <mark> safely.
export const MARK_START = '\u0002'
export const MARK_END = '\u0003'
