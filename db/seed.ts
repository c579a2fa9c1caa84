import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import matter from 'gray-matter'
import { z } from 'zod'
import { upsertCategory } from '../app/models/category.server'
import { upsertSitePage } from '../app/models/site-page.server'
import { FACETS, type TermSource, type UpsertOutcome, upsertTerm } from '../app/models/taxonomy.server'
import { type DemoMemberSource, deleteDemoMembers, upsertDemoMember } from '../app/models/user.server'
import type { Kysely } from 'kysely'
import type { Outcome } from '../app/lib/outcome'
import { toggleAcceptedAnswer, toggleHelpful, replyToThread } from '../app/models/post.server'
import { createThread } from '../app/models/thread.server'
import { upsertCuratedCase } from '../app/models/case-content.server'
import { ensureEditorialAccount } from '../app/models/user.server'
import { caseContentSchema } from '../app/lib/case-fields'
import { eventInputSchema, materialSlots } from '../app/lib/event-fields'
import { createEvent } from '../app/models/event.server'
import { recordAttendance } from '../app/models/event-attendance.server'
import { rsvpToEvent } from '../app/models/event-rsvp.server'
import { type ReadinessQuestionSource, deleteReadinessQuestionsExcept, upsertReadinessQuestion } from '../app/models/readiness.server'
import { type DemoTeamSource, seedDemoTeamAssessment } from '../app/models/team-demo.server'
import { TEAM_SIDE_KEYS } from '../app/lib/team-sides'
import { db, migrateToLatest, writeTransaction } from './client'
import { type Database, GOVERNMENT_LEVELS, MEMBER_TYPES } from './schema'

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
const sitePageFile = z.object({ title: text, summary: text })
const readinessFile = z.object({
  order: z.number().int(),
  area: text,
  question: text,
  failure_modes: z.array(slug).min(1),
  looks_like: z.array(text).default([]),
})
const timestamp = z
  .union([z.date(), z.string().datetime()])
  .transform((value) => (value instanceof Date ? value : new Date(value)))
const demoThreadFile = z.object({
  title: z.string().trim().min(8).max(150),
  category: slug,
  author: slug,
  tags: z.array(slug).max(5).default([]),
  created: timestamp,
  replies: z.array(z.object({ author: slug, at: timestamp, body: text })).default([]),
  accepted_reply: z.number().int().positive().optional(),
  helpful: z.array(z.object({ post: z.number().int().positive(), by: z.array(slug) })).default([]),
})
const yearOrDate = z.union([z.date(), z.string().date()]).transform((value) =>
  value instanceof Date ? value.toISOString() : new Date(`${value}T00:00:00Z`).toISOString(),
)
/** Outcomes whose curated cases must record the failure modes they avoided or overcame. */
const OUTCOMES_TOLD_BY_AVOIDANCE = new Set(['succeeded', 'recovered'])
const caseFile = z.object({
  title: z.string(),
  summary: z.string(),
  level: z.string(),
  domain: z.string(),
  jurisdiction: z.string(),
  budget_band: z.string(),
  contract_model: z.string(),
  years: z.union([z.string(), z.number()]).transform(String),
  outcome: z.string(),
  outcome_detail: z.string(),
  // A project that avoided every failure mode it lists has no primary one.
  primary_failure_mode: z.object({ slug: z.string(), how: z.string() }).optional(),
  contributing_failure_modes: z.array(z.object({ slug: z.string(), how: z.string() })).default([]),
  avoided_failure_modes: z.array(z.object({ slug: z.string(), how: z.string() })).default([]),
  phases: z.array(z.string()),
  root_causes: z.array(z.string()),
  lessons: z.array(z.string()),
  recommendations: z.array(z.string()),
  corrective_actions: z
    .array(
      z.object({
        action: z.string(),
        worked: z.union([z.enum(['yes', 'partly', 'no', 'unknown']), z.boolean()]).transform((v) =>
          v === true ? 'yes' : v === false ? 'no' : v,
        ),
        note: z.string().optional(),
      }),
    )
    .default([]),
  sources: z
    .array(
      z
        .object({
          title: z.string({ required_error: 'every source needs a title' }),
          publisher: z.string({ required_error: 'every source needs a publisher' }),
          // YAML reads 2017 as a number and 2017-03-15 as a date; the case keeps the date as written.
          date: z
            .union([z.date(), z.number(), z.string()])
            .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)))
            .optional(),
          report_number: z.union([z.string(), z.number()]).transform(String).optional(),
          url: z.string().optional(),
        })
        .strict(),
    )
    .default([]),
  first_hand: z.boolean().default(false),
  first_hand_statement: z.string().optional(),
  published: yearOrDate,
})

