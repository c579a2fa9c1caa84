// What model tests need to set a scene: an outcome's value, and members straight in the table.
import { sql } from 'kysely'
import { db, dialectOf } from '../../db/client'
import type { GovernmentLevel, Role } from '../../db/schema'
import type { CaseContent } from '../../app/lib/case-fields'
import type { Outcome } from '../../app/lib/outcome'

/** The value of a model write the test expects to succeed; a refusal fails the test with its message. */
export function must<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`refused with ${outcome.status}: ${outcome.message}`)
  return outcome.value
}

let members = 0

/**
 * A member inserted straight into the users table (no password, so never signing in): faster than
 * the sign-up path, for tests about what members do rather than how they join.
 */
export async function insertMember(
  role: Role = 'member',
  profile: { displayName?: string; organization?: string | null; governmentLevel?: GovernmentLevel } = {},
): Promise<{ id: number; role: Role; handle: string; email: string; displayName: string }> {
  const n = ++members
  const handle = `person-${role}-${n}`
  const email = `${handle}@fixtures.example.gov`
  const displayName = profile.displayName ?? `Test person ${n}`
  const now = new Date().toISOString()
  const { id } = await db
    .insertInto('users')
    .values({
      email,
      handle,
      display_name: displayName,
      password_hash: null,
      role,
      member_type: 'practitioner',
      organization: profile.organization === undefined ? 'A county agency' : profile.organization,
      government_level: profile.governmentLevel ?? 'local',
      time_zone: null,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id, role, handle, email, displayName }
}

let caseTitles = 0

/** A case as a complete, valid submission would carry it; each call has its own title. */
export function validCaseContent(overrides: Partial<CaseContent> = {}): CaseContent {
  return {
    title: `Payroll go-live without a parallel run ${++caseTitles}`,
    summary: 'The new payroll went live on a holiday weekend with no parallel run.',
    level: 'state',
    domain: 'tax',
    outcome: 'recovered',
    jurisdiction: 'A state revenue agency',
    budgetBand: '10m-100m',
    contractModel: 'Fixed-price systems integrator',
    years: '2016-2019',
    outcomeDetail: 'Paychecks were late for six weeks.',
    whatHappened: 'The **cutover** happened on a *Friday*.',
    primaryFailureMode: { slug: 'no-testing', how: 'No parallel run before go-live' },
    contributingFailureModes: [{ slug: 'weak-sponsor', how: 'The sponsor left mid-project' }],
    phases: ['build', 'launch'],
    rootCauses: ['Deadline fixed by statute'],
    lessons: ['Run old and new side by side'],
    recommendations: ['Plan a parallel run'],
    correctiveActions: [{ action: 'Hired a recovery team', worked: 'yes', note: 'Paid on time by month three' }],
    sources: [{ title: 'State audit of the payroll program', publisher: 'State Auditor', date: '2020' }],
    firstHand: true,
    isAnonymous: false,
    ...overrides,
  }
}

/**
 * Makes every delete from `table` fail inside the database, part-way through whatever
 * transaction attempts one, until the returned function is called: a real failure, not a mock.
 */
export async function refuseDeletes(table: string, message: string): Promise<() => Promise<void>> {
  const name = sql.raw(`refuse_${table}_delete`)
  const on = sql.raw(table)
  if (dialectOf() === 'postgres') {
    await sql`create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${sql.raw(message)}'; end $$`.execute(db)
    await sql`create trigger ${name} before delete on ${on} for each row execute function ${name}()`.execute(db)
    return async () => {
      await sql`drop trigger ${name} on ${on}`.execute(db)
      await sql`drop function ${name}()`.execute(db)
    }
  }
  await sql`create trigger ${name} before delete on ${on} begin select raise(abort, '${sql.raw(message)}'); end`.execute(db)
  return async () => {
    await sql`drop trigger ${name}`.execute(db)
  }
}
