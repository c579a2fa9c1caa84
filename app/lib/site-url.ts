/** The site's own origin, as the request reached it, for absolute links in feeds and calendar files. */
export function siteUrlOf(request: Request): string {
  return new URL(request.url).origin
}
