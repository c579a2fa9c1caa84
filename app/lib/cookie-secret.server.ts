import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { databasePath } from '../../db/path'

let secret: string | undefined

/**
 * The secret that signs cookies: COOKIE_SECRET (or SESSION_SECRET) when configured, otherwise
 * one generated on first start and kept beside the database (mode 0600), so signed cookies
 * survive restarts and every process on the same database agrees on it.
 */
export function cookieSecret(): string {
  secret ??= configuredSecret() ?? storedSecret()
  return secret
}

function configuredSecret(): string | undefined {
  const configured = (process.env.COOKIE_SECRET || process.env.SESSION_SECRET)?.trim()
  if (configured && configured.length < 32) throw new Error('COOKIE_SECRET must be at least 32 characters long.')
  return configured || undefined
}

function storedSecret(): string {
  const database = databasePath()
  if (database === ':memory:') return randomBytes(32).toString('base64url')
  const path = `${resolve(database)}-cookie-secret`
  mkdirSync(dirname(path), { recursive: true })
  // Written whole under a private name, then linked into place: of two processes starting
  // together one link wins, and neither ever reads a half-written file.
  const draft = `${path}.${process.pid}.tmp`
  writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 })
  try {
    linkSync(draft, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(draft)
  }
  const stored = readFileSync(path, 'utf8').trim()
  if (stored.length < 32) throw new Error(`${path} does not hold a cookie secret; delete it to have a new one made.`)
  return stored
}
