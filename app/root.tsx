import { json, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { SiteFooter, SiteHeader } from './components/site-chrome'
import { RouteAnnouncer } from './components/route-announcer'
import { useErrorId, useNonce } from './components/request-info'
import { getOptionalUser, refreshedSessionCookie } from './lib/auth.server'
import { participationBlock } from './lib/participation'
import { ParticipationNotice } from './components/participation-notice'
import { NotificationBanner } from './components/notification-banner'
import { readFlash } from './lib/flash.server'
import { countUnreadNotifications } from './models/notification.server'
import { measureInForce } from './models/member-moderation.server'
import { appealPath } from './lib/appeal-link.server'
import stylesheet from './styles/app.css?url'
import { pageShowsViewer } from '../db/page-tags'
import { pageTitle } from './lib/page-title'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, flash, sessionCookie] = await Promise.all([
    getOptionalUser(request),
    readFlash(request),
    refreshedSessionCookie(request),
  ])
  pageShowsViewer(context, user?.id ?? null)
  const unreadNotifications = user ? await countUnreadNotifications(user.id) : 0
  // A silenced member reads every page with the reason and how to appeal above it.
  const silence = user && participationBlock(user)?.kind === 'silenced' ? await measureInForce(user.id, 'silence') : null
  const headers = new Headers()
  if (sessionCookie) headers.append('Set-Cookie', sessionCookie)
  if (flash.clear) headers.append('Set-Cookie', flash.clear)
  return json(
    {
      user: user && { handle: user.handle, displayName: user.display_name, role: user.role, unreadNotifications },
      participation: participationNotice(user),
      flash: flash.message,
      silence: silence && { until: silence.until, reason: silence.reason, appealHref: silence.decisionId ? appealPath(silence.decisionId) : null },
    },
    { headers },
  )
}

/** What the notice on every page needs; nothing (not even the address) for a member who may take part. */
function participationNotice(user: Awaited<ReturnType<typeof getOptionalUser>>) {
  const block = user && participationBlock(user)
  return block ? { block, email: user.email } : null
}

export type RootLoaderData = typeof loader

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  return (
    <html lang="en-US">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <SiteHeader user={data?.user ?? null} />
        <main id="main" tabIndex={-1} className="page">
          {data?.flash ? (
            <NotificationBanner id="flash" title="Success" success>
              <p role="status">{data.flash}</p>
            </NotificationBanner>
          ) : null}
          {data?.participation ? <ParticipationNotice {...data.participation} silence={data.silence} /> : null}
          {children}
        </main>
        <SiteFooter />
        <RouteAnnouncer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const errorId = useErrorId()

  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <ErrorPage title="Page not found">
          <p>If you typed the web address, check it is correct. If you followed a link, it may be out of date.</p>
          <p>
            You can go to the <Link to="/">home page</Link>, browse <Link to="/discussions">discussions</Link> or the{' '}
            <Link to="/cases">case library</Link>.
          </p>
        </ErrorPage>
      )
    }
    if (error.status === 403) {
      return (
        <ErrorPage title="You do not have permission to see this">
          <p>{typeof error.data === 'string' && error.data ? error.data : 'This page is for other members.'}</p>
          <p>
            <Link to="/">Go to the home page</Link>
          </p>
        </ErrorPage>
      )
    }
    if (error.status === 503) {
      return (
        <ErrorPage title="SectorPulse cannot do this right now">
          <p>{typeof error.data === 'string' ? error.data : 'Try again in a few minutes.'}</p>
        </ErrorPage>
      )
    }
    if (error.status < 500) {
      return (
        <ErrorPage title={error.statusText || 'There is a problem with this request'}>
          <p>{typeof error.data === 'string' ? error.data : 'Check what you asked for and try again.'}</p>
        </ErrorPage>
      )
    }
  }

  return (
    <ErrorPage title="Sorry, there is a problem with the service">
      <p>Something went wrong on our side. Nothing you did caused it. Try again later.</p>
      {errorId ? (
        <p data-error-id={errorId}>
          If you contact us about this, quote the error reference <strong className="error-id">{errorId}</strong>.
        </p>
      ) : null}
      {import.meta.env.DEV && error instanceof Error ? <pre className="stack">{error.stack}</pre> : null}
    </ErrorPage>
  )
}

function ErrorPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="prose">
      <title>{pageTitle(title)}</title>
      <h1>{title}</h1>
      {children}
    </div>
  )
}
