import { createCookie, redirect } from '@remix-run/node'
import { cookieSecret } from './cookie-secret.server'

// The one flash-message mechanism: a short-lived cookie read (and cleared) by the root loader.
// Signed, because a sibling host or port can set cookies for this one: an unsigned message
// could be planted in the site's own page chrome. A cookie whose signature fails reads as none.
const flashCookie = createCookie('sp_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60, secrets: [cookieSecret()] })

export async function redirectWithFlash(to: string, message: string, headers: HeadersInit = {}) {
  const responseHeaders = new Headers(headers)
  responseHeaders.append('Set-Cookie', await flashCookie.serialize(message))
  return redirect(to, { headers: responseHeaders })
}

export async function readFlash(request: Request): Promise<{ message: string | null; clear: string | null }> {
  const value: unknown = await flashCookie.parse(request.headers.get('Cookie'))
  if (typeof value !== 'string' || !value) return { message: null, clear: null }
  return { message: value.slice(0, 300), clear: await flashCookie.serialize('', { maxAge: 0 }) }
}
