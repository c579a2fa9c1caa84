import { Form, Link, NavLink, useLocation } from '@remix-run/react'

interface HeaderUser {
  handle: string
  displayName: string
  role: string
  unreadNotifications: number
}

const AREAS = [
  { to: '/discussions', label: 'Discussions' },
  { to: '/cases', label: 'Case library' },
  { to: '/events', label: 'Events' },
  { to: '/members', label: 'Members' },
  { to: '/readiness', label: 'Readiness' },
  { to: '/insights', label: 'Insights' },
]

export function SiteHeader({ user }: { user: HeaderUser | null }) {
  // Keyed by location so the menu closes when a client-side navigation leaves the page.
  const { pathname } = useLocation()
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            SP
          </span>
          <span className="brand__name">SectorPulse</span>
        </Link>
        <MainNav className="main-nav main-nav--wide" />
        <Form method="get" action="/search" role="search" className="site-search">
          <label htmlFor="site-search-q" className="visually-hidden">
            Search discussions, cases and events
          </label>
          <input id="site-search-q" name="q" type="search" placeholder="Search" maxLength={200} />
          <button type="submit" className="site-search__button">
            Search
          </button>
        </Form>
        <div className="account">
          {user ? <NotificationsLink unread={user.unreadNotifications} /> : null}
          {user ? (
            <details className="account-menu" key={pathname}>
              <summary>
                <span className="visually-hidden">Account menu for </span>
                {user.displayName}
              </summary>
              <ul>
                <li>
                  <Link to={`/members/${user.handle}`}>Your profile</Link>
                </li>
                <li>
                  <Link to="/cases/submissions">Your cases</Link>
                </li>
                <li>
                  <Link to="/appeals">Your appeals</Link>
                </li>
                <li>
                  <Link to="/settings/following">Following</Link>
                </li>
                <li>
                  <Link to="/settings">Settings</Link>
                </li>
                <li>
                  <Link to="/settings/notifications">Email preferences</Link>
                </li>
                {user.role === 'moderator' || user.role === 'admin' ? (
                  <>
                    <li>
                      <Link to="/moderation">Moderation queue</Link>
                    </li>
                    <li>
                      <Link to="/moderation/cases">Cases to review</Link>
                    </li>
                  </>
                ) : null}
                {user.role === 'admin' ? (
                  <>
                    <li>
                      <Link to="/admin/categories">Categories</Link>
                    </li>
                    <li>
                      <Link to="/admin/mail">Outgoing mail</Link>
                    </li>
                  </>
                ) : null}
                <li>
                  <Form method="post" action="/logout">
                    <button type="submit" className="link-button">
                      Sign out
                    </button>
                  </Form>
                </li>
              </ul>
            </details>
          ) : (
            <ul className="account-links">
              <li>
                <Link to="/login">Sign in</Link>
              </li>
              <li>
                <Link to="/join" className="button button--small">
                  Join
                </Link>
              </li>
            </ul>
          )}
        </div>
        {/* On a phone the areas fold under "Menu" (a disclosure that needs no JavaScript) and the
            wide navigation above is hidden; only one of the two is ever displayed. */}
        <details className="site-menu" key={`menu-${pathname}`}>
          <summary>
            Menu<span className="visually-hidden">: areas of SectorPulse</span>
          </summary>
          <MainNav className="main-nav site-menu__nav" />
        </details>
      </div>
    </header>
  )
}

function MainNav({ className }: { className: string }) {
  return (
    <nav aria-label="Main" className={className}>
      <ul>
        {AREAS.map((area) => (
          <li key={area.to}>
            <NavLink to={area.to}>{area.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>
          <strong>SectorPulse</strong> is where public-sector technology leaders learn from each other how projects
          succeed and fail in execution.
        </p>
        <nav aria-label="Footer">
          <ul>
            <li>
              <Link to="/discussions">Discussions</Link>
            </li>
            <li>
              <Link to="/cases">Case library</Link>
            </li>
            <li>
              <Link to="/events">Events</Link>
            </li>
            <li>
              <Link to="/readiness">Readiness self-assessment</Link>
            </li>
            <li>
              <Link to="/insights">Insights</Link>
            </li>
            <li>
              <Link to="/search">Search</Link>
            </li>
            <li>
              <Link to="/accessibility">Accessibility statement</Link>
            </li>
            <li>
              <Link to="/guidelines">Community guidelines</Link>
            </li>
            <li>
              <Link to="/privacy">Privacy notice</Link>
            </li>
            <li>
              <Link to="/terms">Terms of use</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  )
}

/** The notification menu's entry: a plain link with the unread count, so it works without JavaScript. */
function NotificationsLink({ unread }: { unread: number }) {
  return (
    <Link to="/notifications" className="notifications-link">
      {/* On a phone the bell stands for the word, which stays in the link's name. */}
      <svg className="notifications-link__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      <span className="notifications-link__label">Notifications</span>
      {unread > 0 ? (
        <span className="notifications-link__count">
          {' '}
          {unread > 99 ? '99+' : unread}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </Link>
  )
}
