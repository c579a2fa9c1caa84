// The end-to-end server's SQLite file (E2E_DATABASE_PATH), opened beside it the way any other
// program would (WAL allows that), for specs that arrange state the site has no page for.
import Database from 'better-sqlite3'

const CHANGING_STATEMENT = /^\s*(insert|update|delete|replace)\b/i

/**
 * The end-to-end server's SQLite file (E2E_DATABASE_PATH), opened synchronously with
 * better-sqlite3 and closed after `work`. Every write made through it also logs "changed
 * everything" in the page cache's change log, in the same transaction, so the server's page
 * cache retires what it showed before.
 */
export function withServerDatabaseFile<T>(path: string | undefined, work: (sqlite: Database.Database) => T): T {
  if (!path) throw new Error('No database path: E2E_DATABASE_PATH is set by playwright.config.ts')
  const sqlite = new Database(path)
  sqlite.pragma('busy_timeout = 5000')
  const logEverything = sqlite.prepare(`insert into page_changes (tags) values ('*')`)
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source)
    if (!CHANGING_STATEMENT.test(source)) return statement
    const run = statement.run.bind(statement)
    statement.run = ((...parameters: unknown[]) =>
      sqlite.transaction(() => {
        const result = run(...parameters)
        logEverything.run()
        return result
      })()) as typeof statement.run
    return statement
  }) as typeof sqlite.prepare
  try {
    return work(sqlite)
  } finally {
    sqlite.close()
  }
}