const demoEventFile = z.object({
  title: z.string(),
  kind: z.string(),
  format: z.string(),
  starts: z.string(),
  ends: z.string(),
  time_zone: z.string(),
  venue: z.string().optional(),
  address: z.string().optional(),
  join_url: z.string().optional(),
  capacity: z.number().int().optional(),
  rsvp_deadline: z.string().optional(),
  hosts: z.array(z.string()).default([]),
  speakers: z.array(z.string()).default([]),
  themes: z.array(z.string()).default([]),
  status: z.enum(['published', 'cancelled']).default('published'),
  recap: z.string().optional(),
  recap_links: z.array(z.object({ label: z.string(), url: z.string().url() })).default([]),
  /** How many came, for a past event's recap: recorded as the organizer would (walk-ins, since demo events have no RSVPs then). */
  attended: z.number().int().min(0).optional(),
})

const demoTeamFile = z.object({
  project: text,
  owner: z.string(),
  share_token: z.string().regex(/^[a-z2-7]{26,64}$/, 'a share token is 26 to 64 of a-z and 2-7'),
  participants: z.array(z.object({ member: z.string(), side: z.enum(TEAM_SIDE_KEYS) })).min(1),
  rounds: z.array(z.object({ opened: z.union([z.date(), z.string().date()]), answers: z.record(z.record(z.string())) })).min(1),
})

