import { useEffect, useRef, useState } from 'react'
import type { PostPlace } from '../lib/discussion-validation'

type PreviewAnswer = { html: string; error?: string }

interface MarkdownEditorProps {
  name: string
  label: string
  defaultValue?: string
  error?: string
  /** HTML the server rendered for a no-JavaScript preview. */
  previewHtml?: string | null
  rows?: number
  maxLength?: number
  /** Where the text will be shown, so the preview nests its headings as the saved post will. */
  previewAs?: PostPlace
}

/**
 * A Markdown textarea with a Preview button that round-trips through the server (the form
 * posts `intent=preview`), and, with JavaScript, a live preview rendered by the same pipeline.
 */
export function MarkdownEditor({ name, label, defaultValue, error, previewHtml, rows = 10, maxLength = 20_000, previewAs = 'reply' }: MarkdownEditorProps) {
  const [preview, setPreview] = useState<PreviewAnswer>()
  const [live, setLive] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const inFlight = useRef<AbortController>()
  const hintId = `${name}-hint`
  const errorId = `${name}-error`

  useEffect(
    () => () => {
      clearTimeout(timer.current)
      inFlight.current?.abort()
    },
    [],
  )

  // A plain request, not a fetcher: a fetcher's submission ends in a router revalidation, and
  // one finishing while a posted reply reloaded the page ended that reload with the old data.
  function requestPreview(text: string) {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      inFlight.current?.abort()
      const controller = new AbortController()
      inFlight.current = controller
      fetch('/discussions/preview', { method: 'POST', body: new URLSearchParams({ body: text, previewAs }), signal: controller.signal })
        .then((response) => response.json() as Promise<PreviewAnswer>)
        // Aborted by newer text, or no answer (signed out meanwhile): the Preview button still works.
        .then(setPreview, () => {})
    }, 350)
  }

  const shownHtml = live ? preview?.html : previewHtml
  // A live preview the server refused (too deep, too fast) says why next to the field.
  const shownError = error ?? (live ? preview?.error : undefined)
  return (
    <div className={shownError ? 'field field--error' : 'field'}>
      <label htmlFor={name}>{label}</label>
      <span className="hint" id={hintId}>
        Markdown works: **bold**, *italic*, lists, &gt; quotes, [links](https://example.gov) and @handle mentions.
      </span>
      {shownError ? (
        <span className="field-error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {shownError}
        </span>
      ) : null}
      <textarea
        id={name}
        name={name}
        rows={rows}
        maxLength={maxLength}
        defaultValue={defaultValue}
        aria-invalid={shownError ? true : undefined}
        aria-describedby={shownError ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => {
          setLive(true)
          requestPreview(event.currentTarget.value)
        }}
      />
      <p className="editor-actions">
        <button type="submit" name="intent" value="preview" className="button button--secondary" formNoValidate>
          Preview
        </button>
      </p>
      {shownHtml ? (
        <section className="preview" aria-label="Preview">
          <h2 className="preview__title">Preview</h2>
          <div className="post-body" dangerouslySetInnerHTML={{ __html: shownHtml }} />
        </section>
      ) : null}
    </div>
  )
}
