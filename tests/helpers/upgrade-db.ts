// For migration tests: a database file migrated only up to a given point, filled with rows as
// an older version wrote them, then migrated to the latest.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Migrator } from 'kysely/migration'
import { openDatabase } from '../../db/client'
import { migrations } from '../../db/migrations/index'

export function upgradeDatabase(name: string) {
  const path = join(mkdtempSync(join(tmpdir(), `sectorpulse-${name}-`)), 'upgrade.db')
  const database = openDatabase(path)
  const migrator = new Migrator({ db: database, provider: { getMigrations: async () => migrations } })
  return { path, database, migrator }
}

/** A row with every required column filled, the given ones as given; its id. */
export function insertRow(raw: Database.Database, table: string, values: Record<string, unknown>): number {
  const columns = raw.prepare(`pragma table_info(${table})`).all() as { name: string; notnull: number; dflt_value: unknown; pk: number }[]
  const row: Record<string, unknown> = {}
  for (const column of columns) if (column.notnull && column.dflt_value === null && !column.pk) row[column.name] = ''
  Object.assign(row, values)
  const names = Object.keys(row)
  return Number(raw.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`).run(...Object.values(row)).lastInsertRowid)
}
