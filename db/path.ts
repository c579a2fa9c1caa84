export const DEFAULT_DATABASE_PATH = './data/sectorpulse.db'

/** The SQLite file this process uses (DATABASE_PATH), and beside which it keeps its secrets. */
export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH
}
