// `npm run db:copy` moves a community from its SQLite file to an empty PostgreSQL database and
// proves the copy; run against a real seeded file and a real PostgreSQL database.
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client'
import { createTestDatabase } from '../helpers/postgres'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const sqliteEnv = () => {
  const env = { ...process.env }
  delete env.DATABASE_URL
  return env
}
const copy = (from: string, to: string) =>
  run(process.execPath, ['--import', 'tsx', 'db/copy.ts', '--from', `sqlite:${from}`, '--to', to], { cwd: ROOT, env: sqliteEnv() }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  )

const TABLES = ['users', 'threads', 'posts', 'cases', 'cases_fts', 'case_failure_modes', 'events', 'rsvps', 'notifications', 'team_answers'] as const

async function counts(database: ReturnType<typeof openDatabase>) {
  const result: Record<string, number> = {}
  for (const table of TABLES) result[table] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database)).rows[0].n)
  return result
}

let sqlitePath = ''
let target = ''

beforeAll(async () => {
  sqlitePath = join(mkdtempSync(join(tmpdir(), 'sectorpulse-copy-')), 'community.db')
  // A community as `npm start` leaves it: content, demo members, their threads, RSVPs and a team.
  await run(process.execPath, ['--import', 'tsx', 'db/seed.ts'], { cwd: ROOT, env: { ...sqliteEnv(), DATABASE_PATH: sqlitePath } })
  target = await createTestDatabase()
}, 120_000)

describe('npm run db:copy', () => {
  it('copies every table, counted and read back identical, into a database the app then reads the same', async () => {
    const { code, output } = await copy(sqlitePath, target)
    expect(code, output).toBe(0)
    expect(output).toMatch(/Copied \d+ rows in \d+ tables .* every table counted and read back the same on both sides/)

    const source = openDatabase(sqlitePath, null)
    const copied = openDatabase(undefined, target)
    try {
      const expected = await counts(source)
      expect(expected.posts).toBeGreaterThan(0)
      expect(expected.cases_fts).toBeGreaterThan(0)
      expect(await counts(copied)).toEqual(expected)
      // The words of the copied cases are searchable, stemmed, as on SQLite.
      const { rows } = await sql<{ n: number }>`select count(*) as n from cases_fts where search @@ to_tsquery('english', 'vendors')`.execute(copied)
      expect(Number(rows[0].n)).toBeGreaterThan(0)
      // New rows are numbered after the copied ones.
      const before = (await sql<{ id: number }>`select max(id) as id from moderation_log`.execute(copied)).rows[0].id ?? 0
      const { id } = await copied
        .insertInto('moderation_log')
        .values({ action: 'copy-check', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
      expect(id).toBeGreaterThan(before)
    } finally {
      await Promise.all([source.destroy(), copied.destroy()])
    }
  }, 120_000)

  it('refuses a database that already holds a community, and changes nothing in it', async () => {
    const copied = openDatabase(undefined, target)
    try {
      const before = await counts(copied)
      const { code, output } = await copy(sqlitePath, target)
      expect(code).toBe(1)
      expect(output).toMatch(/already holds rows .*users.*db:copy fills an empty one/)
      expect(await counts(copied)).toEqual(before)
    } finally {
      await copied.destroy()
    }
  }, 60_000)

  it('refuses a missing SQLite file and a wrong address, saying how to call it', async () => {
    expect(await copy(join(tmpdir(), 'no-such-community.db'), target)).toMatchObject({ code: 1, output: expect.stringMatching(/There is no SQLite database at/) })
    const wrong = await run(process.execPath, ['--import', 'tsx', 'db/copy.ts', '--from', sqlitePath], { cwd: ROOT, env: sqliteEnv() }).catch((error) => error)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/Usage: npm run db:copy -- --from sqlite:PATH --to postgres:/)
  })
})
