import type { ReactNode } from 'react'

/**
 * GOV.UK's notification banner, the one form a notice may take above a page's h1: a region
 * named by its own h2 title, so it is announced and reached as a notice, not mistaken for the
 * page's content. A success banner confirms what the member just did; after a client-side
 * navigation the route announcer moves focus to it (as GOV.UK does), so it is heard first.
 * Notices about what a page shows (a cancelled event, a locked thread) go after its h1 instead.
 */
export function NotificationBanner({
  id,
  title,
  success = false,
  children,
}: {
  id: string
  title: string
  success?: boolean
  children: ReactNode
}) {
  return (
    <section
      className={success ? 'notification-banner notification-banner--success' : 'notification-banner'}
      aria-labelledby={`${id}-title`}
      data-success-banner={success ? '' : undefined}
      tabIndex={success ? -1 : undefined}
    >
      <h2 className="notification-banner__title" id={`${id}-title`}>
        {title}
      </h2>
      <div className="notification-banner__content">{children}</div>
    </section>
  )
}
