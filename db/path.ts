// Apart from client.ts, which opens the database on import: tools that must not create a
// missing file (the backup) read the path from here.
export const DEFAULT_DATABASE_PATH = './data/sectorpulse.db'

/** The SQLite file this process uses (DATABASE_PATH), and beside which it keeps its secrets. */
export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH
}

/** The PostgreSQL database this process uses instead of the SQLite file, when DATABASE_URL names one. */
export function postgresUrl(): string | null {
  const url = process.env.DATABASE_URL
  if (!url) return null
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// address; leave it unset to use the SQLite file (DATABASE_PATH).')
  return url
}

export type DialectName = 'sqlite' | 'postgres'

/** Where the database is, for messages: the SQLite file, or the PostgreSQL address without its password. */
export function databaseLocation(): string {
  const url = postgresUrl()
  if (!url) return databasePath()
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
