// The one test-database helper: every test file gets its own freshly migrated SQLite file,
// set before any module opens the database.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), 'sectorpulse-test-')), 'test.db')

const { migrateToLatest } = await import('../../db/client')
await migrateToLatest()
