import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'

/**
 * After a client-side navigation to another page, says the new page's title in a polite live
 * region and moves focus to its success banner or its h1 (or main), as a full page load would for
 * a screen reader.
 * The first render, in-page changes (same path and query) and refused forms (whose error
 * summary takes focus) are left alone.
 */
export function RouteAnnouncer() {
  const location = useLocation()
  const page = `${location.pathname}${location.search}`
  const previous = useRef(page)
  const [announcement, setAnnouncement] = useState('')
  useEffect(() => {
    if (previous.current === page) return
    previous.current = page
    setAnnouncement(document.title)
    if (document.activeElement?.closest('.error-summary')) return
    // A success banner says what the member just did, so it is heard before the page (GOV.UK's way).
    const banner = document.querySelector<HTMLElement>('main [data-success-banner]')
    const heading = document.querySelector<HTMLElement>('main h1')
    const target = banner ?? heading ?? document.querySelector<HTMLElement>('main')
    if (!target) return
    if (target === heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
    target.focus({ preventScroll: true })
  }, [page])
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="route-announcer">
      {announcement}
    </div>
  )
}
