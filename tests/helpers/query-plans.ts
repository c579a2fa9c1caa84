// The database's own plan for a query, read the same way on SQLite (EXPLAIN QUERY PLAN) and on
// PostgreSQL (EXPLAIN, with whole-table reads and sorts priced as a last resort, since a test's
// few rows would otherwise be read whole whatever indexes there are: see postgresQueryPlan).
import { dialectOf, explainQueryPlan, postgresQueryPlan } from '../../db/client'

type Query = { sql: string; parameters: readonly unknown[] }

export async function planOf(query: Query): Promise<string[]> {
  return dialectOf() === 'postgres' ? (await postgresQueryPlan(query)).map((line) => line.trim()) : explainQueryPlan(query)
}

/** The tables the plan reads whole ("SCAN t" without an index on SQLite, "Seq Scan on t" on PostgreSQL), by alias or name. */
export function tablesReadWhole(plan: string[]): string[] {
  return plan.flatMap((line) => {
    const scan = /^SCAN (\w+)\b(?! USING (COVERING )?INDEX)/.exec(line) ?? /Seq Scan on (\w+)(?: (\w+))?/.exec(line)
    return scan ? [scan[2] ?? scan[1]] : []
  })
}

/** True when the plan sorts rows itself rather than reading them in an index's order. */
export const sortsRows = (plan: string[]) => plan.some((line) => /TEMP B-TREE|^(->\s*)?(Incremental )?Sort\b/.test(line))

/** True when the plan reads `table` by its primary key. */
export const readsByPrimaryKey = (plan: string[], alias: string, table: string) =>
  plan.some((line) => new RegExp(`SEARCH ${alias} USING INTEGER PRIMARY KEY|Index (Only )?Scan using ${table}_pkey on ${table}|Bitmap Index Scan on ${table}_pkey`).test(line))
