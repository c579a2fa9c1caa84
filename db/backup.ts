// `npm run db:backup -- PATH`: a consistent copy of DATABASE_PATH, taken while the server runs.
import { existsSync, renameSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { databasePath } from './path'

/**
 * Copies the live database with SQLite's online backup API, in one step: the copy is the
 * database as of one moment, every write committed before it and none after, while the server
 * keeps writing (WAL readers never block the writer). The copy is written beside the
 * destination and renamed into place once it passes integrity_check, so a failed or
 * interrupted backup never leaves a file that looks complete.
 */
export async function backupDatabase(source: string, destination: string): Promise<{ pages: number }> {
  if (resolve(source) === resolve(destination)) throw new Error('The backup must go to another file than the database itself.')
  const partial = `${destination}.partial`
  rmSync(partial, { force: true })
  const live = new BetterSqlite3(source, { fileMustExist: true })
  live.pragma('busy_timeout = 5000')
  try {
    // A step smaller than the whole file would let a write in between restart the copy.
    const { totalPages } = await live.backup(partial, { progress: () => 0x7fffffff })
    const copy = new BetterSqlite3(partial)
    try {
      // One self-contained file: no -wal beside it to forget when it is moved.
      copy.pragma('journal_mode = DELETE')
      const integrity = copy.pragma('integrity_check', { simple: true })
      if (integrity !== 'ok') throw new Error(`The copy failed integrity_check: ${String(integrity)}`)
    } finally {
      copy.close()
    }
    renameSync(partial, destination)
    return { pages: totalPages }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  } finally {
    live.close()
  }
}

const destination = process.argv[2]
if (!destination) {
  console.error('Usage: npm run db:backup -- PATH   (copies DATABASE_PATH to PATH while the server runs)')
  process.exit(2)
}
if (!existsSync(databasePath())) {
  console.error(`There is no database at ${databasePath()} to back up.`)
  process.exit(1)
}
const { pages } = await backupDatabase(databasePath(), destination)
console.log(`Backed up ${databasePath()} to ${destination} (${pages} pages, integrity_check ok).`)
