import { type Kysely, sql } from 'kysely'

// Frozen: a migration never imports app code, so it means the same thing forever.
export async function up(db: Kysely<any>): Promise<void> {
  // A readiness assessment a team answers together, each participant for one side of the project.
  // Both links are secrets: only the SHA-256 of each token is stored; null means none (revoked).
  await db.schema
    .createTable('team_assessments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invite_link_hash', 'text', (c) => c.unique())
    .addColumn('share_link_hash', 'text', (c) => c.unique())
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('team_participants')
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('team_assessments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // it, program, sponsor, vendor, frontline, oversight
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_participants_pk', ['assessment_id', 'user_id'])
    .execute()
  await db.schema.createIndex('team_participants_by_member').on('team_participants').columns(['user_id', 'assessment_id']).execute()

  // An invitation by email: the address it went to, and who sent it.
  await db.schema
    .createTable('team_invitations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('team_assessments.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .execute()
  await db.schema.createIndex('team_invitations_by_assessment').on('team_invitations').columns(['assessment_id', 'email']).execute()

  // Rounds: the first opens with the assessment; the owner opens the next (each quarter, say).
  await db.schema
    .createTable('team_rounds')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('team_assessments.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('team_rounds_number', ['assessment_id', 'number'])
    .execute()
  // The team's own questions for one round (at most five), asked after the standard ones.
  await db.schema
    .createTable('team_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('round_id', 'integer', (c) => c.notNull().references('team_rounds.id').onDelete('cascade'))
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('team_questions_by_round').on('team_questions').columns(['round_id', 'id']).execute()

  // One participant's submitted answers in one round, with the side they spoke for then.
  await db.schema
    .createTable('team_responses')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('team_rounds.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_responses_pk', ['round_id', 'user_id'])
    .execute()
  await db.schema
    .createTable('team_answers')
    .addColumn('round_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    // A standard question's slug, or `team-<id>` for one of the team's own.
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 0 and 3`))
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('team_answers_pk', ['round_id', 'user_id', 'question_key'])
    .addForeignKeyConstraint('team_answers_response', ['round_id', 'user_id'], 'team_responses', ['round_id', 'user_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute()
  // The one reminder the owner may send each participant in each round.
  await db.schema
    .createTable('team_reminders')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('team_rounds.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_reminders_pk', ['round_id', 'user_id'])
    .execute()

  // The team's private discussion of one question (across rounds).
  await db.schema
    .createTable('team_comments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('team_assessments.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('team_comments_by_question').on('team_comments').columns(['assessment_id', 'question_key', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'team_comments',
    'team_reminders',
    'team_answers',
    'team_responses',
    'team_questions',
    'team_rounds',
    'team_invitations',
    'team_participants',
    'team_assessments',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
