import { sql } from 'kysely'
import { describe, it, expect } from 'vitest'
import { db } from '../../db/client'
import { isDatabaseHealthy } from '../../app/models/health.server'

describe('isDatabaseHealthy', () => {
  it('is true on the migrated database', async () => {
    expect(await isDatabaseHealthy()).toBe(true)
  })

  it('is false (not a crash) when the schema is not in place, and true again once it is', async () => {
    await sql`alter table users rename to users_away`.execute(db)
    try {
      expect(await isDatabaseHealthy()).toBe(false)
    } finally {
      await sql`alter table users_away rename to users`.execute(db)
    }
    expect(await isDatabaseHealthy()).toBe(true)
  })
})
