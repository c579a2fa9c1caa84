import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import matter from 'gray-matter'
import { z } from 'zod'

const LABEL = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?)$/

const patternSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((pattern) => pattern.split('.').every((label) => LABEL.test(label)), {
    message: 'must be a domain of letters, digits and hyphens, with * for one whole label',
  })
  .refine((pattern) => pattern.split('.').some((label) => label !== '*'), { message: 'must name at least one label' })

const fileSchema = z.object({ patterns: z.array(patternSchema).min(1) })

/** Parses the government-domains content file; throws naming the bad pattern. */
export function parseGovernmentDomains(source: string, path = 'content/government-domains.md'): string[][] {
  const parsed = fileSchema.safeParse(matter(source).data)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`${path} is not a valid list of government domains:\n  ${problems.join('\n  ')}`)
  }
  return parsed.data.patterns.map((pattern) => pattern.split('.'))
}

let loaded: string[][] | undefined

function governmentDomains(): string[][] {
  const path = resolve(process.cwd(), 'content/government-domains.md')
  loaded ??= parseGovernmentDomains(readFileSync(path, 'utf8'), path)
  return loaded
}

/** True when the address is in a configured government domain (label by label, `*` one label). */
export function isGovernmentEmail(email: string, patterns: string[][] = governmentDomains()): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '')
  const labels = domain.split('.')
  return patterns.some((pattern) => {
    // "gov" needs a name under it; a pattern with a "*" already names one body ("gov.bc.ca").
    const least = pattern.includes('*') ? pattern.length : pattern.length + 1
    if (labels.length < least) return false
    const tail = labels.slice(labels.length - pattern.length)
    return pattern.every((label, i) => label === '*' || label === tail[i])
  })
}
