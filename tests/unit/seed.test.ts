import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import matter from 'gray-matter'
import { afterAll, beforeEach, describe, it, expect } from 'vitest'
import { db } from '../../db/client'
import { DEFAULT_CONTENT_DIR, isDatabaseSeeded, seedContent } from '../../db/seed'
import { listCategories } from '../../app/models/category.server'
import { listTerms } from '../../app/models/taxonomy.server'
import { listReadinessQuestions } from '../../app/models/readiness.server'
import { EDITORIAL_HANDLE, verifyLogin } from '../../app/models/user.server'

const CONTENT = DEFAULT_CONTENT_DIR
const mdFiles = (dir: string) => readdirSync(join(CONTENT, dir)).filter((f) => f.endsWith('.md')).sort()
const FAILURE_MODES = mdFiles('taxonomy/failure-modes')
const CATEGORIES = mdFiles('categories')
const DEMO_MEMBERS = mdFiles('demo/members')
const DEMO_THREADS = mdFiles('demo/threads')
const CASES = mdFiles('cases')
const DEMO_EVENTS = mdFiles('demo/events')
const DEMO_TEAMS = mdFiles('demo/teams')
const READINESS = mdFiles('readiness')
const SITE_PAGES = mdFiles('pages')
const FACET_TERMS = mdFiles('taxonomy').reduce(
  (n, f) => n + (matter(readFileSync(join(CONTENT, 'taxonomy', f), 'utf8')).data.terms as unknown[]).length,
  0,
)
const TOTAL = FAILURE_MODES.length + FACET_TERMS + CATEGORIES.length + SITE_PAGES.length + READINESS.length + CASES.length + DEMO_MEMBERS.length + DEMO_THREADS.length + DEMO_EVENTS.length + DEMO_TEAMS.length

const tempDirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sectorpulse-seed-'))
  tempDirs.push(dir)
  return dir
}
function copyOfContent(): string {
  const dir = join(tempDir(), 'content')
  cpSync(CONTENT, dir, { recursive: true })
  return dir
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

async function snapshot() {
  return {
    terms: await db.selectFrom('taxonomy_terms').selectAll().orderBy('id').execute(),
    categories: await db.selectFrom('categories').selectAll().orderBy('id').execute(),
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    threads: await db.selectFrom('threads').selectAll().orderBy('id').execute(),
    posts: await db.selectFrom('posts').selectAll().orderBy('id').execute(),
  }
}

beforeEach(async () => {
  await db.deleteFrom('events').execute()
  await db.deleteFrom('cases').execute()
  await db.deleteFrom('threads').execute()
  await db.deleteFrom('sessions').execute()
  await db.deleteFrom('users').execute()
  await db.deleteFrom('taxonomy_terms').execute()
  await db.deleteFrom('categories').execute()
  await db.deleteFrom('readiness_questions').execute()
  await db.deleteFrom('site_pages').execute()
})

describe('seedContent from content/', () => {
  it('the curated content has the expected shape', () => {
    expect(FAILURE_MODES).toHaveLength(20)
    expect(CATEGORIES).toHaveLength(10)
    expect(DEMO_MEMBERS.length).toBeGreaterThan(0)
  })

  it('first run inserts every record', async () => {
    expect(await seedContent({ includeDemo: true })).toBe(`${TOTAL} inserted`)

    // 20 failure modes, each with its warning signs and prevention as JSON arrays, in order.
    const modes = await db
      .selectFrom('taxonomy_terms')
      .selectAll()
      .where('facet', '=', 'failure-mode')
      .orderBy('position')
      .execute()
    expect(modes).toHaveLength(20)
    expect(modes.map((m) => m.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    for (const mode of modes) {
      const source = matter(readFileSync(join(CONTENT, 'taxonomy/failure-modes', `${mode.slug}.md`), 'utf8'))
      expect(mode.name).toBe(source.data.name)
      const warningSigns = JSON.parse(mode.warning_signs_json)
      const prevention = JSON.parse(mode.prevention_json)
      expect(warningSigns).toEqual(source.data.warning_signs)
      expect(prevention).toEqual(source.data.prevention)
      expect(warningSigns.length).toBeGreaterThan(0)
      expect(prevention.length).toBeGreaterThan(0)
      expect(mode.description_md).toBe(source.content.trim())
      expect(mode.description_html).toMatch(/^<p>/)
      expect(mode.description_html).not.toMatch(/<script|<iframe|\son\w+=|javascript:/i)
      expect(mode.source_hash).toMatch(/^[0-9a-f]{64}$/)
    }
    const bigBang = modes.find((m) => m.slug === 'big-bang-scope')!
    expect(bigBang.name).toBe('Big-bang scope')
    expect(bigBang.position).toBe(18)

    // Simple facets: terms without warning signs or prevention.
    for (const facet of ['phase', 'level', 'domain', 'outcome'] as const) {
      const terms = await listTerms(facet)
      expect(terms.length, facet).toBeGreaterThan(0)
    }
    expect((await listTerms('phase')).map((t) => t.slug)).toEqual([
      'strategy-and-funding', 'procurement', 'requirements-and-design', 'build-and-integration',
      'testing', 'go-live-and-cutover', 'stabilization-and-adoption', 'operations',
    ])
    const simple = await db.selectFrom('taxonomy_terms').selectAll().where('facet', '!=', 'failure-mode').execute()
    expect(simple).toHaveLength(FACET_TERMS)
    for (const term of simple) {
      expect(term.warning_signs_json).toBe('[]')
      expect(term.prevention_json).toBe('[]')
    }

    // 10 categories (the nine discussion themes, then case discussions), in their curated order.
    expect((await listCategories()).map((c) => c.slug)).toEqual([
      'governance-and-sponsorship', 'requirements-and-scope', 'procurement-and-vendors', 'data-and-integration',
      'testing-and-go-live', 'adoption-and-change', 'it-program-alignment', 'ai-in-government', 'workforce-and-talent',
      'case-discussions',
    ])

    // The 13 readiness questions in order, each guarding against failure modes, all 20 covered.
    const questions = await listReadinessQuestions()
    expect(questions.map((q) => q.position)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
    expect(questions[0]).toMatchObject({ slug: 'outcomes-defined', question: 'Are the business outcomes clearly defined?' })
    expect(questions[12].failureModes[0].slug).toBe('automated-decisions-without-review')
    for (const question of questions) {
      expect(question.failureModes.length, question.slug).toBeGreaterThan(0)
      expect(question.guidanceHtml).toMatch(/^<p>/)
    }
    expect(new Set(questions.flatMap((q) => q.failureModes.map((m) => m.slug))).size).toBe(20)

    // Demo members: flagged, and without a password nobody can sign in with.
    // Every member but the editorial account the curated cases are credited to.
    const users = await db.selectFrom('users').selectAll().where('handle', '!=', EDITORIAL_HANDLE).orderBy('handle').execute()
    expect(users.map((u) => u.handle)).toEqual(DEMO_MEMBERS.map((f) => f.replace(/\.md$/, '')))
    for (const user of users) {
      expect(user.is_demo).toBe(1)
      expect(user.password_hash).toBeNull()
      expect(user.role).toBe('member')
    }
    expect(await verifyLogin(users[0].email, '')).toBeNull()
    const tobias = users.find((u) => u.handle === 'tobias_fenwright')!
    expect(tobias).toMatchObject({
      display_name: 'Tobias Fenwright',
      member_type: 'practitioner',
      government_level: 'local',
      created_at: '2026-03-22T00:00:00.000Z',
    })
  })

  it('a second run changes nothing, down to every column', async () => {
    await seedContent({ includeDemo: true })
    const before = await snapshot()
    expect(await seedContent({ includeDemo: true })).toBe(`${TOTAL} unchanged`)
    expect(await snapshot()).toEqual(before)
  })

  it('after editing one failure mode and one category, exactly those two records are updated', async () => {
    await seedContent({ includeDemo: true })
    const before = await snapshot()

    const dir = copyOfContent()
    const modeFile = join(dir, 'taxonomy/failure-modes/big-bang-scope.md')
    const modeText = readFileSync(modeFile, 'utf8')
    expect(modeText).toContain('name: Big-bang scope\n')
    writeFileSync(modeFile, modeText.replace('name: Big-bang scope\n', 'name: Big-bang scope, revisited\n'))
    const categoryFile = join(dir, 'categories/ai-in-government.md')
    writeFileSync(categoryFile, `${readFileSync(categoryFile, 'utf8').trimEnd()}\n\nAlso: **model cards**.\n`)

    expect(await seedContent({ contentDir: dir, includeDemo: true })).toBe(`2 updated, ${TOTAL - 2} unchanged`)

    const after = await snapshot()
    const changedMode = after.terms.find((t) => t.slug === 'big-bang-scope')!
    const oldMode = before.terms.find((t) => t.slug === 'big-bang-scope')!
    expect(changedMode.id).toBe(oldMode.id)
    expect(changedMode.name).toBe('Big-bang scope, revisited')
    expect(changedMode.source_hash).not.toBe(oldMode.source_hash)
    expect({ ...changedMode, name: oldMode.name, source_hash: oldMode.source_hash }).toEqual(oldMode)

    const changedCategory = after.categories.find((c) => c.slug === 'ai-in-government')!
    const oldCategory = before.categories.find((c) => c.slug === 'ai-in-government')!
    expect(changedCategory.id).toBe(oldCategory.id)
    expect(changedCategory.description_md).toMatch(/Also: \*\*model cards\*\*\.$/)
    expect(changedCategory.description_html).toContain('<strong>model cards</strong>')
    expect(changedCategory.name).toBe(oldCategory.name)
    expect(changedCategory.position).toBe(oldCategory.position)

    expect(after.terms.filter((t) => t.slug !== 'big-bang-scope')).toEqual(
      before.terms.filter((t) => t.slug !== 'big-bang-scope'),
    )
    expect(after.categories.filter((c) => c.slug !== 'ai-in-government')).toEqual(
      before.categories.filter((c) => c.slug !== 'ai-in-government'),
    )
    expect(after.users).toEqual(before.users)

    // Running the edited copy again is a no-op.
    expect(await seedContent({ contentDir: dir, includeDemo: true })).toBe(`${TOTAL} unchanged`)
  })

  it('includeDemo: false removes demo members and leaves real members alone', async () => {
    await seedContent({ includeDemo: true })
    const now = new Date().toISOString()
    await db
      .insertInto('users')
      .values({
        email: 'real@agency.example.gov',
        handle: 'real-member',
        display_name: 'Real Member',
        password_hash: null,
        member_type: 'leader',
        organization: null,
        government_level: 'federal',
        created_at: now,
        updated_at: now,
      })
      .execute()

    const summary = await seedContent({ includeDemo: false })
    expect(summary).toBe(`${TOTAL - DEMO_MEMBERS.length - DEMO_THREADS.length - DEMO_EVENTS.length - DEMO_TEAMS.length} unchanged, ${DEMO_MEMBERS.length} removed`)
    const users = await db.selectFrom('users').select(['handle', 'is_demo']).orderBy('handle').execute()
    expect(users).toEqual([
      { handle: 'real-member', is_demo: 0 },
      { handle: EDITORIAL_HANDLE, is_demo: 0 },
    ])
  })

  it('includeDemo: false on an empty database inserts no demo members', async () => {
    const summary = await seedContent({ includeDemo: false })
    expect(summary).toBe(`${TOTAL - DEMO_MEMBERS.length - DEMO_THREADS.length - DEMO_EVENTS.length - DEMO_TEAMS.length} inserted`)
    expect(await db.selectFrom('users').select('handle').where('is_demo', '=', 1).execute()).toEqual([])
  })

  it('description HTML is sanitized: markup in a content file cannot run script', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'taxonomy/failure-modes'), { recursive: true })
    writeFileSync(
      join(dir, 'taxonomy/failure-modes/hostile.md'),
      [
        '---',
        'name: Hostile',
        'order: 99',
        'warning_signs: ["<img src=x onerror=alert(1)>"]',
        'prevention: ["Review content"]',
        '---',
        'Intro <script>alert(1)</script> and <img src=x onerror="alert(2)"> and [link](javascript:alert(3)).',
        '',
        '<iframe src="https://evil.example"></iframe>',
      ].join('\n'),
    )
    expect(await seedContent({ contentDir: dir, includeDemo: true })).toBe('1 inserted')
    const row = await db.selectFrom('taxonomy_terms').selectAll().where('slug', '=', 'hostile').executeTakeFirstOrThrow()
    expect(row.description_html).toContain('Intro')
    expect(row.description_html).not.toMatch(/<script|<iframe|onerror|javascript:/i)
  })
})

describe('seedContent with invalid content', () => {
  function contentWithCategory(name: string, text: string): string {
    const dir = tempDir()
    mkdirSync(join(dir, 'categories'), { recursive: true })
    writeFileSync(join(dir, 'categories', name), text)
    return dir
  }

  it('a file whose frontmatter breaks the rules throws an error naming the file and the field', async () => {
    const dir = contentWithCategory('broken.md', '---\nname: Broken\norder: first\n---\nBody.\n')
    const error = await seedContent({ contentDir: dir, includeDemo: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(join(dir, 'categories', 'broken.md'))
    expect((error as Error).message).toContain('order')
    expect(await db.selectFrom('categories').selectAll().execute()).toEqual([])
  })

  it('a file whose frontmatter is not even valid YAML throws an error naming the file', async () => {
    const dir = contentWithCategory('unparseable.md', '---\nname: [Unclosed\norder: 1\n---\nBody.\n')
    const error = await seedContent({ contentDir: dir, includeDemo: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('unparseable.md')
  })

  it('a file whose name is not a valid slug throws an error naming the file', async () => {
    const dir = contentWithCategory('Bad Name.md', '---\nname: Bad name\norder: 1\n---\nBody.\n')
    const error = await seedContent({ contentDir: dir, includeDemo: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('Bad Name.md')
  })

  it('a failed seed does not leave a half-seeded database that startup then treats as seeded', async () => {
    const dir = copyOfContent()
    const demoFile = join(dir, 'demo/members', DEMO_MEMBERS[0])
    const good = readFileSync(demoFile, 'utf8')
    writeFileSync(demoFile, good.replace(/^level: .*$/m, 'level: galactic'))

    await expect(seedContent({ contentDir: dir, includeDemo: true })).rejects.toThrow(DEMO_MEMBERS[0])

    // The operator fixes the file and restarts; startup seeds only when isDatabaseSeeded() is false
    // (db/startup.ts). The demo members must end up in the database.
    writeFileSync(demoFile, good)
    if (!(await isDatabaseSeeded())) await seedContent({ contentDir: dir, includeDemo: true })
    const demoCount = await db.selectFrom('users').select('id').where('is_demo', '=', 1).execute()
    expect(demoCount).toHaveLength(DEMO_MEMBERS.length)
  })
})

describe('isDatabaseSeeded', () => {
  it('is false on an empty database and true after seeding', async () => {
    expect(await isDatabaseSeeded()).toBe(false)
    await seedContent({ includeDemo: false })
    expect(await isDatabaseSeeded()).toBe(true)
  })
})
