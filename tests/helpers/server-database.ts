// The running server's SQLite file, opened beside it the way any other program would (WAL allows
// that), for tests that arrange or inspect state the site has no page for.
import Database from 'better-sqlite3'

const CHANGING_STATEMENT = /^\s*(insert|update|delete|replace)\b/i

/**
 * Opens the server's database file. Every write made through it also logs "changed everything" in
 * the page cache's change log, in the same transaction, as the README asks of any program that
 * edits a live database: the server's page cache learns what changed from that log, and a commit
 * that logs nothing is noticed only when no logged commit lands beside it. Without this a test's
 * own edit could race another test's reply and the server keep answering with a page from before.
 */
export function openServerDatabaseFile(path: string, { busyTimeoutMs = 5_000 } = {}): Database.Database {
  const sqlite = new Database(path)
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`)
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
  return sqlite
}

/** Runs `work` on the server's database file and closes it. */
export function withServerDatabaseFile<T>(path: string | undefined, work: (sqlite: Database.Database) => T): T {
  if (!path) throw new Error('No database path: E2E_DATABASE_PATH is set by playwright.config.ts')
  const sqlite = openServerDatabaseFile(path)
  try {
    return work(sqlite)
  } finally {
    sqlite.close()
  }
}
