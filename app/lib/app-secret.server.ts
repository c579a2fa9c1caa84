import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { databasePath } from '../../db/client'

let cached: Buffer | null = null

/**
 * The server's signing secret: APP_SECRET when configured, otherwise one generated on first
 * start and kept beside the database (readable by the server's user only), so links signed
 * before a restart still verify after it.
 */
export function appSecret(): Buffer {
  if (cached) return cached
  const configured = process.env.APP_SECRET
  if (configured) return (cached = Buffer.from(configured))
  const file = join(dirname(resolve(databasePath())), 'app-secret')
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 })
    } catch {
      // Another process wrote it first; use theirs.
    }
    chmodSync(file, 0o600)
  }
  return (cached = Buffer.from(readFileSync(file, 'utf8').trim()))
}

/** `value.signature`, where the signature is an HMAC-SHA256 of the value under `purpose`. */
export function signValue(purpose: string, value: string): string {
  return `${value}.${signature(purpose, value)}`
}

/** The value a signed token carries, or null when the token was not made by this server. */
export function verifySignedValue(purpose: string, token: string): string | null {
  const dot = token.lastIndexOf('.')
  if (dot <= 0) return null
  const value = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(signature(purpose, value))
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null
}

function signature(purpose: string, value: string): string {
  return createHmac('sha256', appSecret()).update(`${purpose}\n${value}`).digest('base64url')
}
