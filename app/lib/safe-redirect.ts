const PROBE_ORIGIN = 'http://redirect.invalid'

/**
 * The one check for redirect targets that come from a request: same-site paths only ("/x" yes;
 * "//evil.example", "/\\evil.example", "https://..." no), and only printable ASCII. A Location
 * header carries nothing else: a character above U+00FF makes building the header throw, and
 * controls, spaces or look-alikes ("/。evil.com") are what some browsers rewrite into another
 * host. A path this site produced is already percent-encoded, so refusing the rest loses nothing.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !/^\/[\x21-\x7e]*$/.test(to) || to.startsWith('//') || to.includes('\\')) {
    return fallback
  }
  try {
    // What a browser would make of it, as a second opinion on the prefix checks above.
    if (new URL(to, PROBE_ORIGIN).origin !== PROBE_ORIGIN) return fallback
  } catch {
    return fallback
  }
  return to
}
