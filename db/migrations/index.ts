import type { Migration } from 'kysely/migration'
import * as foundation from './0001-foundation'
import * as discussions from './0002-discussions'
import * as cases from './0003-cases'
import * as caseDrafts from './0004-case-drafts'
import * as events from './0005-events'
import * as searchAndReadiness from './0006-search-and-readiness'
import * as notifications from './0007-notifications'
import * as rateLimits from './0008-rate-limits'
import * as caseAnonymousLabel from './0009-case-anonymous-label'
import * as memberStanding from './0010-member-standing'
import * as emailTokens from './0011-email-tokens'
import * as appeals from './0012-appeals'
import * as memberProfiles from './0013-member-profiles'
import * as teamAssessments from './0014-team-assessments'
import * as citableLibrary from './0015-citable-library'
import * as eventFollowThrough from './0016-event-follow-through'
import * as pageChanges from './0017-page-changes'
import * as nestedHeadings from './0018-nested-headings'

// Listed by hand rather than read from disk, so the server bundle and tsx agree on the set.
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-discussions': discussions,
  '0003-cases': cases,
  '0004-case-drafts': caseDrafts,
  '0005-events': events,
  '0006-search-and-readiness': searchAndReadiness,
  '0007-notifications': notifications,
  '0008-rate-limits': rateLimits,
  '0009-case-anonymous-label': caseAnonymousLabel,
  '0010-member-standing': memberStanding,
  '0011-email-tokens': emailTokens,
  '0012-appeals': appeals,
  '0013-member-profiles': memberProfiles,
  '0014-team-assessments': teamAssessments,
  '0015-citable-library': citableLibrary,
  '0016-event-follow-through': eventFollowThrough,
  '0017-page-changes': pageChanges,
  '0018-nested-headings': nestedHeadings,
}
