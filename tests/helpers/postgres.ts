// PostgreSQL for the tests: with TEST_POSTGRES_URL set (an address whose role may create
// databases, e.g. postgres://sectorpulse:sectorpulse@127.0.0.1:5432/postgres), every test
// file and every server the tests start gets a database of its own, copied from a migrated
// template (a copy takes a fraction of a second; migrating takes seconds). Each run's databases
// carry the run's process id, so runs side by side leave each other alone.
import pg from 'pg'

const PREFIX = 'sectorpulse_test_'

/** The administrative address the suite runs PostgreSQL from, or null to run on SQLite. */
export const testPostgresUrl = (): string | null => process.env.TEST_POSTGRES_URL || null

// Set by the run's global setup, inherited by the workers it starts.
const run = () => process.env.SECTORPULSE_TEST_RUN ?? String(process.pid)
const templateName = () => `${PREFIX}${run()}_template`

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

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Drops the databases of this run, or of every run no longer running. */
async function dropDatabases(which: 'this run' | 'ended runs'): Promise<void> {
  await administer(async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${PREFIX}%`])
    for (const { datname } of rows) {
      const pid = Number(/^sectorpulse_test_(\d+)_/.exec(datname)?.[1])
      const drop = which === 'this run' ? String(pid) === run() : !pid || !isRunning(pid)
      if (drop) await client.query(`drop database if exists "${datname}" with (force)`)
    }
  })
}

/** Makes this run's migrated template, after dropping what ended runs left. Once per run, before any test. */
export async function prepareTestTemplate(migrate: (url: string) => Promise<void>): Promise<void> {
  process.env.SECTORPULSE_TEST_RUN = String(process.pid)
  await dropDatabases('ended runs')
  await administer((client) => client.query(`create database "${templateName()}"`))
  await migrate(urlOf(templateName()))
}

/** Drops this run's databases. Once per run, after every test. */
export const dropTestDatabases = () => dropDatabases('this run')

let made = 0

/** A new database copied from the template; returns its address. */
export async function createTestDatabase(): Promise<string> {
  const name = `${PREFIX}${run()}_${process.pid}_${++made}`
  await administer((client) => client.query(`create database "${name}" template "${templateName()}"`))
  return urlOf(name)
}
