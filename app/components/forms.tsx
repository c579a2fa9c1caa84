import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useEffect, useRef } from 'react'
import { markTitleAsError } from '../lib/document-title'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../lib/password-rules'

export type Errors = Record<string, string | undefined> | undefined

interface FieldProps {
  name: string
  /** The element id, when a page has two fields of one name (several forms); defaults to the name. */
  id?: string
  label: string
  hint?: ReactNode
  error?: string
}

function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

/** A field's hint and error message, with the ids its control's aria-describedby names. */
function FieldMessages({ name, hint, error }: Omit<FieldProps, 'label'>) {
  return (
    <>
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
    </>
  )
}

function FieldFrame({ id: name, label, hint, error, children }: Omit<FieldProps, 'name'> & { id: string; children: ReactNode }) {
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={name}>{label}</label>
      <FieldMessages name={name} hint={hint} error={error} />
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
    <FieldFrame id={id} label={label} hint={hint} error={error}>
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

/** A password being chosen (joining, a reset, a change): the rules shown are the rules checked. */
export function NewPasswordField({ name, label, error }: { name: string; label: string; error?: string }) {
  return (
    <TextField
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      maxLength={PASSWORD_MAX_LENGTH}
      hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password.`}
      error={error}
    />
  )
}

export function TextAreaField({
  name,
  id = name,
  label,
  hint,
  error,
  ...textarea
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  )
}

export function SelectField({
  name,
  id = name,
  label,
  hint,
  error,
  options,
  placeholder,
  ...select
}: FieldProps & {
  options: { value: string; label: string }[]
  /**
   * The first option, with an empty value. An optional select may use it for a choice of its
   * own ("Any theme"); a required one always has it ("Choose one" unless named), as HTML requires
   * of a required select's first option, and its schema refuses the empty value with the field's
   * message, so the placeholder is never taken for an answer.
   */
  placeholder?: string
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>) {
  const firstOption = select.required ? placeholder ?? 'Choose one' : placeholder
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {firstOption ? (
          <option value="">{firstOption}</option>
        ) : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}

/**
 * A refusal takes focus, so keyboard and screen-reader users start from what went wrong, and
 * prefixes the page title with "Error: ". Without JavaScript, `autoFocus` (rendered as the
 * autofocus attribute) focuses it on load; with it, the effect does after each new refusal.
 */
function useRefusalFocus(key: string | null) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (key === null) return
    ref.current?.focus()
    return markTitleAsError()
  }, [key])
  return ref
}

/** Joining asks for it: the member accepts the community guidelines (and so the terms). */
export function GuidelinesCheckbox({ error, checked }: { error?: string; checked?: boolean }) {
  return (
    <div className={error ? 'field field--error field--checkbox' : 'field field--checkbox'}>
      {error ? (
        <span className="field-error" id="acceptGuidelines-error">
          <span className="visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      <input
        type="checkbox"
        id="acceptGuidelines"
        name="acceptGuidelines"
        value="on"
        required
        defaultChecked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={['acceptGuidelines-hint', error ? 'acceptGuidelines-error' : null].filter(Boolean).join(' ')}
      />{' '}
      <label htmlFor="acceptGuidelines">I accept the community guidelines</label>
      <span className="hint" id="acceptGuidelines-hint">
        Read the <a href="/guidelines">community guidelines</a>, the <a href="/terms">terms of use</a> and the{' '}
        <a href="/privacy">privacy notice</a>: anonymize cases, share nothing confidential, procurement-sensitive or personal
        about colleagues or residents, stay civil, and disclose any vendor interest.
      </span>
    </div>
  )
}

/**
 * GOV.UK's error summary: every problem, each linking to its field's control. A group of
 * choices links to its first choice, whose id is the field's name; `targets` names the control
 * for a group whose first control has an id of its own (a row of several fields).
 */
export function ErrorSummary({ errors, targets = {} }: { errors: Errors; targets?: Record<string, string> }) {
  const entries = Object.entries(errors ?? {}).filter((entry): entry is [string, string] => !!entry[1])
  const ref = useRefusalFocus(entries.length ? JSON.stringify(entries) : null)
  if (!entries.length) return null
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autoFocus ref={ref}>
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) =>
          field === 'form' ? (
            <li key={field}>{message}</li>
          ) : (
            <li key={field}>
              <a href={`#${targets[field] ?? field}`}>{message}</a>
            </li>
          ),
        )}
      </ul>
    </div>
  )
}

/** A refusal that belongs to no single field (a permission or state problem). */
export function ErrorAlert({ message }: { message: string | null | undefined }) {
  const ref = useRefusalFocus(message || null)
  if (!message) return null
  return (
    <div className="error-summary" role="alert" tabIndex={-1} autoFocus ref={ref}>
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

/** A choice's id in a group: the field's name for the first, so the error summary's link reaches a control. */
export const choiceId = (name: string, value: string, index: number) => (index === 0 ? name : `${name}-${value}`)

/** Checkboxes for several values of one field, with its message linked from the error summary. */
export function CheckboxGroupField({
  name,
  legend,
  hint,
  error,
  options,
  checked,
}: {
  name: string
  legend: string
  hint?: ReactNode
  error?: string
  options: { value: string; label: string }[]
  checked: ReadonlySet<string>
}) {
  return (
    <fieldset className={error ? 'field field--error' : 'field'} aria-describedby={describedBy(name, hint, error)}>
      <legend>{legend}</legend>
      <FieldMessages name={name} hint={hint} error={error} />
      <ul className="checkbox-grid">
        {options.map((option, index) => (
          <li key={option.value}>
            <input type="checkbox" id={choiceId(name, option.value, index)} name={name} value={option.value} defaultChecked={checked.has(option.value)} />
            <label htmlFor={choiceId(name, option.value, index)}>{option.label}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}
