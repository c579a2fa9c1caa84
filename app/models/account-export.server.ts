import { db } from '../../db/client'
import { levelLabel } from '../lib/readiness-form'
import { SNAPSHOT_FIELDS } from './case-content.server'
import { getEmailPreferences } from './email-preference.server'

const parseJson = (text: string | null): unknown => (text ? JSON.parse(text) : null)

/**
 * Everything a member wrote or saved, for them to take away: their profile, threads, posts (the
 * Markdown they wrote), cases in every state (anonymous ones too: they are theirs), case versions
 * they made, reactions, flags, RSVPs, assessments, follows and preferences. Only their own rows:
 * nothing here names or describes another member beyond the titles of what they took part in.
 */
export async function exportAccount(userId: number, now = new Date()) {
  const [
    user,
    previousHandles,
    experience,
    threads,
    posts,
    cases,
    caseRevisions,
    caseReactions,
    helpfulMarks,
    flags,
    rsvps,
    assessments,
    answers,
    follows,
    emailPreferences,
    calendarFeed,
  ] = await Promise.all([
    db
      .selectFrom('users')
      .select([
        'handle',
        'email',
        'display_name',
        'member_type',
        'organization',
        'government_level',
        'job_title',
        'bio_md',
        'listed_in_directory',
        'role',
        'time_zone',
        'email_verified_at',
        'public_servant_verified_by',
        'created_at',
        'updated_at',
      ])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('handle_history').select(['handle', 'retired_at']).where('user_id', '=', userId).orderBy('retired_at').execute(),
    db
      .selectFrom('member_experience as e')
      .innerJoin('taxonomy_terms as t', 't.id', 'e.term_id')
      .select(['t.facet', 't.slug', 't.name'])
      .where('e.user_id', '=', userId)
      .execute(),
    db
      .selectFrom('threads as t')
      .innerJoin('categories as c', 'c.id', 't.category_id')
      .select(['t.id', 't.title', 't.slug', 'c.slug as category', 't.created_at', 't.deleted_at'])
      .where('t.author_id', '=', userId)
      .orderBy('t.id')
      .execute(),
    db
      .selectFrom('posts as p')
      .innerJoin('threads as t', 't.id', 'p.thread_id')
      .select(['p.id', 'p.thread_id', 't.title as thread_title', 'p.number', 'p.body_md', 'p.is_deleted', 'p.hidden_at', 'p.created_at', 'p.edited_at'])
      .where('p.author_id', '=', userId)
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('cases')
      .select([
        'id',
        'slug',
        'status',
        'is_anonymous',
        'anonymous_label',
        // A case's whole text: the fields every revision keeps.
        ...SNAPSHOT_FIELDS,
        'first_hand',
        'review_feedback',
        'draft_json',
        'submitted_at',
        'published_at',
        'created_at',
        'updated_at',
      ])
      .where('author_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('case_revisions as r')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select(['c.slug as case_slug', 'r.snapshot_json', 'r.note', 'r.created_at'])
      .where('r.editor_id', '=', userId)
      .orderBy('r.id')
      .execute(),
    db
      .selectFrom('case_reactions as r')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select(['c.slug as case_slug', 'c.title as case_title', 'r.kind', 'r.created_at'])
      .where('r.user_id', '=', userId)
      .orderBy('r.created_at')
      .execute(),
    db.selectFrom('post_helpful').select(['post_id', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('flags').select(['post_id', 'reason', 'note', 'status', 'created_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db
      .selectFrom('rsvps as r')
      .innerJoin('events as e', 'e.id', 'r.event_id')
      .select(['e.id as event_id', 'e.title as event_title', 'e.starts_at', 'r.status', 'r.created_at', 'r.updated_at'])
      .where('r.user_id', '=', userId)
      .orderBy('e.starts_at')
      .execute(),
    db
      .selectFrom('readiness_assessments')
      .select(['id', 'project_name', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('readiness_answers as a')
      .innerJoin('readiness_assessments as s', 's.id', 'a.assessment_id')
      .leftJoin('readiness_questions as q', 'q.slug', 'a.question_slug')
      .select(['a.assessment_id', 'a.question_slug', 'q.area', 'q.question', 'a.level', 'a.note'])
      .where('s.user_id', '=', userId)
      .execute(),
    db.selectFrom('follows').select(['target_type', 'target_id', 'level', 'created_at']).where('user_id', '=', userId).execute(),
    getEmailPreferences(userId),
    db.selectFrom('calendar_tokens').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
  ])

  return {
    exportedAt: now.toISOString(),
    about: 'Everything you wrote or saved on SectorPulse. Passwords, sessions and private addresses are never included.',
    profile: {
      handle: user.handle,
      previousHandles: previousHandles.map((h) => ({ handle: h.handle, until: h.retired_at })),
      email: user.email,
      emailVerifiedAt: user.email_verified_at,
      displayName: user.display_name,
      memberType: user.member_type,
      organization: user.organization,
      governmentLevel: user.government_level,
      jobTitle: user.job_title,
      bio: user.bio_md,
      experience: experience.map((term) => ({ facet: term.facet, slug: term.slug, name: term.name })),
      listedInDirectory: user.listed_in_directory === 1,
      verifiedPublicServant: user.public_servant_verified_by,
      role: user.role,
      timeZone: user.time_zone,
      joinedAt: user.created_at,
      updatedAt: user.updated_at,
    },
    threads: threads.map((t) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      path: `/discussions/${t.id}/${t.slug}`,
      createdAt: t.created_at,
      deletedAt: t.deleted_at,
    })),
    posts: posts.map((p) => ({
      id: p.id,
      threadId: p.thread_id,
      threadTitle: p.thread_title,
      number: p.number,
      markdown: p.body_md,
      deleted: p.is_deleted === 1,
      hidden: p.hidden_at !== null,
      createdAt: p.created_at,
      editedAt: p.edited_at,
    })),
    cases: cases.map((c) => ({
      slug: c.slug,
      status: c.status,
      anonymous: c.is_anonymous === 1,
      anonymousLabel: c.anonymous_label,
      title: c.title,
      summary: c.summary,
      level: c.level,
      domain: c.domain,
      outcome: c.outcome,
      jurisdiction: c.jurisdiction,
      budgetBand: c.budget_band,
      contractModel: c.contract_model,
      years: c.years,
      outcomeDetail: c.outcome_detail,
      whatHappened: c.what_happened_md,
      rootCauses: parseJson(c.root_causes_json),
      lessons: parseJson(c.lessons_json),
      recommendations: parseJson(c.recommendations_json),
      correctiveActions: parseJson(c.corrective_actions_json),
      sources: parseJson(c.sources_json),
      firstHand: c.first_hand === 1,
      reviewFeedback: c.review_feedback,
      draft: parseJson(c.draft_json),
      submittedAt: c.submitted_at,
      publishedAt: c.published_at,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    })),
    caseRevisions: caseRevisions.map((r) => ({ caseSlug: r.case_slug, snapshot: parseJson(r.snapshot_json), note: r.note, createdAt: r.created_at })),
    caseReactions: caseReactions.map((r) => ({
      caseSlug: r.case_slug,
      caseTitle: r.case_title,
      kind: r.kind === 'seen' ? 'seen this too' : 'helpful',
      createdAt: r.created_at,
    })),
    helpfulMarks: helpfulMarks.map((m) => ({ postId: m.post_id, createdAt: m.created_at })),
    flags: flags.map((f) => ({ postId: f.post_id, reason: f.reason, note: f.note, status: f.status, createdAt: f.created_at })),
    rsvps: rsvps.map((r) => ({
      eventId: r.event_id,
      eventTitle: r.event_title,
      startsAt: r.starts_at,
      answer: r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    readinessAssessments: assessments.map((a) => ({
      id: a.id,
      projectName: a.project_name,
      createdAt: a.created_at,
      answers: answers
        .filter((answer) => answer.assessment_id === a.id)
        // In the words the member chose them in, so the file reads without the site.
        .map((answer) => ({
          question: answer.question_slug,
          area: answer.area,
          questionText: answer.question,
          answer: levelLabel(answer.level),
          note: answer.note,
        })),
    })),
    follows: follows.map((f) => ({ targetType: f.target_type, targetId: f.target_id, level: f.level, since: f.created_at })),
    emailPreferences,
    privateCalendarFeed: calendarFeed ? { createdAt: calendarFeed.created_at } : null,
  }
}

export type AccountExport = Awaited<ReturnType<typeof exportAccount>>

/** The download's file name: the handle and the date, e.g. sectorpulse-pat-2026-12-02.json. */
export const exportFileName = (handle: string, now = new Date()) => `sectorpulse-${handle}-${now.toISOString().slice(0, 10)}.json`
