import { db, databaseLocation, exclusively, migrateToLatest } from './client'
import { deleteExpiredSessions } from '../app/models/session.server'
import { ensureInitialAdmin } from '../app/models/user.server'
import { isDatabaseSeeded, seedContent } from './seed'

/**
 * Migrates, seeds an empty database and creates the first admin, one process at a time (app
 * servers starting together on one PostgreSQL database). Runs on this module's own connection,
 * which it closes: while serving, the app's bundle holds the process's own.
 */
export async function prepareDatabase(): Promise<void> {
  await exclusively(prepare)
  await db.destroy()
}

async function prepare(): Promise<void> {
  const applied = await migrateToLatest()
  if (applied.length) console.log(`Migrated ${databaseLocation()}: ${applied.join(', ')}`)
  if (!(await isDatabaseSeeded())) {
    const summary = await seedContent()
    console.log(`Seeded an empty database from content/: ${summary}`)
  }
  await deleteExpiredSessions()
  const admin = await ensureInitialAdmin()
  if (admin) {
    console.log(
      [
        '',
        '  An initial admin account was created. This password is shown once; sign in and change it.',
        `    email:    ${admin.email}`,
        `    password: ${admin.password}`,
        '',
      ].join('\n'),
    )
  }
}
