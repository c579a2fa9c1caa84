// PostgreSQL for the tests: with TEST_POSTGRES_URL set (an address whose role may create
// databases, e.g. postgres://sectorpulse:sectorpulse@127.0.0.1:5432/postgres), every test
// file and every server the tests start gets a database of its own, copied from a migrated
// template (a copy takes a fraction of a second; migrating takes seconds).
import pg from 'pg'

const TEMPLATE = 'sectorpulse_test_template'
const PREFIX = 'sectorpulse_test_'

/** The administrative address the suite runs PostgreSQL from, or null to run on SQLite. */
export const testPostgresUrl = (): string | null => process.env.TEST_POSTGRES_URL || null

function urlOf(database: string): string {
  const url = new URL(testPostgresUrl()!)
  url.pathname = `/${database}`
  return url.toString()
}

async function administer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl()! })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Drops what earlier runs left and makes the migrated template. Once per run, before any test. */
export async function prepareTestTemplate(migrate: (url: string) => Promise<void>): Promise<void> {
  await administer(async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${PREFIX}%`])
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`)
    await client.query(`create database "${TEMPLATE}"`)
  })
  await migrate(urlOf(TEMPLATE))
}

let made = 0

/** A new database copied from the template; returns its address. */
export async function createTestDatabase(): Promise<string> {
  const name = `${PREFIX}${process.pid}_${Date.now().toString(36)}_${++made}`
  await administer((client) => client.query(`create database "${name}" template "${TEMPLATE}"`))
  return urlOf(name)
}
