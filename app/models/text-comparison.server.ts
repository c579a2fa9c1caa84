import { type Expression, sql } from 'kysely'
import { db, dialectOf } from '../../db/client'

/**
 * Comparing names and words without regard to case, the one way it differs between the
 * databases: SQLite's NOCASE collation and case-insensitive LIKE, PostgreSQL's lower() and
 * ILIKE. The directory's index is built on the same expression (migration 0013).
 */
const postgres = () => dialectOf(db) === 'postgres'

/** `value` for ordering and equality that ignore case (ASCII letters, as NOCASE does). */
export function ignoringCase(value: Expression<string | null>) {
  return postgres() ? sql<string>`lower(${value})` : sql<string>`${value} collate nocase`
}

/** True where `value` matches the LIKE `pattern` ignoring case, `\` escaping % and _. */
export function likeIgnoringCase(value: Expression<string | null>, pattern: string) {
  return postgres() ? sql<boolean>`${value} ilike ${pattern} escape '\\'` : sql<boolean>`${value} like ${pattern} escape '\\'`
}
