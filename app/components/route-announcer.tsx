import { useLocation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'

/**
 * After a client-side navigation to another page, says the new page's title in a polite live
 * region and moves focus to its success banner or its h1 (or main), as a full page load would
 * for a screen reader. A navigation back to the same page (a form that redirects to where it
 * was) moves focus only to a success banner saying what just happened (GOV.UK's way). The first
 * render and refused forms (whose error summary takes focus) are left alone.
 */
export function RouteAnnouncer() {
  const location = useLocation()
  const page = `${location.pathname}${location.search}`
  const previous = useRef({ page, key: location.key })
  const [announcement, setAnnouncement] = useState('')
  useEffect(() => {
    const before = previous.current
    previous.current = { page, key: location.key }
    if (before.key === location.key) return
    if (document.activeElement?.closest('.error-summary')) return
    const banner = document.querySelector<HTMLElement>('main [data-success-banner]')
    if (before.page === page) {
      banner?.focus()
      return
    }
    setAnnouncement(document.title)
    const heading = document.querySelector<HTMLElement>('main h1')
    const target = banner ?? heading ?? document.querySelector<HTMLElement>('main')
    if (!target) return
    if (target === heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
    target.focus({ preventScroll: true })
  }, [page, location.key])
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="route-announcer">
      {announcement}
    </div>
  )
}
