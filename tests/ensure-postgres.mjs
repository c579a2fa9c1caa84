// Makes sure the PostgreSQL the tests run on is there (TEST_POSTGRES_URL, by default the local
// server's `sectorpulse` role): on a machine where PostgreSQL is installed but stopped (as on
// every machine of this project), it starts the cluster and creates the role, as root can.
// Otherwise it fails fast, saying how to provide one.
import { execFileSync } from 'node:child_process'
import pg from 'pg'

const DEFAULT_TEST_POSTGRES_URL = 'postgres://sectorpulse:sectorpulse@127.0.0.1:5432/postgres'
const url = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL

async function connects() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    await client.end()
    return null
  } catch (error) {
    return error
  }
}

const run = (command, args) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString()
const isRoot = process.getuid?.() === 0

let error = await connects()
if (error && isRoot && !process.env.TEST_POSTGRES_URL) {
  try {
    if (error.code === 'ECONNREFUSED') {
      // pg_lsclusters: "15 main 5432 down postgres ..."; start the first cluster found.
      const [version, name] = run('pg_lsclusters', ['--no-header']).trim().split('\n')[0].split(/\s+/)
      console.log(`Starting PostgreSQL ${version}/${name} for the tests...`)
      run('pg_ctlcluster', [version, name, 'start'])
      error = await connects()
    }
    if (error && ['28P01', '28000'].includes(error.code)) {
      console.log('Creating the sectorpulse role for the tests...')
      run('runuser', ['-u', 'postgres', '--', 'psql', '-q', '-c', "create role sectorpulse login password 'sectorpulse' createdb"])
      error = await connects()
    }
  } catch (setupError) {
    error = setupError
  }
}
if (error) {
  console.error(`
The tests run every model and query on PostgreSQL too, and could not reach it at
${url.replace(/:[^:@/]*@/, ':***@')}: ${error.message}
Provide one, then run the tests again:
  - Debian/Ubuntu, as root: apt-get install -y postgresql && pg_ctlcluster 15 main start
    (this script then creates the role itself)
  - or set TEST_POSTGRES_URL to a role that may create databases, e.g.
    postgres://me:secret@db.example:5432/postgres
`)
  process.exit(1)
}
