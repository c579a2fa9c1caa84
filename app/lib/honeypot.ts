export const HONEYPOT_FIELD = 'website'

/** True when the hidden field was filled in, which only a bot does. */
export function isHoneypotFilled(formData: FormData): boolean {
  const value = formData.get(HONEYPOT_FIELD)
  return typeof value === 'string' && value.length > 0
}
