import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'

export type Errors = Record<string, string | undefined> | undefined

interface FieldProps {
  name: string
  /** The control's id when it differs from its name (a repeated row's fields share names). */
  id?: string
  label: string
  hint?: ReactNode
  error?: string
}

function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function FieldFrame({ name, label, hint, error, children }: Omit<FieldProps, 'id'> & { children: ReactNode }) {
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <span className="hint" id={`${name}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${name}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      {children}
    </div>
  )
}

export function TextField({
  name,
  id = name,
  label,
  hint,
  error,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'>) {
  return (
    <FieldFrame name={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        type="text"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldFrame>
  )
}

export function TextAreaField({
  name,
  label,
  hint,
  error,
  ...textarea
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      <textarea
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  )
}

export function SelectField({
  name,
  label,
  hint,
  error,
  options,
  placeholder,
  ...select
}: FieldProps & {
  options: { value: string; label: string }[]
  placeholder?: string
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>) {
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      <select
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        {...select}
      >
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}

/** GOV.UK's error summary: every problem, each linking to its field. */
export function ErrorSummary({ errors }: { errors: Errors }) {
  const entries = Object.entries(errors ?? {}).filter((entry): entry is [string, string] => !!entry[1])
  if (!entries.length) return null
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) =>
          field === 'form' ? (
            <li key={field}>{message}</li>
          ) : (
            <li key={field}>
              <a href={`#${field}`}>{message}</a>
            </li>
          ),
        )}
      </ul>
    </div>
  )
}

/** A refusal that belongs to no single field (a permission or state problem). */
export function ErrorAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null
  return (
    <div className="error-summary" role="alert">
      <h2>There is a problem</h2>
      <p>{message}</p>
    </div>
  )
}

/** A field people never see (display: none); bots that fill every input give themselves away. */
export function HoneypotField() {
  return (
    <div className="hp-field">
      <label htmlFor="website">Leave this field empty</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
    </div>
  )
}
