// Migration 0009 gives every published case the anonymous label it showed before the upgrade,
// from its author's profile at that moment; drafts get none (theirs is fixed at publication).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Migrator } from 'kysely/migration'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { migrations } from '../../db/migrations/index'

const path = join(mkdtempSync(join(tmpdir(), 'sectorpulse-0009-')), 'upgrade.db')
const database = openDatabase(path)
afterAll(() => database.destroy())

/** A row with every required column filled, the given ones as given. */
function insert(raw: Database.Database, table: string, values: Record<string, unknown>): number {
  const columns = raw.prepare(`pragma table_info(${table})`).all() as { name: string; notnull: number; dflt_value: unknown; pk: number }[]
  const row: Record<string, unknown> = {}
  for (const column of columns) if (column.notnull && column.dflt_value === null && !column.pk) row[column.name] = ''
  Object.assign(row, values)
  const names = Object.keys(row)
  return Number(raw.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`).run(...Object.values(row)).lastInsertRowid)
}

describe('migration 0009-case-anonymous-label', () => {
  it('backfills the label of published cases from their authors as they are now', async () => {
    const migrator = new Migrator({ db: database, provider: { getMigrations: async () => migrations } })
    const before = await migrator.migrateTo('0006-search-and-readiness')
    expect(before.error).toBeUndefined()

    const raw = new Database(path)
    const author = (handle: string, member_type: string, government_level: string) =>
      insert(raw, 'users', { email: `${handle}@x.example`, handle, display_name: handle, member_type, government_level, role: 'member' })
    const tribalLeader = author('tribal-leader', 'leader', 'tribal')
    const outsider = author('outsider', 'partner', 'not-government')
    const published = insert(raw, 'cases', { slug: 'published-one', status: 'published', author_id: tribalLeader, is_anonymous: 1 })
    const publishedOpen = insert(raw, 'cases', { slug: 'published-two', status: 'published', author_id: outsider, is_anonymous: 0 })
    const draft = insert(raw, 'cases', { slug: 'draft-one', status: 'draft', author_id: tribalLeader, is_anonymous: 1 })
    raw.close()

    const after = await migrator.migrateToLatest()
    expect(after.error).toBeUndefined()
    const labels = await database.selectFrom('cases').select(['id', 'anonymous_label']).orderBy('id').execute()
    expect(labels).toEqual([
      { id: published, anonymous_label: 'Anonymous tribal leader' },
      { id: publishedOpen, anonymous_label: 'Anonymous non-government partner' },
      { id: draft, anonymous_label: null },
    ])
  })
})
