import type { Kysely } from 'kysely'
import { db, writeTransaction } from '../../db/client'
import type { Database } from '../../db/schema'
import type { CategoryInput } from '../lib/category-validation'
import { renderMarkdown } from '../lib/markdown.server'
import { type Outcome, ok, refuse } from '../lib/outcome'
import { type Actor, hasRole } from '../lib/roles'
import { slugify } from '../lib/slug'
import { logAction } from './moderation.server'
import type { UpsertOutcome } from './taxonomy.server'

export interface CategorySource {
  slug: string
  name: string
  description: string
  position: number
}

export async function upsertCategory(
  category: CategorySource,
  sourceHash: string,
  trx: Kysely<Database> = db,
): Promise<UpsertOutcome> {
  const existing = await trx
    .selectFrom('categories')
    .select('source_hash')
    .where('slug', '=', category.slug)
    .executeTakeFirst()
  if (existing?.source_hash === sourceHash || existing?.source_hash === ADMIN_EDITED) return 'unchanged'
  const values = {
    name: category.name,
    description_md: category.description,
    description_html: renderMarkdown(category.description),
    position: category.position,
    source_hash: sourceHash,
  }
  await trx
    .insertInto('categories')
    .values({ slug: category.slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute()
  return existing ? 'updated' : 'inserted'
}

export function listCategories() {
  return db
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'description_html as descriptionHtml'])
    .orderBy('position')
    .execute()
}

export function getCategory(slug: string) {
  return db
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'description_html as descriptionHtml'])
    .where('slug', '=', slug)
    .executeTakeFirst()
}

/**
 * The source_hash of a category an admin has added or changed in the UI: the seed leaves it
 * alone from then on, whatever its file says, and never deletes it.
 */
export const ADMIN_EDITED = 'admin'

export interface AdminCategory {
  id: number
  slug: string
  name: string
  descriptionMd: string
  position: number
  editedByAdmin: boolean
}

export async function listCategoriesForAdmin(): Promise<AdminCategory[]> {
  const rows = await db
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'description_md', 'position', 'source_hash'])
    .orderBy('position')
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    descriptionMd: row.description_md,
    position: row.position,
    editedByAdmin: row.source_hash === ADMIN_EDITED,
  }))
}

const onlyAdmins = () => refuse(403, 'Only administrators can change categories.')

/** An admin adds a category; its slug comes from the name and must be unused. */
export async function addCategory(actor: Actor, input: CategoryInput): Promise<Outcome<{ slug: string }>> {
  if (!hasRole(actor, 'admin')) return onlyAdmins()
  const slug = slugify(input.name, 60, '')
  if (!slug) return refuse(400, 'Name must contain letters or digits', 'name')
  return writeTransaction(async (trx) => {
    const clash = await trx.selectFrom('categories').select('name').where('slug', '=', slug).executeTakeFirst()
    if (clash) return refuse(409, `A category with this address already exists (${clash.name}); choose another name`, 'name')
    const last = await trx.selectFrom('categories').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst()
    await trx
      .insertInto('categories')
      .values({
        slug,
        name: input.name,
        description_md: input.description,
        description_html: renderMarkdown(input.description),
        position: (last?.position ?? 0) + 1,
        source_hash: ADMIN_EDITED,
      })
      .execute()
    await logAction(trx, { actorId: actor.id, action: 'category-add', details: input.name })
    return ok({ slug })
  })
}

/** An admin renames a category or rewrites its description; its slug (and so its links) stays. */
export async function editCategory(actor: Actor, categoryId: number, input: CategoryInput): Promise<Outcome> {
  if (!hasRole(actor, 'admin')) return onlyAdmins()
  return writeTransaction(async (trx) => {
    const category = await trx.selectFrom('categories').select('name').where('id', '=', categoryId).executeTakeFirst()
    if (!category) return refuse(404, 'This category no longer exists.')
    await trx
      .updateTable('categories')
      .set({
        name: input.name,
        description_md: input.description,
        description_html: renderMarkdown(input.description),
        source_hash: ADMIN_EDITED,
      })
      .where('id', '=', categoryId)
      .execute()
    const details = category.name === input.name ? input.name : `${category.name} → ${input.name}`
    await logAction(trx, { actorId: actor.id, action: 'category-edit', details })
    return ok()
  })
}

/** An admin swaps a category with its neighbour above or below; at either end it stays put. */
export async function moveCategory(actor: Actor, categoryId: number, direction: 'up' | 'down'): Promise<Outcome> {
  if (!hasRole(actor, 'admin')) return onlyAdmins()
  return writeTransaction(async (trx) => {
    const ordered = await trx.selectFrom('categories').select(['id', 'name', 'position']).orderBy('position').orderBy('id').execute()
    const index = ordered.findIndex((category) => category.id === categoryId)
    if (index === -1) return refuse(404, 'This category no longer exists.')
    const neighbour = ordered[direction === 'up' ? index - 1 : index + 1]
    if (!neighbour) return refuse(409, `This category is already ${direction === 'up' ? 'first' : 'last'}.`)
    const moving = ordered[index]
    // Two files may share an order: then the list is renumbered as shown before the swap.
    const positions =
      moving.position === neighbour.position ? ordered.map((_, i) => i + 1) : ordered.map((category) => category.position)
    const neighbourIndex = ordered.indexOf(neighbour)
    ;[positions[index], positions[neighbourIndex]] = [positions[neighbourIndex], positions[index]]
    for (const [i, category] of ordered.entries()) {
      const swapped = i === index || i === neighbourIndex
      if (!swapped && category.position === positions[i]) continue
      await trx
        .updateTable('categories')
        .set({ position: positions[i], ...(swapped ? { source_hash: ADMIN_EDITED } : {}) })
        .where('id', '=', category.id)
        .execute()
    }
    await logAction(trx, { actorId: actor.id, action: 'category-move', details: `${moving.name} ${direction}` })
    return ok()
  })
}
