// Every page of the site, for the accessibility and reflow sweeps. Each feature adds its pages here.

/** Pages anyone can open. */
export const PUBLIC_PAGES = [
  { path: '/', heading: 'Public-sector projects rarely fail for lack of a good system' },
  { path: '/join', heading: 'Join SectorPulse' },
  { path: '/login', heading: 'Sign in' },
  { path: '/discussions', heading: 'Discussions' },
  { path: '/discussions/c/ai-in-government', heading: 'AI in government' },
  { path: '/cases', heading: 'Case library' },
  { path: '/events', heading: 'Events' },
  { path: '/accessibility', heading: 'Accessibility statement' },
  { path: '/members/admin', heading: 'SectorPulse admin' },
  { path: '/no-such-page', heading: 'Page not found' },
]

/** Pages that need a signed-in member; `{handle}` is replaced with the member's handle. */
export const MEMBER_PAGES = [
  { path: '/settings', heading: 'Settings' },
  { path: '/members/{handle}', heading: '{displayName}' },
  { path: '/discussions/new', heading: 'Start a thread' },
]

/** Pages only moderators (and admins) can open. */
export const MODERATOR_PAGES = [
  { path: '/moderation', heading: 'Moderation queue' },
  { path: '/moderation/log', heading: 'Moderation log' },
]
