import { createCookie, redirect } from '@remix-run/node'

// The one flash-message mechanism: a short-lived cookie read (and cleared) by the root loader.
const flashCookie = createCookie('sp_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 })

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
