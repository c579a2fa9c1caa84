// Category administration: only admins change categories, every change is logged, and the seed
// leaves a category an admin has changed alone even after its content file changes.
import '../helpers/test-db'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client'
import { DEFAULT_CONTENT_DIR, seedContent } from '../../db/seed'
import { addCategory, editCategory, listCategories, moveCategory } from '../../app/models/category.server'
import { insertMember, must } from '../helpers/model-fixtures'

const contentCopy = join(mkdtempSync(join(tmpdir(), 'sectorpulse-categories-')), 'content')
afterAll(() => rmSync(contentCopy, { recursive: true, force: true }))

beforeAll(async () => {
  cpSync(DEFAULT_CONTENT_DIR, contentCopy, { recursive: true })
  await seedContent({ contentDir: contentCopy, includeDemo: false })
})

const categoryRow = (slug: string) => db.selectFrom('categories').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow()
const lastLog = () => db.selectFrom('moderation_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()

describe('category administration', () => {
  it('refuses members and moderators, and changes nothing', async () => {
    const before = await db.selectFrom('categories').selectAll().orderBy('id').execute()
    for (const role of ['member', 'moderator'] as const) {
      const actor = await insertMember(role)
      const input = { name: `Forbidden ${role}`, description: 'Nope.' }
      expect(await addCategory(actor, input)).toMatchObject({ ok: false, status: 403 })
      expect(await editCategory(actor, before[0].id, input)).toMatchObject({ ok: false, status: 403 })
      expect(await moveCategory(actor, before[1].id, 'up')).toMatchObject({ ok: false, status: 403 })
    }
    expect(await db.selectFrom('categories').selectAll().orderBy('id').execute()).toEqual(before)
  })

  it('an admin adds a category at the end, with rendered Markdown and a logged action; a slug clash is a field error', async () => {
    const admin = await insertMember('admin')
    const added = must(await addCategory(admin, { name: 'Digital Identity & Trust', description: 'Logins for **everyone**.' }))
    expect(added.slug).toBe('digital-identity-and-trust')
    const row = await categoryRow('digital-identity-and-trust')
    expect(row.description_html).toContain('<strong>everyone</strong>')
    expect(row.source_hash).toBe('admin')
    expect((await listCategories()).at(-1)?.slug).toBe('digital-identity-and-trust')
    expect(await lastLog()).toMatchObject({ actor_id: admin.id, action: 'category-add', details: 'Digital Identity & Trust' })

    expect(await addCategory(admin, { name: 'Digital identity and trust', description: 'Again.' })).toMatchObject({ ok: false, status: 409, field: 'name' })
  })

  it('an admin renames a category; its slug stays and the log names both names', async () => {
    const admin = await insertMember('admin')
    const target = await categoryRow('ai-in-government')
    must(await editCategory(admin, target.id, { name: 'AI and automation', description: 'Models, _rules_ and people.' }))
    const row = await categoryRow('ai-in-government')
    expect(row).toMatchObject({ name: 'AI and automation', description_md: 'Models, _rules_ and people.', source_hash: 'admin' })
    expect(row.description_html).toContain('<em>rules</em>')
    expect(await lastLog()).toMatchObject({ action: 'category-edit', details: `${target.name} → AI and automation` })
    expect(await editCategory(admin, 999_999, { name: 'Nothing', description: 'None.' })).toMatchObject({ ok: false, status: 404 })
  })

  it('an admin moves a category up and down by swapping it with its neighbour; the ends refuse', async () => {
    const admin = await insertMember('admin')
    const slugs = async () => (await listCategories()).map((c) => c.slug)
    const before = await slugs()
    const second = (await listCategories())[1]
    must(await moveCategory(admin, second.id, 'up'))
    expect(await slugs()).toEqual([before[1], before[0], ...before.slice(2)])
    expect(await lastLog()).toMatchObject({ action: 'category-move', details: `${second.name} up` })
    must(await moveCategory(admin, second.id, 'down'))
    expect(await slugs()).toEqual(before)

    const ordered = await listCategories()
    expect(await moveCategory(admin, ordered[0].id, 'up')).toMatchObject({ ok: false, status: 409 })
    expect(await moveCategory(admin, ordered.at(-1)!.id, 'down')).toMatchObject({ ok: false, status: 409 })
  })

  it('the seed leaves an admin-edited category alone after its file changes, and keeps categories added in the UI', async () => {
    const file = join(contentCopy, 'categories/ai-in-government.md')
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\nAlso: **model cards**.\n`)
    const before = await categoryRow('ai-in-government')
    await seedContent({ contentDir: contentCopy, includeDemo: false })
    expect(await categoryRow('ai-in-government')).toEqual(before)
    expect(await categoryRow('digital-identity-and-trust')).toBeTruthy()
  })
})
