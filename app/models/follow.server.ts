import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database, FollowLevel, FollowTarget } from '../../db/schema'
import { type Outcome, ok, refuse } from '../lib/outcome'

/** A thread nobody chose a level for is "normal": you hear only when mentioned or quoted. */
export const DEFAULT_THREAD_LEVEL: FollowLevel = 'normal'

/** Starting or replying to a thread makes you tracking it, unless you already chose a level. */
export async function trackThreadByDefault(trx: Kysely<Database>, userId: number, threadId: number, now: string): Promise<void> {
  await trx
    .insertInto('follows')
    .values({ user_id: userId, target_type: 'thread', target_id: threadId, level: 'tracking', created_at: now, updated_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** How the member follows something, or undefined when they made no choice. */
async function chosenLevel(userId: number, targetType: FollowTarget, targetId: number): Promise<FollowLevel | undefined> {
  const row = await db
    .selectFrom('follows')
    .select('level')
    .where('user_id', '=', userId)
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .executeTakeFirst()
  return row?.level
}

export async function getThreadLevel(userId: number, threadId: number): Promise<FollowLevel> {
  return (await chosenLevel(userId, 'thread', threadId)) ?? DEFAULT_THREAD_LEVEL
}

export async function isFollowing(userId: number, targetType: Exclude<FollowTarget, 'thread'>, targetId: number): Promise<boolean> {
  return (await chosenLevel(userId, targetType, targetId)) === 'watching'
}

async function targetExists(trx: Kysely<Database>, targetType: FollowTarget, targetId: number): Promise<boolean> {
  switch (targetType) {
    case 'thread':
      return !!(await trx.selectFrom('threads').select('id').where('id', '=', targetId).where('deleted_at', 'is', null).executeTakeFirst())
    case 'category':
      return !!(await trx.selectFrom('categories').select('id').where('id', '=', targetId).executeTakeFirst())
    case 'theme':
      return !!(await trx.selectFrom('taxonomy_terms').select('id').where('id', '=', targetId).where('facet', '=', 'failure-mode').executeTakeFirst())
    case 'event':
      return !!(await trx.selectFrom('events').select('id').where('id', '=', targetId).where('status', '!=', 'draft').executeTakeFirst())
  }
}

/**
 * Sets how a member follows something: a thread's level, or following (watching) a category,
 * theme or event. `null` stops following; for a thread, "normal" is the same as no choice.
 */
export async function setFollow(userId: number, targetType: FollowTarget, targetId: number, level: FollowLevel | null): Promise<Outcome> {
  if (targetType !== 'thread' && level !== null && level !== 'watching') return refuse(400, 'Choose follow or unfollow.', 'level')
  return writeTransaction(async (trx) => {
    if (!(await targetExists(trx, targetType, targetId))) return refuse(404, 'There is nothing to follow at this address.')
    const now = new Date().toISOString()
    if (level === null) {
      await trx
        .deleteFrom('follows')
        .where('user_id', '=', userId)
        .where('target_type', '=', targetType)
        .where('target_id', '=', targetId)
        .execute()
      return ok()
    }
    await trx
      .insertInto('follows')
      .values({ user_id: userId, target_type: targetType, target_id: targetId, level, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'target_type', 'target_id']).doUpdateSet({ level, updated_at: now }))
      .execute()
    return ok()
  })
}

export interface FollowedItem {
  targetType: FollowTarget
  targetId: number
  level: FollowLevel
  title: string
  href: string
}

/** Everything a member follows (and the threads they tuned), for the settings page. */
export async function listFollows(userId: number): Promise<FollowedItem[]> {
  const rows = await db
    .selectFrom('follows as f')
    .leftJoin('threads as t', (join) => join.onRef('t.id', '=', 'f.target_id').on('f.target_type', '=', 'thread').on('t.deleted_at', 'is', null))
    .leftJoin('categories as c', (join) => join.onRef('c.id', '=', 'f.target_id').on('f.target_type', '=', 'category'))
    .leftJoin('taxonomy_terms as term', (join) => join.onRef('term.id', '=', 'f.target_id').on('f.target_type', '=', 'theme'))
    .leftJoin('events as e', (join) => join.onRef('e.id', '=', 'f.target_id').on('f.target_type', '=', 'event').on('e.status', '!=', 'draft'))
    .select([
      'f.target_type',
      'f.target_id',
      'f.level',
      't.title as thread_title',
      't.slug as thread_slug',
      'c.name as category_name',
      'c.slug as category_slug',
      'term.name as theme_name',
      'term.slug as theme_slug',
      'e.title as event_title',
      'e.slug as event_slug',
    ])
    .where('f.user_id', '=', userId)
    .where('f.level', '!=', 'normal')
    .orderBy('f.target_type')
    .orderBy('f.updated_at', 'desc')
    .limit(500)
    .execute()
  const items: FollowedItem[] = []
  for (const row of rows) {
    const base = { targetType: row.target_type, targetId: row.target_id, level: row.level }
    if (row.target_type === 'thread' && row.thread_title) {
      items.push({ ...base, title: row.thread_title, href: `/discussions/${row.target_id}/${row.thread_slug}` })
    } else if (row.target_type === 'category' && row.category_name) {
      items.push({ ...base, title: row.category_name, href: `/discussions/c/${row.category_slug}` })
    } else if (row.target_type === 'theme' && row.theme_name) {
      items.push({ ...base, title: row.theme_name, href: `/cases/themes/${row.theme_slug}` })
    } else if (row.target_type === 'event' && row.event_title) {
      items.push({ ...base, title: row.event_title, href: `/events/${row.target_id}/${row.event_slug}` })
    }
  }
  return items
}
