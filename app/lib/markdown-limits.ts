import type { z } from 'zod'

/** Containers (quotes, list items) opened on one line, counting list nesting by indentation. */
export const MARKDOWN_MAX_NESTING = 16
/** Containers opened in the whole text: each is an element to render and sanitize. */
export const MARKDOWN_MAX_CONTAINERS = 1_000

const CONTAINER_MARKER = /^(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/
const FENCE = /^ {0,3}(`{3,}|~{3,})/

/**
 * Why a Markdown text is too deep or too costly to render, or null when it is fine. Measured
 * with one linear pass before the renderer sees the text: marked recurses once per nested
 * container (4,000 `>` overflow its stack) and its cost grows with the elements it builds.
 */
export function markdownLimitProblem(source: string): string | null {
  let containers = 0
  let fence: string | null = null
  for (const line of source.split('\n')) {
    const fenceMatch = FENCE.exec(line)
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = null
      continue
    }
    if (fenceMatch) {
      fence = fenceMatch[1]
      continue
    }
    const depth = lineNesting(line)
    if (depth > MARKDOWN_MAX_NESTING) {
      return `Quotes and lists can nest at most ${MARKDOWN_MAX_NESTING} levels deep`
    }
    containers += depth
    if (containers > MARKDOWN_MAX_CONTAINERS) {
      return `Use at most ${MARKDOWN_MAX_CONTAINERS.toLocaleString('en-US')} quote and list markers in total`
    }
  }
  return null
}

function lineNesting(line: string): number {
  let markers = 0
  let indent = 0
  let rest = line
  for (;;) {
    const space = /^[ \t]*/.exec(rest)![0]
    if (markers === 0) indent = space.replace(/\t/g, '    ').length
    rest = rest.slice(space.length)
    const marker = CONTAINER_MARKER.exec(rest)
    if (!marker) break
    markers++
    rest = rest.slice(marker[0].length)
  }
  // A list nested by indentation opens a container per two columns of it; indentation alone
  // (code, wrapped text) opens none.
  return markers === 0 ? 0 : markers + Math.floor(indent / 2)
}

/** A Markdown field's schema, refusing text beyond the limits with a message for the field. */
export function withinMarkdownLimits<T extends z.ZodType<string | null | undefined, z.ZodTypeDef, unknown>>(
  schema: T,
): z.ZodEffects<T, z.output<T>, z.input<T>> {
  return schema.superRefine((value, context) => {
    const problem = value ? markdownLimitProblem(value) : null
    if (problem) context.addIssue({ code: 'custom', message: problem })
  }) as z.ZodEffects<T, z.output<T>, z.input<T>>
}
