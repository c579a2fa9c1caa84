// `npm run db:copy -- --from sqlite:PATH --to postgres://...`: moves a community from the SQLite
// file to an empty PostgreSQL database, then proves the copy by the rows of every table.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

/** Bookkeeping that is not the community's: migrations' own tables and the page caches' log. */
const NOT_COPIED = new Set(['kysely_migration', 'kysely_migration_lock', 'page_changes', 'page_change_counter'])
const BATCH_ROWS = 500

export interface CopyReport {
  tables: { table: string; rows: number }[]
}

/**
 * Copies every table of the SQLite file at `from` into the PostgreSQL database at `to`, which
 * is migrated first and must hold no community yet. The copy runs in one transaction: a failure
 * leaves the target as empty as it was. Then each table is counted and read back on both sides,
 * row by row in key order, and compared by digest; any difference throws.
 */
export async function copySqliteToPostgres(from: string, to: string): Promise<CopyReport> {
  if (!existsSync(from)) throw new Error(`There is no SQLite database at ${from}.`)
  const { migrateToLatest, openDatabase } = await import('./client')
  const source = openDatabase(from, null)
  const target = openDatabase(undefined, to)
  try {
    const sourceMigrations = await appliedMigrations(source)
    await migrateToLatest(target)
    const targetMigrations = await appliedMigrations(target)
    if (sourceMigrations.join() !== targetMigrations.join()) {
      throw new Error(`${from} is at an older schema than this version of SectorPulse: run npm run db:migrate on it (DATABASE_PATH=${from}) first.`)
    }
    const tables = await tablesInDependencyOrder(target)
    const nonEmpty = []
    for (const { table } of tables) if (await countRows(target, table)) nonEmpty.push(table)
    if (nonEmpty.length) throw new Error(`The PostgreSQL database already holds rows (${nonEmpty.join(', ')}); db:copy fills an empty one.`)

    await target.transaction().execute(async (trx) => {
      for (const shape of tables) {
        const { table, columns } = shape
        await forEachBatch(source, shape, async (rows) => {
          await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(
            rows.map((row) => sql`(${sql.join(columns.map((c) => row[c]))})`),
          )}`.execute(trx)
        })
      }
      // Identity columns go on after the largest id copied.
      for (const { table, identity } of tables) {
        if (!identity) continue
        await sql`select setval(pg_get_serial_sequence(${table}, ${identity}), coalesce((select max(${sql.ref(identity)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx)
      }
    })

    // The planner's statistics, as after any bulk load.
    await sql`analyze`.execute(target)

    const report: CopyReport = { tables: [] }
    for (const shape of tables) {
      const { table } = shape
      const [expected, copied] = await Promise.all([countRows(source, table), countRows(target, table)])
      if (expected !== copied) throw new Error(`${table}: ${expected} rows in the SQLite file, ${copied} copied.`)
      const [before, after] = await Promise.all([digestOf(source, shape), digestOf(target, shape)])
      if (before !== after) throw new Error(`${table}: the copied rows read back differently from the SQLite file.`)
      report.tables.push({ table, rows: copied })
    }
    return report
  } finally {
    await Promise.all([source.destroy(), target.destroy()])
  }
}

interface TableShape {
  table: string
  columns: string[]
  /** The columns rows are read in order of: the primary key. */
  key: string[]
  /** The column PostgreSQL numbers new rows in, if any. */
  identity: string | null
}

/** The target's tables, each after every table it references, with its columns and primary key. */
async function tablesInDependencyOrder(target: Kysely<Database>): Promise<TableShape[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string; is_identity: string }>`
    select table_name, column_name, is_identity from information_schema.columns
    where table_schema = current_schema() and is_generated = 'NEVER'
    order by table_name, ordinal_position`.execute(target)
  const { rows: keys } = await sql<{ table_name: string; column_name: string }>`
    select c.relname as table_name, a.attname as column_name
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where i.indisprimary and c.relnamespace = current_schema()::regnamespace
    order by c.relname, array_position(i.indkey, a.attnum)`.execute(target)
  const { rows: references } = await sql<{ table_name: string; referenced: string }>`
    select c.relname as table_name, r.relname as referenced
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
    where k.contype = 'f' and c.relnamespace = current_schema()::regnamespace`.execute(target)

  const shapes = new Map<string, TableShape>()
  for (const { table_name, column_name, is_identity } of columns) {
    if (NOT_COPIED.has(table_name)) continue
    const shape = shapes.get(table_name) ?? { table: table_name, columns: [], key: [], identity: null }
    shape.columns.push(column_name)
    if (is_identity === 'YES') shape.identity = column_name
    shapes.set(table_name, shape)
  }
  for (const { table_name, column_name } of keys) shapes.get(table_name)?.key.push(column_name)
  for (const shape of shapes.values()) if (!shape.key.length) shape.key = shape.columns

  const ordered: TableShape[] = []
  const placed = new Set<string>()
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table) || !shapes.has(table)) return
    path.add(table)
    for (const { table_name, referenced } of references) if (table_name === table && referenced !== table) visit(referenced, path)
    placed.add(table)
    ordered.push(shapes.get(table)!)
  }
  for (const table of [...shapes.keys()].sort()) visit(table, new Set())
  return ordered
}

const appliedMigrations = async (database: Kysely<Database>) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database)).rows.map((row) => row.name)

