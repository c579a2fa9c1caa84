import { type Kysely, sql } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import { FORMER_MEMBER_NAME, formerMemberHandle } from '../lib/member-labels'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { verifyPassword } from '../lib/password.server'
import type { DeletionChoice } from '../lib/user-validation'
import { withdrawAllRsvps } from './event-rsvp.server'
import { HANDLE_RESERVATION_DAYS } from '../lib/handle-rules'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Every table that holds a secret letting someone act as the member or read their private data,
 * so deleting an account ends all of them. A new table of tokens belongs here.
 */
export async function eraseAccountTokens(trx: Kysely<Database>, userId: number): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
  await trx.deleteFrom('calendar_tokens').where('user_id', '=', userId).execute()
  await trx.deleteFrom('email_tokens').where('user_id', '=', userId).execute()
}

/**
 * The member deletes their account, confirmed by their password, in one transaction. The user row
 * stays as a tombstone with no personal data that can never sign in, so what they wrote can stay
 * credited to "a former member" (`keep`) without the foreign keys taking it away; `remove` erases
 * their posts the way an author deletes a post, leaving others' replies readable. Published cases
 * stay in the library (anonymous ones anonymous); unpublished cases, assessments, RSVPs (freeing
 * their places for the waitlist), follows, preferences, notifications, mail and tokens go.
 */
export async function deleteAccount(
  userId: number,
  password: string,
  choice: DeletionChoice,
  now = new Date(),
): Promise<Outcome> {
  const user = await db
    .selectFrom('users')
    .select(['password_hash', 'deleted_at'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!user || user.deleted_at || !user.password_hash) return refuse(404, 'This account no longer exists.')
  if (!(await verifyPassword(user.password_hash, password))) return refuse(400, 'Your password is not correct', 'password')

  const nowIso = now.toISOString()
  return writeTransaction(async (trx) => {
    const member = await trx
      .selectFrom('users')
      .select(['email', 'handle', 'deleted_at'])
      .where('id', '=', userId)
      .executeTakeFirst()
    // A second submission racing the first finds the account already gone.
    if (!member || member.deleted_at) return refuse(404, 'This account no longer exists.')

    if (choice === 'remove') await removeAuthoredPosts(trx, userId, nowIso)
    await trx.deleteFrom('cases').where('author_id', '=', userId).where('status', '!=', 'published').execute()
    await withdrawAllRsvps(trx, userId, now)
    await eraseAccountTokens(trx, userId)
    for (const table of [
      'readiness_assessments',
      'follows',
      'email_preferences',
      'notifications',
      'mail_outbox',
      'mail_summaries',
      'thread_reads',
      'post_mentions',
      'member_experience',
    ] as const) {
      await trx.deleteFrom(table).where('user_id', '=', userId).execute()
    }
    await trx.deleteFrom('rate_limit_buckets').where(sql<boolean>`substr(key, ${-(member.email.length + 1)}) = ${`:${member.email}`}`).execute()

    // Their handles stay out of others' reach for a while (old links and mentions must not lead to
    // a newcomer), but no longer point at anyone.
    const reservedUntil = new Date(now.getTime() + HANDLE_RESERVATION_DAYS * DAY_MS).toISOString()
    await trx.updateTable('handle_history').set({ user_id: null, reserved_until: reservedUntil }).where('user_id', '=', userId).execute()
    await trx
      .insertInto('handle_history')
      .values({ handle: member.handle, user_id: null, retired_at: nowIso, reserved_until: reservedUntil })
      .execute()

    await trx
      .updateTable('users')
      .set({
        email: formerMemberHandle(userId),
        handle: formerMemberHandle(userId),
        display_name: FORMER_MEMBER_NAME,
        password_hash: null,
        role: 'member',
        member_type: 'practitioner',
        organization: null,
        government_level: 'not-government',
        time_zone: null,
        email_verified_at: null,
        silenced_until: null,
        suspended_until: null,
        public_servant_verified_by: null,
        bio_md: '',
        bio_html: '',
        job_title: null,
        listed_in_directory: 0,
        deleted_at: nowIso,
        updated_at: nowIso,
      })
      .where('id', '=', userId)
      .execute()
    return ok()
  })
}

/**
 * Erases the text of every post the member wrote, as "deleted by its author" placeholders so
 * numbering and others' replies hold. A thread they started goes with it unless others replied,
 * in which case it stays for those replies. Thread counts and accepted answers follow.
 */
async function removeAuthoredPosts(trx: Kysely<Database>, userId: number, nowIso: string): Promise<void> {
  const posts = await trx.selectFrom('posts').select(['id', 'thread_id']).where('author_id', '=', userId).execute()
  if (!posts.length) return
  const postIds = posts.map((p) => p.id)
  const threadIds = [...new Set(posts.map((p) => p.thread_id))]
  await trx.deleteFrom('post_revisions').where('post_id', 'in', postIds).execute()
  await trx.updateTable('posts').set({ is_deleted: 1, body_md: '', body_html: '' }).where('author_id', '=', userId).execute()

  await trx
    .updateTable('threads')
    .set({ deleted_at: nowIso, updated_at: nowIso })
    .where('author_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posts')
            .select('posts.id')
            .whereRef('posts.thread_id', '=', 'threads.id')
            .where('posts.number', '>', 1)
            .where('posts.is_deleted', '=', 0),
        ),
      ),
    )
    .execute()
  await trx
    .updateTable('threads')
    .set({
      reply_count: sql<number>`(select count(*) from posts where posts.thread_id = threads.id and posts.number > 1 and posts.is_deleted = 0)`,
      helpful_count: sql<number>`(select coalesce(sum(helpful_count), 0) from posts where posts.thread_id = threads.id and posts.is_deleted = 0)`,
      accepted_post_id: sql<number | null>`case when accepted_post_id in (select id from posts where author_id = ${userId}) then null else accepted_post_id end`,
      updated_at: nowIso,
    })
    .where('id', 'in', threadIds)
    .execute()
}
