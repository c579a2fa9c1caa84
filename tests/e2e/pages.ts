// Every page of the site, for the accessibility and reflow sweeps. Each feature adds its pages here.

/** Pages anyone can open. */
export const PUBLIC_PAGES = [
  { path: '/', heading: 'Public-sector projects rarely fail for lack of a good system' },
  { path: '/join', heading: 'Join SectorPulse' },
  { path: '/login', heading: 'Sign in' },
  { path: '/join/check-email', heading: 'Check your email' },
  { path: '/forgot-password', heading: 'Reset your password' },
  { path: '/forgot-password/sent', heading: 'Check your email' },
  { path: '/discussions', heading: 'Discussions' },
  { path: '/discussions/c/ai-in-government', heading: 'AI in government' },
  { path: '/cases', heading: 'Case library' },
  { path: '/cases/themes', heading: 'Browse cases by theme' },
  { path: '/cases/themes/unmanaged-risks', heading: 'Unmanaged risks' },
  { path: '/cases/canada-phoenix-pay-system', heading: 'Phoenix pay system: a national payroll launched despite known problems' },
  { path: '/cases/uk-gov-uk-single-government-website', heading: 'GOV.UK: consolidating government websites through small, user-led releases' },
  { path: '/cases/cover-oregon-health-insurance-exchange', heading: 'Cover Oregon: a state exchange website that never enrolled the public online' },
  { path: '/cases/themes/big-bang-scope', heading: 'Big-bang scope' },
  { path: '/events', heading: 'Events' },
  { path: '/events?when=past', heading: 'Events' },
  // A demo event: the seed numbers them in file-name order (content/demo/events), so this is the second.
  { path: '/events/2/roundtable-acting-on-independent-oversight-findings', heading: 'Roundtable: acting on independent oversight findings' },
  { path: '/readiness', heading: 'Execution-readiness self-assessment' },
  // The demo team assessment's share link (its token is fixed in content/demo/teams).
  {
    path: '/readiness/teams/shared/sectorpulsedemoteamalignmentreport',
    heading: 'Unemployment insurance system replacement: team alignment report',
  },
  { path: '/insights', heading: 'Insights' },
  { path: '/search?q=payroll', heading: 'Search' },
  { path: '/accessibility', heading: 'Accessibility statement' },
  { path: '/guidelines', heading: 'Community guidelines' },
  { path: '/privacy', heading: 'Privacy notice' },
  { path: '/terms', heading: 'Terms of use' },
  { path: '/members/admin', heading: 'SectorPulse admin' },
  { path: '/members', heading: 'Members' },
  { path: '/members?mode=unmanaged-risks&type=leader', heading: 'Members' },
  { path: '/no-such-page', heading: 'Page not found' },
]

/** Pages that need a signed-in member; `{handle}` is replaced with the member's handle. */
export const MEMBER_PAGES = [
  { path: '/settings', heading: 'Settings' },
  { path: '/settings/email', heading: 'Change your email address' },
  { path: '/members/{handle}', heading: '{displayName}' },
  { path: '/discussions/new', heading: 'Start a thread' },
  { path: '/cases/new', heading: 'Share a case' },
  { path: '/cases/submissions', heading: 'Your cases' },
  { path: '/notifications', heading: 'Notifications' },
  { path: '/settings/notifications', heading: 'Email preferences' },
  { path: '/settings/following', heading: 'What you follow' },
  { path: '/settings/export', heading: 'Download your data' },
  { path: '/settings/delete', heading: 'Delete your account' },
  { path: '/readiness/teams', heading: 'Team alignment assessments' },
  { path: '/appeals', heading: 'Your moderation decisions and appeals' },
]

/** Pages only moderators (and admins) can open. */
export const MODERATOR_PAGES = [
  { path: '/moderation', heading: 'Moderation queue' },
  { path: '/moderation/log', heading: 'Moderation log' },
  { path: '/moderation/cases', heading: 'Cases to review' },
  { path: '/moderation/appeals', heading: 'Appeals' },
  { path: '/admin/members', heading: 'Members' },
  { path: '/events/new', heading: 'Create an event' },
]

/** Pages only admins can open. */
export const ADMIN_PAGES = [
  { path: '/admin/mail', heading: 'Outgoing mail' },
  { path: '/admin/categories', heading: 'Categories' },
]
