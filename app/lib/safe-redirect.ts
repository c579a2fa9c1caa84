/** Only same-site paths: "/x" yes; "//evil.example", "/\\evil.example" and "https://..." no. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) {
    return fallback
  }
  // Control characters and backslashes let some browsers turn a path into another host.
  if (/[\u0000-\u001f\\]/.test(to)) return fallback
  return to
}
