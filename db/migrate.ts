import { db, databasePath, migrateToLatest } from './client'

const applied = await migrateToLatest()
console.log(
  applied.length
    ? `Applied ${applied.join(', ')} to ${databasePath()}`
    : `${databasePath()} is up to date`,
)
await db.destroy()
