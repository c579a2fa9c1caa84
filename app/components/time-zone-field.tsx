import { useEffect, useRef } from 'react'

/**
 * A time-zone select. Without a saved zone it starts empty; with JavaScript it proposes the
 * browser's own zone, which the member still saves themselves.
 */
export function TimeZoneField({ zones, current, error }: { zones: string[]; current: string | null; error?: string }) {
  const select = useRef<HTMLSelectElement>(null)
  const proposed = useRef(false)
  useEffect(() => {
    // Once, on first render: a member who then saves "Not set" is not overruled on reload.
    if (proposed.current) return
    proposed.current = true
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (!current && select.current && zones.includes(browserZone)) select.current.value = browserZone
  }, [current, zones])
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor="timeZone">Your time zone</label>
      {error ? (
        <span className="field-error" id="timeZone-error">
          <span className="visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      <select
        id="timeZone"
        name="timeZone"
        ref={select}
        defaultValue={current ?? ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'timeZone-error' : undefined}
      >
        <option value="">Not set</option>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  )
}
