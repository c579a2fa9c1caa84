/**
 * What a model's write returns: the value, or why it was refused in terms a route can answer
 * (the HTTP status) and a member can read (the message, next to `field` when there is one).
 */
export type Refusal = { ok: false; status: 400 | 403 | 404 | 409 | 429; message: string; field?: string }
export type Outcome<T = undefined> = { ok: true; value: T } | Refusal

export const ok = <T = undefined>(value?: T): Outcome<T> => ({ ok: true, value: value as T })

export const refuse = (status: Refusal['status'], message: string, field?: string): Refusal => ({
  ok: false,
  status,
  message,
  field,
})
