/**
 * The site's public origin, from SITE_URL (default http://localhost:PORT for `npm start`), for
 * absolute links in feeds, calendar files and email, and for the origin check on writes. Never
 * taken from a request's Host or X-Forwarded-* headers: anything built from those can be
 * poisoned by whoever sends them.
 */
export function siteUrl(): string {
  const configured = process.env.SITE_URL?.trim()
  if (configured) return new URL(configured).origin
  return `http://localhost:${process.env.PORT ?? 3000}`
}
