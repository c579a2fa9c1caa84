// The Playwright suite again, on PostgreSQL: the end-to-end server gets an empty database of its
// own (it migrates and seeds it, as it does a fresh SQLite file), dropped once Playwright and
// the server have stopped. Arguments go on to `playwright test`. The database is named like the
// vitest suite's (tests/helpers/postgres.ts), so a run that was killed is cleaned up by the next.
import { spawnSync } from 'node:child_process'
import pg from 'pg'

const adminUrl = process.env.TEST_POSTGRES_URL || 'postgres://sectorpulse:sectorpulse@127.0.0.1:5432/postgres'
const name = `sectorpulse_test_${process.pid}_e2e`

async function administer(statement) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

const databaseUrl = new URL(adminUrl)
databaseUrl.pathname = `/${name}`

await administer(`create database "${name}"`)
let status = 1
try {
  const playwright = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, E2E_DATABASE_URL: databaseUrl.toString() },
  })
  status = playwright.status ?? 1
} finally {
  await administer(`drop database if exists "${name}" with (force)`)
}
process.exit(status)
