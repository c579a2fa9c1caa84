// Apart from client.ts, which opens the database on import: tools that must not create a
// missing file (the backup) read the path from here.
export const DEFAULT_DATABASE_PATH = './data/sectorpulse.db'

/** The SQLite file this process uses (DATABASE_PATH), and beside which it keeps its secrets. */
export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH
}
