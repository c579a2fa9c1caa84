import {
  type ColumnDefinitionNode,
  type CreateTableNode,
  DataTypeNode,
  type Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  PostgresAdapter,
  RawNode,
  type RootOperationNode,
} from 'kysely'

/**
 * The migrations were written for SQLite, in Kysely's schema builder where they could be. Run
 * on PostgreSQL they pass through this plugin, which says the same things the way PostgreSQL
 * does: an auto-increment key becomes an identity column, every integer is 64-bit (SQLite's are;
 * some columns hold milliseconds since the epoch), `real` is double precision, and SQLite's
 * storage clauses (WITHOUT ROWID) are dropped. What a migration says in raw SQL it says for each
 * database itself (onPostgres).
 */
export const sqliteSchemaOnPostgres: KyselyPlugin = {
  transformQuery: ({ node }) => new SchemaTranslator().transformNode(node) as RootOperationNode,
  transformResult: async ({ result }) => result,
}

const TYPES: Record<string, string> = { integer: 'bigint', real: 'double precision' }

class SchemaTranslator extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node)
    const type = DataTypeNode.is(column.dataType) ? TYPES[column.dataType.dataType] : undefined
    return {
      ...column,
      dataType: type ? DataTypeNode.create(type as never) : column.dataType,
      autoIncrement: undefined,
      generated: column.autoIncrement ? { kind: 'GeneratedNode', byDefault: true, identity: true } : column.generated,
    }
  }

  protected override transformCreateTable(node: CreateTableNode): CreateTableNode {
    const table = super.transformCreateTable(node)
    const endModifiers = table.endModifiers?.filter((modifier) => !(RawNode.is(modifier) && /without rowid/i.test(modifier.sqlFragments.join(''))))
    return { ...table, endModifiers: endModifiers?.length ? endModifiers : undefined }
  }
}

/** True when the migration runs on PostgreSQL. */
export const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
