// Migration 0009 gives every published case the anonymous label it showed before the upgrade,
// from its author's profile at that moment; drafts get none (theirs is fixed at publication).
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { insertRow as insert, upgradeDatabase } from '../helpers/upgrade-db'

const { path, database, migrator } = upgradeDatabase('0009')
afterAll(() => database.destroy())

describe('migration 0009-case-anonymous-label', () => {
  it('backfills the label of published cases from their authors as they are now', async () => {
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
