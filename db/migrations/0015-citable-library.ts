import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // A failure mode a case avoided or overcame (a success's lesson) rather than one that hurt it;
  // counts of failures leave these out.
  await db.schema.alterTable('case_failure_modes').addColumn('avoided', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.createIndex('case_failure_modes_term_avoided').on('case_failure_modes').columns(['term_id', 'avoided', 'case_id']).execute()

  // What the author of a first-hand account did on the project: with no public source, it is
  // what a reader weighs the account by.
  await db.schema.alterTable('cases').addColumn('first_hand_statement', 'text', (c) => c.notNull().defaultTo('')).execute()

  // Sources become citations: { title, publisher, date?, reportNumber?, url? }. The earlier
  // shape's year becomes the date and its free "reference" the report number.
  const rows = await db.selectFrom('cases').select(['id', 'sources_json']).execute()
  for (const row of rows) {
    const sources = (JSON.parse(row.sources_json) as { title: string; publisher: string; reference?: string; year?: number }[]).map(
      ({ title, publisher, reference, year }) => ({
        title,
        publisher,
        ...(year ? { date: String(year) } : {}),
        ...(reference ? { reportNumber: reference } : {}),
      }),
    )
    await db.updateTable('cases').set({ sources_json: JSON.stringify(sources) }).where('id', '=', row.id).execute()
  }

  // "We've seen this too" with where and when: the level of government and year it was seen,
  // and a short note its member chose to publish or to have only counted.
  await db.schema.alterTable('case_reactions').addColumn('seen_level', 'text').execute()
  await db.schema.alterTable('case_reactions').addColumn('seen_year', 'integer').execute()
  await db.schema.alterTable('case_reactions').addColumn('seen_note', 'text').execute()
  await db.schema.alterTable('case_reactions').addColumn('note_public', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.createIndex('case_reactions_case_kind').on('case_reactions').columns(['case_id', 'kind', 'created_at']).execute()

  // "We applied this lesson": one record per member per recommendation of a case.
  await db.schema
    .createTable('case_applications')
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('recommendation', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('worked', 'partly', 'did-not')`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_applications_pk', ['case_id', 'recommendation', 'user_id'])
    .execute()
  await db.schema.createIndex('case_applications_user').on('case_applications').columns(['user_id', 'case_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_applications').execute()
  await db.schema.dropIndex('case_reactions_case_kind').execute()
  for (const column of ['note_public', 'seen_note', 'seen_year', 'seen_level']) {
    await db.schema.alterTable('case_reactions').dropColumn(column).execute()
  }
  await db.schema.alterTable('cases').dropColumn('first_hand_statement').execute()
  await db.schema.dropIndex('case_failure_modes_term_avoided').execute()
  await db.schema.alterTable('case_failure_modes').dropColumn('avoided').execute()
}
