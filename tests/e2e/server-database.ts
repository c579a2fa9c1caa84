// The end-to-end server's database, opened beside it through the app's own client for specs that
// arrange or read state the site has no page for. playwright.config.ts names it: the SQLite file
// E2E_DATABASE_PATH, or the PostgreSQL database E2E_DATABASE_URL when the suite runs on PostgreSQL.
import { type ServerDatabase, withServerDatabase } from '../helpers/server-database'

/** Runs `work` on the e2e server's database; every write it makes is logged for the page cache. */
export function withE2eDatabase<T>(work: (database: ServerDatabase) => Promise<T>): Promise<T> {
  const databasePath = process.env.E2E_DATABASE_PATH
  if (!databasePath) throw new Error('E2E_DATABASE_PATH is not set; run the tests through playwright.config.ts')
  return withServerDatabase({ databasePath, databaseUrl: process.env.E2E_DATABASE_URL || undefined }, work)
}