const countRows = async (database: Kysely<Database>, table: string) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database)).rows[0].n)

/** Up to `limit` rows after the row `after` (by key; from the first when null), in key order. */
async function readRows(database: Kysely<Database>, table: string, columns: string[], key: string[], after: Record<string, unknown> | null, limit: number) {
  const keyColumns = sql.join(key.map((c) => sql.ref(c)))
  const { rows } = await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}
    ${after ? sql`where (${keyColumns}) > (${sql.join(key.map((c) => after[c]))})` : sql``}
    order by ${keyColumns} limit ${limit}`.execute(database)
  return rows
}

/** Calls `each` with every row of `table`, a batch at a time, in key order. */
async function forEachBatch(database: Kysely<Database>, { table, columns, key }: TableShape, each: (rows: Record<string, unknown>[]) => Promise<void> | void) {
  for (let after: Record<string, unknown> | null = null; ; ) {
    const rows = await readRows(database, table, columns, key, after, BATCH_ROWS)
    if (!rows.length) return
    await each(rows)
    after = rows.at(-1)!
  }
}

/** A digest of every row of `table`, read in key order, values as the app reads them. */
async function digestOf(database: Kysely<Database>, shape: TableShape): Promise<string> {
  const hash = createHash('sha256')
  await forEachBatch(database, shape, (rows) => {
    for (const row of rows) hash.update(JSON.stringify(shape.columns.map((c) => row[c])) + '\n')
  })
  return hash.digest('hex')
}

function parseArguments(args: string[]): { from: string; to: string } {
  const value = (name: string) => {
    const at = args.indexOf(name)
    return at >= 0 ? args[at + 1] : undefined
  }
  const from = value('--from')
  const to = value('--to')
  if (!from?.startsWith('sqlite:') || !to || !/^postgres(ql)?:\/\//.test(to)) {
    throw new Error('Usage: npm run db:copy -- --from sqlite:PATH --to postgres://user:password@host:5432/database')
  }
  return { from: from.slice('sqlite:'.length), to }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { from, to } = parseArguments(process.argv.slice(2))
    // The client module opens this process's default database as it loads: the source, not a new file.
    process.env.DATABASE_PATH = from
    delete process.env.DATABASE_URL
    const report = await copySqliteToPostgres(from, to)
    const rows = report.tables.reduce((sum, t) => sum + t.rows, 0)
    for (const { table, rows } of report.tables) console.log(`${table.padEnd(34)} ${String(rows).padStart(9)} rows, read back identical`)
    console.log(`Copied ${rows} rows in ${report.tables.length} tables from ${from}; every table counted and read back the same on both sides.`)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
