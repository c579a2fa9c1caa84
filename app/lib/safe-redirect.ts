/** Only same-site paths: "/x" yes; "//evil.example", "/\\evil.example" and "https://..." no. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) {
    return fallback
  }
  // Control characters and backslashes let some browsers turn a path into another host.
  if (/[\u0000-\u001f\\]/.test(to)) return fallback
  // A Location header holds Latin-1 only; building one from anything else throws (a 500).
  // Percent-encoded, the rest of the path stays a path; text that is not valid Unicode is refused.
  try {
    return to.replace(/[^\u0020-\u007e]+/g, (text) => encodeURIComponent(text))
  } catch {
    return fallback
  }
}
