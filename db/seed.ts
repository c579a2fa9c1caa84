import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import matter from 'gray-matter'
import { z } from 'zod'
import { upsertCategory } from '../app/models/category.server'
import { FACETS, type UpsertOutcome, upsertTerm } from '../app/models/taxonomy.server'
import { deleteDemoMembers, upsertDemoMember } from '../app/models/user.server'
import { db, migrateToLatest } from './client'
import { GOVERNMENT_LEVELS, MEMBER_TYPES } from './schema'

export const DEFAULT_CONTENT_DIR = resolve(import.meta.dirname ?? '.', '../content')

/** SEED_DEMO=false leaves demo-only records (sample members and what they wrote) out. */
export function demoContentEnabled(): boolean {
  return process.env.SEED_DEMO !== 'false'
}

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - or _')
const text = z.string().trim().min(1)

const failureModeFile = z.object({
  name: text,
  order: z.number().int(),
  warning_signs: z.array(text).min(1),
  prevention: z.array(text).min(1),
})
const facetFile = z.object({
  facet: z.enum(FACETS),
  name: text,
  terms: z.array(z.object({ slug, name: text, description: text })).min(1),
})
const categoryFile = z.object({ name: text, order: z.number().int() })
const demoMemberFile = z.object({
  display_name: text,
  member_type: z.enum(MEMBER_TYPES),
  organization: text.optional(),
  level: z.enum(GOVERNMENT_LEVELS),
  joined: z.union([z.date(), z.string().date()]),
})

interface ContentFile {
  path: string
  slug: string
  data: Record<string, unknown>
  body: string
  hash: string
}

function readContent(dir: string): ContentFile[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.md')).sort()
  } catch {
    return []
  }
  return names.map((name) => {
    const path = join(dir, name)
    const raw = readFileSync(path, 'utf8')
    const { data, content } = matter(raw)
    return {
      path,
      slug: basename(name, '.md'),
      data,
      body: content.trim(),
      hash: createHash('sha256').update(raw).digest('hex'),
    }
  })
}

function parse<S extends z.ZodTypeAny>(schema: S, file: ContentFile): z.infer<S> {
  const result = schema.safeParse(file.data)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(frontmatter)'}: ${i.message}`)
    throw new Error(`${file.path} has invalid frontmatter:\n  ${problems.join('\n  ')}`)
  }
  slug.parse(file.slug)
  return result.data
}

type Tally = Record<UpsertOutcome | 'skipped' | 'removed', number>

export async function seedContent({
  contentDir = process.env.CONTENT_DIR || DEFAULT_CONTENT_DIR,
  includeDemo = demoContentEnabled(),
} = {}): Promise<string> {
  const tally: Tally = { inserted: 0, updated: 0, unchanged: 0, skipped: 0, removed: 0 }
  const count = (outcome: keyof Tally) => tally[outcome]++

  for (const file of readContent(join(contentDir, 'taxonomy/failure-modes'))) {
    const mode = parse(failureModeFile, file)
    count(
      await upsertTerm(
        {
          facet: 'failure-mode',
          slug: file.slug,
          name: mode.name,
          description: file.body,
          warningSigns: mode.warning_signs,
          prevention: mode.prevention,
          position: mode.order,
        },
        file.hash,
      ),
    )
  }

  for (const file of readContent(join(contentDir, 'taxonomy'))) {
    const facet = parse(facetFile, file)
    for (const [index, term] of facet.terms.entries()) {
      const termHash = createHash('sha256').update(JSON.stringify([term, index])).digest('hex')
      count(
        await upsertTerm(
          {
            facet: facet.facet,
            slug: term.slug,
            name: term.name,
            description: term.description,
            warningSigns: [],
            prevention: [],
            position: index + 1,
          },
          termHash,
        ),
      )
    }
  }

  for (const file of readContent(join(contentDir, 'categories'))) {
    const category = parse(categoryFile, file)
    count(
      await upsertCategory(
        { slug: file.slug, name: category.name, description: file.body, position: category.order },
        file.hash,
      ),
    )
  }

  if (includeDemo) {
    for (const file of readContent(join(contentDir, 'demo/members'))) {
      const member = parse(demoMemberFile, file)
      const joined = member.joined instanceof Date ? member.joined : new Date(`${member.joined}T00:00:00Z`)
      count(
        await upsertDemoMember({
          handle: file.slug,
          displayName: member.display_name,
          memberType: member.member_type,
          organization: member.organization ?? null,
          governmentLevel: member.level,
          joined: joined.toISOString(),
        }),
      )
    }
  } else {
    tally.removed += await deleteDemoMembers()
  }

  return Object.entries(tally)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ')
}

export async function isDatabaseSeeded(): Promise<boolean> {
  return !!(await db.selectFrom('categories').select('id').limit(1).executeTakeFirst())
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await migrateToLatest()
  console.log(`Seeded from content/: ${await seedContent()}`)
  await db.destroy()
}
