import { createCookie, redirect } from '@remix-run/node'
import type { Role } from '../../db/schema'
import { PARTICIPATION_REFUSALS, participationBlock } from './participation'
import { hasRole } from './roles'
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  type SessionUser,
  type ValidSession,
  validateSessionToken,
} from '../models/session.server'

export type { SessionUser }
export { hasRole }

// Secure by default in production; SESSION_COOKIE_SECURE=false allows plain http on a LAN host.
const secure = process.env.SESSION_COOKIE_SECURE
  ? process.env.SESSION_COOKIE_SECURE === 'true'
  : process.env.NODE_ENV === 'production'

// Not signed: its value is a random 160-bit token checked against the database, which no one
// can guess or forge; a signature would add nothing.
export const sessionCookie = createCookie('sp_session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure,
})


// Loaders and actions of one request share one lookup (and one sliding-expiry write). Remix
// hands each loader its own copy of the request, so the root's and the page's loaders, which
// start together, meet on the lookup still in flight for their token.
const sessionsByRequest = new WeakMap<Request, Promise<ValidSession | null>>()
const lookupsInFlight = new Map<string, Promise<ValidSession | null>>()

export function getSession(request: Request): Promise<ValidSession | null> {
  let session = sessionsByRequest.get(request)
  if (!session) {
    session = readToken(request).then((token) => (token ? validateOnce(token) : null))
    sessionsByRequest.set(request, session)
  }
  return session
}

function validateOnce(token: string): Promise<ValidSession | null> {
  let lookup = lookupsInFlight.get(token)
  if (!lookup) {
    lookup = validateSessionToken(token).finally(() => lookupsInFlight.delete(token))
    lookupsInFlight.set(token, lookup)
  }
  return lookup
}

async function readToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 && value.length < 100 ? value : null
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null
}

export async function requireSession(request: Request): Promise<ValidSession> {
  const session = await getSession(request)
  if (!session) {
    const url = new URL(request.url)
    const redirectTo = `${url.pathname}${url.search}`
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`)
  }
  return session
}

export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireSession(request)).user
}

/** Moderators pass a moderator check, admins pass both. */
export async function requireRole(request: Request, role: Role): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!hasRole(user, role)) {
    throw new Response('You do not have permission to do that.', { status: 403 })
  }
  return user
}

/**
 * A signed-in member who may take part: confirmed address, not silenced. Anyone else gets a 403
 * that says why (the page they came from already shows it beside the form).
 */
export async function requireParticipant(request: Request): Promise<SessionUser> {
  const user = await requireUser(request)
  assertParticipant(user)
  return user
}

/** Why this member may not take part, in words for the form they used; null when they may. */
export function participationRefusal(user: SessionUser): string | null {
  const block = participationBlock(user)
  return block && PARTICIPATION_REFUSALS[block.kind]
}

/** The same refusal for an action where only some intents take part (a reply, not a preview). */
export function assertParticipant(user: SessionUser): void {
  const refusal = participationRefusal(user)
  if (refusal) throw new Response(refusal, { status: 403 })
}

/** Starts a fresh session (never reuses one) and returns its Set-Cookie header. */
export async function startSession(userId: number): Promise<string> {
  const token = generateSessionToken()
  const expires = await createSession(token, userId)
  return sessionCookie.serialize(token, { expires })
}

export async function endSession(request: Request): Promise<string> {
  const session = await getSession(request)
  if (session) await invalidateSession(session.id)
  return clearSessionCookie()
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie.serialize('', { maxAge: 0 })
}

/**
 * The cookie to send back on a page load: the new expiry when this request slid it forward (so
 * the browser follows the sliding expiry), a deletion for a dead session, otherwise nothing.
 * A page that sets no cookie can be served again from the page cache.
 */
export async function refreshedSessionCookie(request: Request): Promise<string | null> {
  const session = await getSession(request)
  if (session) {
    if (!session.renewed) return null
    const token = await readToken(request)
    return sessionCookie.serialize(token, { expires: session.expiresAt })
  }
  return (await readToken(request)) ? clearSessionCookie() : null
}
