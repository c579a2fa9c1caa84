import { createHmac, timingSafeEqual } from 'node:crypto'
import { cookieSecret } from './cookie-secret.server'

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
  return createHmac('sha256', cookieSecret()).update(`${purpose}\n${value}`).digest('base64url')
}