type DemoThread = z.infer<typeof demoThreadFile> & { body: string; key: string; hash: string; path: string }

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
    let parsed: matter.GrayMatterFile<string>
    try {
      parsed = matter(raw)
    } catch (error) {
      throw new Error(`${path} has invalid frontmatter: ${(error as Error).message}`, { cause: error })
    }
    const fileSlug = basename(name, '.md')
    if (!slug.safeParse(fileSlug).success) {
      throw new Error(`${path}: the file name must be lowercase letters, digits, - or _ (it becomes the slug)`)
    }
    return {
      path,
      slug: fileSlug,
      data: parsed.data,
      body: parsed.content.trim(),
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
  return result.data
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex')

/** Every record content/ describes, read and validated before anything is written. */
function readAllContent(contentDir: string, includeDemo: boolean) {
  const terms: { term: TermSource; hash: string }[] = []
  for (const file of readContent(join(contentDir, 'taxonomy/failure-modes'))) {
    const mode = parse(failureModeFile, file)
    terms.push({
      term: {
        facet: 'failure-mode',
        slug: file.slug,
        name: mode.name,
        description: file.body,
        warningSigns: mode.warning_signs,
        prevention: mode.prevention,
        position: mode.order,
      },
      hash: file.hash,
    })
  }
  for (const file of readContent(join(contentDir, 'taxonomy'))) {
    const facet = parse(facetFile, file)
    for (const [index, term] of facet.terms.entries()) {
      terms.push({
        term: {
          facet: facet.facet,
          slug: term.slug,
          name: term.name,
          description: term.description,
          warningSigns: [],
          prevention: [],
          position: index + 1,
        },
        hash: hashOf([term, index]),
      })
    }
  }

  const categories = readContent(join(contentDir, 'categories')).map((file) => {
    const category = parse(categoryFile, file)
    return {
      category: { slug: file.slug, name: category.name, description: file.body, position: category.order },
      hash: file.hash,
    }
  })

  const sitePages = readContent(join(contentDir, 'pages')).map((file) => {
    const page = parse(sitePageFile, file)
    if (!file.body) throw new Error(`${file.path}: the page has no text`)
    return { page: { slug: file.slug, title: page.title, summary: page.summary, body: file.body }, hash: file.hash }
  })

  // The file name orders the questions ("01-outcomes-defined"); the slug drops the number, so
  // reordering the files keeps members' saved answers attached to their questions.
  const readiness = readContent(join(contentDir, 'readiness')).map((file) => {
    const data = parse(readinessFile, file)
    const question: ReadinessQuestionSource = {
      slug: file.slug.replace(/^\d+-/, ''),
      position: data.order,
      area: data.area,
      question: data.question,
      guidance: file.body,
      looksLike: data.looks_like,
      failureModes: data.failure_modes,
    }
    return { question, hash: file.hash, path: file.path }
  })

  const demoMembers: DemoMemberSource[] = includeDemo
    ? readContent(join(contentDir, 'demo/members')).map((file) => {
        const member = parse(demoMemberFile, file)
        const joined = member.joined instanceof Date ? member.joined : new Date(`${member.joined}T00:00:00Z`)
        return {
          handle: file.slug,
          displayName: member.display_name,
          memberType: member.member_type,
          organization: member.organization ?? null,
          governmentLevel: member.level,
          joined: joined.toISOString(),
        }
      })
    : []

  const demoThreads: DemoThread[] = includeDemo
    ? readContent(join(contentDir, 'demo/threads')).map((file) => ({
        ...parse(demoThreadFile, file),
        body: file.body,
        key: `demo/threads/${file.slug}`,
        hash: file.hash,
        path: file.path,
      }))
    : []

  const cases = readContent(join(contentDir, 'cases')).map((file) => {
    const data = parse(caseFile, file)
    const content = caseContentSchema.safeParse({
      title: data.title,
      summary: data.summary,
      level: data.level,
      domain: data.domain,
      outcome: data.outcome,
      jurisdiction: data.jurisdiction,
      budgetBand: data.budget_band,
      contractModel: data.contract_model,
      years: data.years,
      outcomeDetail: data.outcome_detail,
      // The page gives the narrative its own heading; a file may open with the same one.
      whatHappened: file.body.replace(/^#{1,3}\s*What happened\s*\n+/i, ''),
      primaryFailureMode: data.primary_failure_mode ?? null,
      contributingFailureModes: data.contributing_failure_modes,
      avoidedFailureModes: data.avoided_failure_modes,
      phases: data.phases,
      rootCauses: data.root_causes,
      lessons: data.lessons,
      recommendations: data.recommendations,
      correctiveActions: data.corrective_actions,
      sources: data.sources.map(({ report_number, ...source }) => ({ ...source, reportNumber: report_number })),
      firstHand: data.first_hand,
      firstHandStatement: data.first_hand_statement,
      isAnonymous: false,
    })
    if (!content.success) {
      const problems = content.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
      throw new Error(`${file.path} is not a valid case:\n  ${problems.join('\n  ')}`)
    }
    // The curated library holds itself to more than a member's draft: a success is told by what
    // it avoided or overcame, so none is listed only among the failures.
    if (OUTCOMES_TOLD_BY_AVOIDANCE.has(content.data.outcome) && !content.data.avoidedFailureModes?.length) {
      throw new Error(`${file.path} is not a valid case:\n  avoided_failure_modes: a case that ${content.data.outcome} records the failure modes it avoided or overcame, and how`)
    }
    return { key: `cases/${file.slug}`, hash: file.hash, slug: file.slug, publishedAt: data.published, content: content.data }
  })

  const demoEvents = includeDemo
    ? readContent(join(contentDir, 'demo/events')).map((file) => {
        const data = parse(demoEventFile, file)
        const input = eventInputSchema.safeParse({
          title: data.title,
          kind: data.kind,
          description: file.body,
          starts: data.starts,
          ends: data.ends,
          timeZone: data.time_zone,
          format: data.format,
          venue: data.venue,
          address: data.address,
          joinUrl: data.join_url,
          capacity: data.capacity === undefined ? '' : String(data.capacity),
          rsvpDeadline: data.rsvp_deadline ?? '',
          hosts: data.hosts.join(', '),
          speakers: data.speakers.join(', '),
          themes: data.themes,
          recap: data.recap,
          ...materialSlots(data.recap_links),
        })
        if (!input.success) {
          const problems = input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
          throw new Error(`${file.path} is not a valid event:\n  ${problems.join('\n  ')}`)
        }
        return { key: `demo/events/${file.slug}`, hash: file.hash, path: file.path, status: data.status, attended: data.attended, input: input.data }
      })
    : []

  const demoTeams: DemoTeamSource[] = includeDemo
    ? readContent(join(contentDir, 'demo/teams')).map((file) => {
        const team = parse(demoTeamFile, file)
        return {
          path: file.path,
          project: team.project,
          owner: team.owner,
          shareToken: team.share_token,
          participants: team.participants,
          rounds: team.rounds.map((round) => ({
            opened: round.opened instanceof Date ? round.opened : new Date(`${round.opened}T00:00:00Z`),
            answers: round.answers,
          })),
        }
      })
    : []

  return { terms, categories, sitePages, readiness, demoMembers, demoThreads, cases, demoEvents, demoTeams }
}

/**
 * A demo event, created through the organizer's model function, with a few demo members going
 * to the upcoming ones. A changed file replaces its event (and its demo RSVPs).
 */
async function seedDemoEvent(
  trx: Kysely<Database>,
  event: ReturnType<typeof readAllContent>['demoEvents'][number],
  organizerId: number,
  demoMemberIds: number[],
): Promise<UpsertOutcome> {
  const existing = await trx.selectFrom('events').select(['id', 'source_hash']).where('source_key', '=', event.key).executeTakeFirst()
  if (existing?.source_hash === event.hash) return 'unchanged'
  if (existing) await trx.deleteFrom('events').where('id', '=', existing.id).execute()
  // The seed acts as an organizer: it is the operator loading curated listings.
  const organizer = { id: organizerId, role: 'admin' as const }
  const created = await createEvent(organizer, event.input, { status: 'published', trx, isDemo: true })
  if (!created.ok) throw new Error(`${event.path}: ${created.message}`)
  const { id } = created.value
  const upcoming = (await trx.selectFrom('events').select('starts_at').where('id', '=', id).executeTakeFirstOrThrow()).starts_at > new Date().toISOString()
  if (upcoming) {
    for (const [index, userId] of demoMemberIds.slice(0, 3).entries()) {
      await rsvpToEvent({ id: userId, role: 'member' }, id, index === 2 ? 'interested' : 'going', { trx })
    }
  }
  if (event.attended !== undefined) {
    const recorded = await recordAttendance(organizer, id, { attendedHandles: [], walkIns: event.attended }, { trx })
    if (!recorded.ok) throw new Error(`${event.path}: ${recorded.message}`)
  }
  if (event.status === 'cancelled') await trx.updateTable('events').set({ status: 'cancelled', cancelled_at: new Date().toISOString() }).where('id', '=', id).execute()
  await trx.updateTable('events').set({ source_key: event.key, source_hash: event.hash }).where('id', '=', id).execute()
  return existing ? 'updated' : 'inserted'
}

/**
 * Creates a demo thread through the same model functions members use, with its replies,
 * helpful marks and accepted answer. A changed file replaces its thread.
 */
async function seedDemoThread(trx: Kysely<Database>, thread: DemoThread): Promise<UpsertOutcome> {
  const existing = await trx.selectFrom('threads').select(['id', 'source_hash']).where('source_key', '=', thread.key).executeTakeFirst()
  if (existing?.source_hash === thread.hash) return 'unchanged'
  if (existing) await trx.deleteFrom('threads').where('id', '=', existing.id).execute()

  const handles = [thread.author, ...thread.replies.map((r) => r.author), ...thread.helpful.flatMap((h) => h.by)]
  const members = await trx.selectFrom('users').select(['id', 'handle', 'role']).where('handle', 'in', handles).execute()
  const actor = (handle: string) => {
    const member = members.find((m) => m.handle === handle)
    if (!member) throw new Error(`${thread.path}: no member has the handle "${handle}"`)
    return { id: member.id, role: member.role }
  }
  const must = <T>(outcome: Outcome<T>): T => {
    if (!outcome.ok) throw new Error(`${thread.path}: ${outcome.message}`)
    return outcome.value
  }

  const { id } = must(
    await createThread(
      actor(thread.author),
      { categorySlug: thread.category, title: thread.title, body: thread.body, tagSlugs: thread.tags },
      { now: thread.created, isDemo: true, trx },
    ),
  )
  for (const reply of thread.replies) {
    must(await replyToThread(actor(reply.author), id, reply.body, { now: reply.at, isDemo: true, trx }))
  }
  const posts = await trx.selectFrom('posts').select(['id', 'number']).where('thread_id', '=', id).execute()
  const postId = (number: number) => {
    const post = posts.find((p) => p.number === number)
    if (!post) throw new Error(`${thread.path}: there is no post number ${number}`)
    return post.id
  }
  for (const mark of thread.helpful) {
    for (const handle of mark.by) must(await toggleHelpful(actor(handle), postId(mark.post), { trx, isDemo: true }))
  }
  if (thread.accepted_reply) must(await toggleAcceptedAnswer(actor(thread.author), postId(thread.accepted_reply + 1), { trx, isDemo: true }))
  await trx.updateTable('threads').set({ source_key: thread.key, source_hash: thread.hash }).where('id', '=', id).execute()
  return existing ? 'updated' : 'inserted'
}

type Tally = Record<UpsertOutcome | 'skipped' | 'removed', number>

/**
 * Loads content/ into the database in one transaction: a mistake in any file leaves the
 * database as it was, and the error names the file.
 */
export async function seedContent({
  contentDir = process.env.CONTENT_DIR || DEFAULT_CONTENT_DIR,
  includeDemo = demoContentEnabled(),
} = {}): Promise<string> {
  const content = readAllContent(contentDir, includeDemo)
  const tally: Tally = { inserted: 0, updated: 0, unchanged: 0, skipped: 0, removed: 0 }

  await writeTransaction(async (trx) => {
    for (const { term, hash } of content.terms) tally[await upsertTerm(term, hash, trx)]++
    for (const { category, hash } of content.categories) tally[await upsertCategory(category, hash, trx)]++
    for (const { page, hash } of content.sitePages) tally[await upsertSitePage(page, hash, trx)]++
    for (const { question, hash, path } of content.readiness) {
      try {
        tally[await upsertReadinessQuestion(question, hash, trx)]++
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`, { cause: error })
      }
    }
    tally.removed += await deleteReadinessQuestionsExcept(content.readiness.map((r) => r.question.slug), trx)
    if (content.cases.length) {
      const authorId = await ensureEditorialAccount(trx)
      for (const curated of content.cases) tally[await upsertCuratedCase(trx, { ...curated, authorId })]++
    }
    if (includeDemo) {
      for (const member of content.demoMembers) tally[await upsertDemoMember(member, trx)]++
      for (const thread of content.demoThreads) tally[await seedDemoThread(trx, thread)]++
      if (content.demoEvents.length) {
        const organizerId = await ensureEditorialAccount(trx)
        const demoMembers = await trx.selectFrom('users').select('id').where('is_demo', '=', 1).orderBy('id').execute()
        for (const event of content.demoEvents) {
          tally[await seedDemoEvent(trx, event, organizerId, demoMembers.map((m) => m.id))]++
        }
      }
      for (const team of content.demoTeams) tally[await seedDemoTeamAssessment(trx, team)]++
    } else {
      tally.removed += await deleteDemoMembers(trx)
    }
  })

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
