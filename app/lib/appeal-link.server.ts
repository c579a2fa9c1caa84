import { signValue, verifySignedValue } from './signed-value.server'

const APPEAL = 'appeal'

/**
 * The page where the member a decision affects appeals it. Signed, so it works without signing
 * in (a suspended member cannot) and names only that decision; one appeal per decision makes
 * it single use.
 */
export function appealPath(decisionId: number): string {
  return `/appeal/${encodeURIComponent(signValue(APPEAL, String(decisionId)))}`
}

export function decisionIdFromAppealToken(token: string): number | null {
  const value = verifySignedValue(APPEAL, token)
  return value && /^\d{1,15}$/.test(value) ? Number(value) : null
}
