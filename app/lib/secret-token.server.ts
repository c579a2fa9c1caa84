import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'

// Secret addresses (calendar feeds, team invitations, share links) carry a random token; as with
// sessions, only its SHA-256 is stored, so a copy of the database opens nothing.

/** A new token of 160 random bits, lower-case base32 (32 characters). */
export function generateSecretToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export const hashSecretToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)))

/** Cheap shape check before any lookup: anything else cannot be a token we made. */
export const looksLikeSecretToken = (token: string | undefined): token is string => !!token && /^[a-z2-7]{26,64}$/.test(token)
