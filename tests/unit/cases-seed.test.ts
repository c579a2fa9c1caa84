// The curated library as the seed loads it: every file in content/cases becomes a published case
// credited to the editorial account, searchable and counted in its themes; a second seed changes
// nothing.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { DEFAULT_CONTENT_DIR, seedContent } from '../../db/seed'
import { browseCases } from '../../app/models/case-browse.server'
import { getCase } from '../../app/models/case-reading.server'
import { getTheme, listThemes } from '../../app/models/case-themes.server'
import { getInsights } from '../../app/models/insights.server'

const FILES = readdirSync(join(DEFAULT_CONTENT_DIR, 'cases'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => name.slice(0, -3))
  .sort()

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

const allFilters = { q: '', mode: [], avoided: [], phase: [], level: [], domain: [], outcome: [], sort: 'newest' as const, page: 1 }

describe('the curated cases', () => {
  it('are the 25 files of content/cases, published under their file names', async () => {
    expect(FILES).toHaveLength(25)
    const rows = await db.selectFrom('cases').select(['slug', 'status', 'source_key', 'is_anonymous']).orderBy('slug').execute()
    expect(rows.map((r) => r.slug)).toEqual(FILES)
    for (const row of rows) {
      expect(row, row.slug).toMatchObject({ status: 'published', source_key: `cases/${row.slug}`, is_anonymous: 0 })
    }
    expect((await browseCases(allFilters)).total).toBe(25)
  })

  it('are credited to the editorial account, which cannot sign in', async () => {
    const authors = await db
      .selectFrom('cases')
      .innerJoin('users', 'users.id', 'cases.author_id')
      .select(['users.handle', 'users.display_name', 'users.password_hash', 'users.role'])
      .distinct()
      .execute()
    expect(authors).toEqual([{ handle: 'sectorpulse-editors', display_name: 'SectorPulse editorial team', password_hash: null, role: 'member' }])
    expect((await getCase(FILES[0], null))?.author).toEqual({
      anonymous: false,
      handle: 'sectorpulse-editors',
      displayName: 'SectorPulse editorial team',
    })
  })

  it('each have a primary failure mode (or, for a success, the modes it avoided), at least one phase, and are in the search index', async () => {
    for (const slug of FILES) {
      const detail = await getCase(slug, null)
      expect(!!detail?.primaryMode || detail!.avoidedModes.length > 0, slug).toBe(true)
      expect(detail!.phases.length, slug).toBeGreaterThan(0)
      const indexed = await db.selectFrom('cases_fts').select('rowid').where('rowid', '=', detail!.id).executeTakeFirst()
      expect(indexed, slug).toBeDefined()
    }
    const primaries = await db.selectFrom('case_failure_modes').select(db.fn.countAll<number>().as('n')).where('is_primary', '=', 1).executeTakeFirstOrThrow()
    // GOV.UK was hurt by none of the modes it names.
    expect(Number(primaries.n)).toBe(24)
  })

  it('are counted in the themes: primary counts add up to the number of cases', async () => {
    const themes = await listThemes()
    expect(themes.reduce((sum, t) => sum + t.primaryCount, 0)).toBe(24)
    const hurtRows = await db.selectFrom('case_failure_modes').select(db.fn.countAll<number>().as('n')).where('avoided', '=', 0).executeTakeFirstOrThrow()
    expect(themes.reduce((sum, t) => sum + t.caseCount, 0)).toBe(Number(hurtRows.n))
    // The browse's mode counts agree with the themes.
    const counts = (await browseCases(allFilters)).counts.mode
    for (const theme of themes) expect(counts[theme.slug] ?? 0, theme.slug).toBe(theme.caseCount)
  })

  it('are left as they are by a second seed (no revisions, no duplicates)', async () => {
    const before = await db.selectFrom('cases').selectAll().orderBy('id').execute()
    await seedContent({ includeDemo: false })
    expect(await db.selectFrom('cases').selectAll().orderBy('id').execute()).toEqual(before)
    expect(await db.selectFrom('case_revisions').selectAll().execute()).toEqual([])
  })
})

describe('successes are not failures', () => {
  it('GOV.UK counts as avoiding a big-bang scope, not as hurt by it; X-Road as avoiding legacy integration trouble', async () => {
    const govuk = await getCase('uk-gov-uk-single-government-website', null)
    expect(govuk?.primaryMode).toBeNull()
    expect(govuk?.contributingModes).toEqual([])
    expect(govuk?.avoidedModes.map((m) => m.slug)).toContain('big-bang-scope')
    const xroad = await getCase('estonia-x-road-data-exchange', null)
    expect(xroad?.avoidedModes.map((m) => m.slug)).toEqual(['legacy-integration'])
    expect([xroad?.primaryMode?.slug, ...xroad!.contributingModes.map((m) => m.slug)]).not.toContain('legacy-integration')

    const bigBang = await getTheme('big-bang-scope')
    expect(bigBang?.cases.map((c) => c.slug)).not.toContain('uk-gov-uk-single-government-website')
    expect(bigBang?.avoidedBy.map((c) => c.slug)).toContain('uk-gov-uk-single-government-website')
    const themes = await listThemes()
    const theme = themes.find((t) => t.slug === 'big-bang-scope')!
    expect(theme.caseCount).toBe(bigBang!.cases.length)
    expect(theme.avoidedCount).toBe(bigBang!.avoidedBy.length)
    // The library's "hurt by" facet and /insights agree with the theme; the "avoided" facet lists GOV.UK.
    expect((await browseCases({ ...allFilters, mode: ['big-bang-scope'] })).total).toBe(theme.caseCount)
    const avoided = await browseCases({ ...allFilters, avoided: ['big-bang-scope'] })
    expect(avoided.cases.map((c) => c.slug)).toContain('uk-gov-uk-single-government-website')
    const insights = await getInsights({ level: null, domain: null, outcome: null })
    expect(insights.modeTotals['big-bang-scope']).toBe(theme.caseCount)
    expect(insights.avoidedTotals['big-bang-scope']).toBe(theme.avoidedCount)
    expect(insights.modeTotals['legacy-integration']).toBe((await getTheme('legacy-integration'))!.cases.length)
  })

  it('every curated case that succeeded or recovered records the failure modes it avoided or overcame, and how', async () => {
    const successes: string[] = []
    for (const slug of FILES) {
      const detail = (await getCase(slug, null))!
      if (detail.outcome.slug !== 'succeeded' && detail.outcome.slug !== 'recovered') continue
      successes.push(slug)
      expect(detail.avoidedModes.length, slug).toBeGreaterThan(0)
      for (const mode of detail.avoidedModes) expect(mode.how.length, `${slug}: ${mode.slug}`).toBeGreaterThan(0)
    }
    // GOV.UK and X-Road succeeded; the Census, HealthCare.gov, LAUSD, Novopay and Sentinel recovered.
    expect(successes).toHaveLength(7)
  })

  it('every curated case cites at least two sources from different publishers, each with a title and a publisher, and any address is https', async () => {
    for (const slug of FILES) {
      const detail = (await getCase(slug, null))!
      expect(new Set(detail.sources.map((s) => s.publisher)).size, slug).toBeGreaterThanOrEqual(2)
      for (const source of detail.sources) {
        expect(source.title.length, slug).toBeGreaterThan(0)
        expect(source.publisher.length, slug).toBeGreaterThan(0)
        if (source.url) expect(source.url, slug).toMatch(/^https:\/\//)
      }
    }
  })
})

describe('a curated case file that breaks a rule', () => {
  function libraryWith(name: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'sectorpulse-cases-'))
    tempDirs.push(dir)
    cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true })
    const file = join(dir, 'cases', name)
    writeFileSync(file, edit(readFileSync(file, 'utf8')))
    return file
  }
  const tempDirs: string[] = []
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  })
  const seedFrom = (file: string) =>
    seedContent({ contentDir: join(file, '..', '..'), includeDemo: false }).then(
      () => new Error('the seed accepted it'),
      (e: unknown) => e as Error,
    )

  it('is refused, naming the file, when a source has no title', async () => {
    const file = libraryWith('nyc-citytime-payroll.md', (text) => text.replace(/(sources:\n\s+- )title: "[^"]*"\n\s+/, '$1'))
    const error = await seedFrom(file)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(file)
    expect(error.message).toContain('sources.0.title')
  })

  it('is refused, naming the file, when a source date or address is not one', async () => {
    const file = libraryWith('fbi-virtual-case-file.md', (text) =>
      text.replace(/\n {4}date: [^\n]*/, '\n    date: "last spring"\n    url: "ftp://example.org/report"'),
    )
    const error = await seedFrom(file)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(file)
    expect(error.message).toContain('sources.0.date')
    expect(error.message).toContain('sources.0.url')
  })

  it('is refused, naming the file, when it recovered but records no failure mode it avoided or overcame', async () => {
    const file = libraryWith('fbi-sentinel-case-management.md', (text) => text.replace(/avoided_failure_modes:\n(?: {2}[^\n]*\n)+/, ''))
    const error = await seedFrom(file)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(file)
    expect(error.message).toContain('avoided_failure_modes')
  })

  it('is refused, naming the file, for a field a citation does not have (a typo is not silently dropped)', async () => {
    const file = libraryWith('fbi-virtual-case-file.md', (text) => text.replace(/(sources:\n\s+- title: "[^"]*"\n)/, '$1    reference: "Report 1"\n'))
    const error = await seedFrom(file)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(file)
    expect(error.message).toContain('reference')
  })
})
