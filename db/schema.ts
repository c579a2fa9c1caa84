import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export const ROLES = ['member', 'moderator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const MEMBER_TYPES = ['leader', 'practitioner', 'advisor', 'partner'] as const
export type MemberType = (typeof MEMBER_TYPES)[number]

export const GOVERNMENT_LEVELS = [
  'federal',
  'state',
  'local',
  'tribal',
  'international',
  'not-government',
] as const
export type GovernmentLevel = (typeof GOVERNMENT_LEVELS)[number]

/** Timestamps are ISO 8601 UTC strings (`Date#toISOString`), so they sort as text. */
type Timestamp = string

export interface UsersTable {
  id: Generated<number>
  email: string
  handle: string
  display_name: string
  /** Null for demo members, who exist to author sample content and cannot sign in. */
  password_hash: string | null
  role: Generated<Role>
  member_type: MemberType
  organization: string | null
  government_level: GovernmentLevel
  is_demo: Generated<number>
  /** The member's IANA time zone for showing event times; null until they choose one. */
  time_zone: string | null
  /** When the member confirmed their address; null until then (they may read but not take part). */
  email_verified_at: Timestamp | null
  /** Read-only until then (INDEFINITELY for no end); null when not silenced. */
  silenced_until: Timestamp | null
  /** Cannot sign in until then (INDEFINITELY for no end); null when not suspended. */
  suspended_until: Timestamp | null
  /** Why the member carries the "verified public servant" mark; null when they do not. */
  public_servant_verified_by: 'email' | 'moderator' | null
  /** A short bio: the member's Markdown and its HTML, rendered when written. */
  bio_md: Generated<string>
  bio_html: Generated<string>
  job_title: string | null
  /** 1 unless the member opted out of the member directory and "members who have been there". */
  listed_in_directory: Generated<number>
  /** Set when the member deleted their account: the row is a tombstone with no personal data. */
  deleted_at: Timestamp | null
  /** When the member accepted the community guidelines; null for members who joined before it was asked. */
  guidelines_accepted_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MemberExperienceTable {
  user_id: number
  term_id: number
}

export interface HandleHistoryTable {
  handle: string
  /** Null for a handle released by a deleted account: reserved, pointing at no one. */
  user_id: number | null
  retired_at: Timestamp
  reserved_until: Timestamp
}

export interface SessionsTable {
  /** SHA-256 (hex) of the token in the cookie; the token itself is never stored. */
  id: string
  user_id: number
  expires_at: Timestamp
  created_at: Timestamp
}

export interface TaxonomyTermsTable {
  id: Generated<number>
  facet: string
  slug: string
  name: string
  description_md: string
  description_html: string
  /** JSON arrays of strings; empty for simple facets. */
  warning_signs_json: string
  prevention_json: string
  position: number
  source_hash: string
}

export interface CategoriesTable {
  id: Generated<number>
  slug: string
  name: string
  description_md: string
  description_html: string
  position: number
  source_hash: string
}

export interface ThreadsTable {
  id: Generated<number>
  category_id: number
  author_id: number
  title: string
  slug: string
  is_pinned: Generated<number>
  is_locked: Generated<number>
  is_demo: Generated<number>
  source_key: string | null
  source_hash: string | null
  deleted_at: Timestamp | null
  /** Replies not deleted by their authors. */
  reply_count: Generated<number>
  /** Helpful marks on all of the thread's posts. */
  helpful_count: Generated<number>
  /** The highest post number; posts are numbered from 1 (the opening post). */
  last_post_number: Generated<number>
  last_posted_at: Timestamp
  accepted_post_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PostsTable {
  id: Generated<number>
  thread_id: number
  author_id: number
  number: number
  body_md: string
  body_html: string
  is_deleted: Generated<number>
  hidden_at: Timestamp | null
  hidden_by_id: number | null
  hidden_reason: string | null
  helpful_count: Generated<number>
  open_flag_count: Generated<number>
  edited_at: Timestamp | null
  created_at: Timestamp
}

export interface PostRevisionsTable {
  id: Generated<number>
  post_id: number
  editor_id: number | null
  body_md: string
  body_html: string
  created_at: Timestamp
}

export interface ThreadTagsTable {
  thread_id: number
  term_id: number
}

export interface PostHelpfulTable {
  post_id: number
  user_id: number
  created_at: Timestamp
}

export interface PostMentionsTable {
  post_id: number
  user_id: number
  created_at: Timestamp
}

export interface ThreadReadsTable {
  user_id: number
  thread_id: number
  last_read_number: number
}

export const FLAG_REASONS = ['off-topic', 'inappropriate', 'spam', 'other'] as const
export type FlagReason = (typeof FLAG_REASONS)[number]

export interface FlagsTable {
  id: Generated<number>
  post_id: number
  user_id: number
  reason: FlagReason
  note: string | null
  status: Generated<'open' | 'agreed' | 'disagreed'>
  resolved_by_id: number | null
  resolved_at: Timestamp | null
  created_at: Timestamp
}

export interface ModerationLogTable {
  id: Generated<number>
  actor_id: number | null
  action: string
  thread_id: number | null
  post_id: number | null
  case_id: number | null
  /** The member the decision affects (author of a hidden post, submitter of a returned case, ...). */
  member_id: number | null
  reason: string | null
  details: string | null
  created_at: Timestamp
}

export const APPEAL_STATUSES = ['open', 'upheld', 'overturned'] as const
export type AppealStatus = (typeof APPEAL_STATUSES)[number]

export interface AppealsTable {
  id: Generated<number>
  /** The moderation_log row appealed; one appeal per decision. */
  decision_id: number
  member_id: number
  statement: string
  status: Generated<AppealStatus>
  /** Never the moderator who made the decision (the model enforces it). */
  decided_by_id: number | null
  outcome_reason: string | null
  created_at: Timestamp
  decided_at: Timestamp | null
}

export interface SitePagesTable {
  slug: string
  title: string
  summary: string
  body_md: string
  body_html: string
  source_hash: string
  updated_at: Timestamp
}

export const CASE_STATUSES = ['draft', 'submitted', 'returned', 'published'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export interface CasesTable {
  id: Generated<number>
  slug: string
  status: Generated<CaseStatus>
  author_id: number
  /** Published as "Anonymous <member type>, <level>": the author never shows publicly. */
  is_anonymous: Generated<number>
  /** That label, fixed when the case is published, so later profile edits cannot link cases to their author. */
  anonymous_label: string | null
  title: string
  summary: string
  level: string
  domain: string
  outcome: string
  jurisdiction: string
  budget_band: string
  contract_model: string
  years: string
  outcome_detail: string
  what_happened_md: string
  what_happened_html: string
  root_causes_json: string
  lessons_json: string
  recommendations_json: string
  corrective_actions_json: string
  sources_json: string
  first_hand: Generated<number>
  /** What the author of a first-hand account did on the project. */
  first_hand_statement: Generated<string>
  review_feedback: string | null
  /** The submission form as its author left it (drafts and returned cases). */
  draft_json: string | null
  helpful_count: Generated<number>
  seen_count: Generated<number>
  thread_id: number | null
  source_key: string | null
  source_hash: string | null
  submitted_at: Timestamp | null
  published_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CaseFailureModesTable {
  case_id: number
  term_id: number
  is_primary: number
  /** 1: the case avoided or overcame this mode (how says how); 0: it hurt the case. */
  avoided: Generated<number>
  how: string
}

export interface CasePhasesTable {
  case_id: number
  term_id: number
}

export interface CaseReactionsTable {
  case_id: number
  user_id: number
  kind: 'helpful' | 'seen'
  created_at: Timestamp
  /** Where and when a member saw it too ("seen" only); the note is shown only when note_public. */
  seen_level: string | null
  seen_year: number | null
  seen_note: string | null
  note_public: Generated<number>
}

export type ApplicationResult = 'worked' | 'partly' | 'did-not'

/** A member applied one of a case's recommendations (by its position) and says how it went. */
export interface CaseApplicationsTable {
  case_id: number
  user_id: number
  recommendation: number
  result: ApplicationResult
  note: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CaseRevisionsTable {
  id: Generated<number>
  case_id: number
  editor_id: number | null
  snapshot_json: string
  note: string | null
  created_at: Timestamp
}

export interface CasesFtsTable {
  rowid: number
  title: string
  summary: string
  body: string
}

export const EVENT_FORMATS = ['in-person', 'virtual', 'hybrid'] as const
export type EventFormat = (typeof EVENT_FORMATS)[number]
export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const
export type EventStatus = (typeof EVENT_STATUSES)[number]
export const RSVP_ANSWERS = ['going', 'interested', 'not-going'] as const
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number]
export type RsvpStatus = RsvpAnswer | 'waitlisted'

export interface EventsTable {
  id: Generated<number>
  slug: string
  title: string
  kind: string
  description_md: string
  description_html: string
  starts_at: Timestamp
  ends_at: Timestamp
  time_zone: string
  format: EventFormat
  venue: string | null
  address: string | null
  join_url: string | null
  capacity: number | null
  rsvp_deadline: Timestamp | null
  hosts: string
  speakers: string
  status: Generated<EventStatus>
  recap_md: string | null
  recap_html: string | null
  recap_links_json: Generated<string>
  sequence: Generated<number>
  going_count: Generated<number>
  waitlist_count: Generated<number>
  interested_count: Generated<number>
  created_by_id: number | null
  is_demo: Generated<number>
  source_key: string | null
  source_hash: string | null
  cancelled_at: Timestamp | null
  /** The organizer's message to attendees when cancelling. */
  cancellation_message: string | null
  /** When the 24-hour reminder went to the going list; set once. */
  reminded_at: Timestamp | null
  /** People who came without an RSVP, as the organizer counted them. */
  walk_in_count: Generated<number>
  /** Attended RSVPs plus walk-ins; null until an organizer records attendance. */
  attended_count: number | null
  attendance_recorded_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EventThemesTable {
  event_id: number
  term_id: number
}

export interface RsvpsTable {
  event_id: number
  user_id: number
  status: RsvpStatus
  waitlist_ticket: number | null
  /** 1 when an organizer recorded that this member came. */
  attended: Generated<number>
  /** 1 when the member chose to be named under "who's going". */
  shown_as_going: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ActivitiesTable {
  id: Generated<number>
  kind: string
  actor_id: number | null
  thread_id: number | null
  post_id: number | null
  case_id: number | null
  event_id: number | null
  data_json: Generated<string>
  created_at: Timestamp
  processed_at: Timestamp | null
}

export interface NotificationsTable {
  id: Generated<number>
  user_id: number
  kind: string
  reason: string
  actor_id: number | null
  thread_id: number | null
  post_id: number | null
  case_id: number | null
  event_id: number | null
  count: Generated<number>
  data_json: Generated<string>
  created_at: Timestamp
  updated_at: Timestamp
  read_at: Timestamp | null
}

export const FOLLOW_TARGETS = ['thread', 'category', 'theme', 'event'] as const
export type FollowTarget = (typeof FOLLOW_TARGETS)[number]
export const THREAD_LEVELS = ['watching', 'tracking', 'normal', 'muted'] as const
export type FollowLevel = (typeof THREAD_LEVELS)[number]

export interface FollowsTable {
  user_id: number
  target_type: FollowTarget
  target_id: number
  level: FollowLevel
  created_at: Timestamp
  updated_at: Timestamp
}

export const EMAIL_DELIVERIES = ['immediately', 'daily', 'weekly', 'never'] as const
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number]

export interface EmailPreferencesTable {
  user_id: number
  kind: string
  delivery: EmailDelivery
  updated_at: Timestamp
}

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export interface MailOutboxTable {
  id: Generated<number>
  user_id: number | null
  to_address: string
  kind: string
  notification_id: number | null
  message_id: string
  thread_key: string | null
  subject: Generated<string>
  text_body: Generated<string>
  html_body: Generated<string>
  status: Generated<OutboxStatus>
  attempts: Generated<number>
  due_at: Timestamp
  lease_until: Timestamp | null
  lease_owner: string | null
  last_error: string | null
  sent_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MailSummariesTable {
  user_id: number
  frequency: 'daily' | 'weekly'
  period_key: string
  outbox_id: number | null
  created_at: Timestamp
}

export interface CalendarTokensTable {
  user_id: number
  token_hash: string
  created_at: Timestamp
}

export interface ReadinessQuestionsTable {
  id: Generated<number>
  /** Stable key of the question (its content file name without the order prefix). */
  slug: string
  position: number
  area: string
  question: string
  guidance_md: string
  guidance_html: string
  looks_like_json: string
  source_hash: string
}

export interface ReadinessQuestionFailureModesTable {
  question_id: number
  term_id: number
  position: number
}

export interface ReadinessAssessmentsTable {
  id: Generated<number>
  user_id: number
  project_name: string
  project_key: string
  created_at: Timestamp
}

/** 0 not yet, 1 partly, 2 mostly, 3 fully. */
export type ReadinessLevel = 0 | 1 | 2 | 3

export interface ReadinessAnswersTable {
  assessment_id: number
  question_slug: string
  level: number
  note: string | null
}

export interface TeamAssessmentsTable {
  id: Generated<number>
  project_name: string
  owner_id: number
  /** SHA-256 of the revocable invite link's token; null when there is none. */
  invite_link_hash: string | null
  /** SHA-256 of the read-only share link's token; null when there is none. */
  share_link_hash: string | null
  is_demo: Generated<number>
  created_at: Timestamp
}

export interface TeamParticipantsTable {
  assessment_id: number
  user_id: number
  side: string
  joined_at: Timestamp
}

export interface TeamInvitationsTable {
  id: Generated<number>
  assessment_id: number
  email: string
  token_hash: string
  invited_by: number | null
  created_at: Timestamp
  accepted_at: Timestamp | null
}

export interface TeamRoundsTable {
  id: Generated<number>
  assessment_id: number
  number: number
  opened_at: Timestamp
}

export interface TeamQuestionsTable {
  id: Generated<number>
  round_id: number
  area: string
  question: string
  created_at: Timestamp
}

export interface TeamResponsesTable {
  round_id: number
  user_id: number
  side: string
  submitted_at: Timestamp
}

export interface TeamAnswersTable {
  round_id: number
  user_id: number
  question_key: string
  level: number
  note: string | null
}

export interface TeamRemindersTable {
  round_id: number
  user_id: number
  sent_at: Timestamp
}

export interface TeamCommentsTable {
  id: Generated<number>
  assessment_id: number
  question_key: string
  author_id: number | null
  body_md: string
  body_html: string
  created_at: Timestamp
}

/** External-content FTS5 indexes kept in step by triggers (migration 0006). */
export interface PostsFtsTable {
  rowid: number
  body_md: string
}
export interface ThreadsFtsTable {
  rowid: number
  title: string
}
export interface EventsFtsTable {
  rowid: number
  title: string
  description_md: string
}

/** Rate-limit token buckets (migration 0008), read and written by rate-limit.server.ts. */
export interface RateLimitBucketsTable {
  limiter: string
  key: string
  tokens: number
  updated_at_ms: number
}

export const EMAIL_TOKEN_PURPOSES = ['reset-password', 'verify-email', 'change-email', 'undo-email-change'] as const
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number]

/** Tokens sent by email (migration 0011); only their SHA-256 is stored. */
export interface EmailTokensTable {
  id: Generated<number>
  purpose: EmailTokenPurpose
  user_id: number
  token_hash: string
  /** The address the token is about (the new one for a change, the old one for its undo). */
  email: string
  expires_at: Timestamp
  used_at: Timestamp | null
  created_at: Timestamp
}

/** What each committed write changed, as page-cache tags (db/client.ts writes it). */
export interface PageChangesTable {
  id: Generated<number>
  tags: string
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  taxonomy_terms: TaxonomyTermsTable
  categories: CategoriesTable
  threads: ThreadsTable
  posts: PostsTable
  post_revisions: PostRevisionsTable
  thread_tags: ThreadTagsTable
  post_helpful: PostHelpfulTable
  post_mentions: PostMentionsTable
  thread_reads: ThreadReadsTable
  flags: FlagsTable
  moderation_log: ModerationLogTable
  appeals: AppealsTable
  site_pages: SitePagesTable
  cases: CasesTable
  case_applications: CaseApplicationsTable
  case_failure_modes: CaseFailureModesTable
  case_phases: CasePhasesTable
  case_reactions: CaseReactionsTable
  case_revisions: CaseRevisionsTable
  cases_fts: CasesFtsTable
  events: EventsTable
  event_themes: EventThemesTable
  rsvps: RsvpsTable
  activities: ActivitiesTable
  notifications: NotificationsTable
  follows: FollowsTable
  email_preferences: EmailPreferencesTable
  mail_outbox: MailOutboxTable
  mail_summaries: MailSummariesTable
  calendar_tokens: CalendarTokensTable
  readiness_questions: ReadinessQuestionsTable
  readiness_question_failure_modes: ReadinessQuestionFailureModesTable
  readiness_assessments: ReadinessAssessmentsTable
  readiness_answers: ReadinessAnswersTable
  team_assessments: TeamAssessmentsTable
  team_participants: TeamParticipantsTable
  team_invitations: TeamInvitationsTable
  team_rounds: TeamRoundsTable
  team_questions: TeamQuestionsTable
  team_responses: TeamResponsesTable
  team_answers: TeamAnswersTable
  team_reminders: TeamRemindersTable
  team_comments: TeamCommentsTable
  posts_fts: PostsFtsTable
  threads_fts: ThreadsFtsTable
  events_fts: EventsFtsTable
  rate_limit_buckets: RateLimitBucketsTable
  page_changes: PageChangesTable
  email_tokens: EmailTokensTable
  member_experience: MemberExperienceTable
  handle_history: HandleHistoryTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type TaxonomyTerm = Selectable<TaxonomyTermsTable>
export type Category = Selectable<CategoriesTable>
export type OutboxMessage = Selectable<MailOutboxTable>
export type Notification = Selectable<NotificationsTable>
