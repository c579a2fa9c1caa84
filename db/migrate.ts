import { db, databaseLocation, migrateToLatest } from './client'

const applied = await migrateToLatest()
console.log(
  applied.length
    ? `Applied ${applied.join(', ')} to ${databaseLocation()}`
    : `${databaseLocation()} is up to date`,
)
await db.destroy()
