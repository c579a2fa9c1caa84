// The running server's database, opened beside it through the app's own client, for tests that
// arrange or inspect state the site has no page for: its SQLite file (WAL allows that), or its
// PostgreSQL database.
import type { Kysely, RawBuilder } from 'kysely'
import { openDatabase } from '../../db/client'
import type { Database } from '../../db/schema'

export type ServerKysely = Kysely<Database>

/** Where a server keeps its data: the SQLite file, unless it runs on the PostgreSQL database `databaseUrl`. */
export interface DatabaseAddress {
  databasePath: string
  databaseUrl?: string
}

/**
 * Opens the server's database. Every write made through it is logged in the page cache's change
 * log, as the README asks of any program that edits a live database: writeTransaction logs its
 * commit, and the client logs a write made outside one. Without this a test's own edit could
 * race another test's reply and the server keep answering with a page from before.
 */
export function openServerDatabase({ databasePath, databaseUrl }: DatabaseAddress) {
  const kysely: ServerKysely = databaseUrl ? openDatabase(undefined, databaseUrl) : openDatabase(databasePath, null)
  return {
    kysely,
    /** The first row of a raw query, if any. */
    one: async <T = unknown>(query: RawBuilder<unknown>) => (await query.execute(kysely)).rows[0] as T | undefined,
    all: async <T = unknown>(query: RawBuilder<unknown>) => (await query.execute(kysely)).rows as T[],
    run: (query: RawBuilder<unknown>) => query.execute(kysely),
    close: () => kysely.destroy(),
  }
}

export type ServerDatabase = ReturnType<typeof openServerDatabase>

/** Runs `work` on the server's database and closes it. */
export async function withServerDatabase<T>(address: DatabaseAddress, work: (database: ServerDatabase) => Promise<T>): Promise<T> {
  const database = openServerDatabase(address)
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}
