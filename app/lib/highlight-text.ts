import { MARK_END, MARK_START } from './fts'

// Marks a reader's search words in stored text, for the few hits a results page shows. FTS5
// ranks the hits; its own snippet() re-reads a term's whole index for every row it decorates,
// which took seconds for a common word over a million posts, so the marks are made here.

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

/** "migrations" -> "migrat", so the marks follow the stemmer's matches closely enough. */
function root(word: string): string {
  const folded = fold(word)
  const stripped = folded.replace(/(ations?|ions?|ing|ers?|ed|es|s|e|y)$/, '')
  return stripped.length >= 3 ? stripped : folded
}

const WORD = /[\p{L}\p{N}]+/gu

function matcher(words: string[]): (token: string) => boolean {
  const roots = [...new Set(words.map(root))]
  return (token) => {
    const folded = fold(token)
    return roots.some((r) => folded.startsWith(r))
  }
}

/** The text with every word that matches one of `words` between MARK_START and MARK_END. */
export function markWords(text: string, words: string[]): string {
  const matches = matcher(words)
  return text.replace(WORD, (token) => (matches(token) ? `${MARK_START}${token}${MARK_END}` : token))
}

/**
 * About `size` words of `text` around its first match, marked; null when nothing matches. An
 * ellipsis shows where the text goes on.
 */
export function snippetOf(text: string, words: string[], size = 24): string | null {
  const matches = matcher(words)
  const tokens = [...text.matchAll(WORD)]
  const first = tokens.findIndex((t) => matches(t[0]))
  if (first < 0) return null
  const from = Math.max(0, first - Math.floor(size / 3))
  const to = Math.min(tokens.length, from + size)
  const start = tokens[from].index!
  const end = to < tokens.length ? tokens[to - 1].index! + tokens[to - 1][0].length : text.length
  return `${from > 0 ? '…' : ''}${markWords(text.slice(start, end), words)}${to < tokens.length ? '…' : ''}`
}
