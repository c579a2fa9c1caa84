// The curated library as the seed loads it: every file in content/cases becomes a published case
// credited to the editorial account, searchable and counted in its themes; a second seed changes
// nothing.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { DEFAULT_CONTENT_DIR, seedContent } from '../../db/seed'
import { browseCases } from '../../app/models/case-browse.server'
import { getCase } from '../../app/models/case-reading.server'
import { listThemes } from '../../app/models/case-themes.server'

const FILES = readdirSync(join(DEFAULT_CONTENT_DIR, 'cases'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => name.slice(0, -3))
  .sort()

beforeAll(async () => {
  await seedContent({ includeDemo: false })
})

const allFilters = { q: '', mode: [], phase: [], level: [], domain: [], outcome: [], sort: 'newest' as const, page: 1 }

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

  it('each have one primary failure mode, at least one phase, and are in the search index', async () => {
    for (const slug of FILES) {
      const detail = await getCase(slug, null)
      expect(detail?.primaryMode, slug).not.toBeNull()
      expect(detail!.phases.length, slug).toBeGreaterThan(0)
      const indexed = await db.selectFrom('cases_fts').select('rowid').where('rowid', '=', detail!.id).executeTakeFirst()
      expect(indexed, slug).toBeDefined()
    }
    const primaries = await db.selectFrom('case_failure_modes').select(db.fn.countAll<number>().as('n')).where('is_primary', '=', 1).executeTakeFirstOrThrow()
    expect(Number(primaries.n)).toBe(25)
  })

  it('are counted in the themes: primary counts add up to the number of cases', async () => {
    const themes = await listThemes()
    expect(themes.reduce((sum, t) => sum + t.primaryCount, 0)).toBe(25)
    const modeRows = await db.selectFrom('case_failure_modes').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(themes.reduce((sum, t) => sum + t.caseCount, 0)).toBe(Number(modeRows.n))
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
