// The one test-database helper: every test file gets its own freshly migrated database, set
// before any module opens it: a SQLite file, or with TEST_POSTGRES_URL a PostgreSQL database.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, testPostgresUrl } from './postgres'

process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), 'sectorpulse-test-')), 'test.db')
if (testPostgresUrl()) process.env.DATABASE_URL = await createTestDatabase()

const { migrateToLatest } = await import('../../db/client')
await migrateToLatest()
