// Migration 0018 moves the headings of member text already stored to where new text now renders
// them (renderMarkdown's headingsUnder): a reply's "#" from h1 to h4, a bio's to h2, and so on.
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { renderMarkdown, SHOWN_UNDER } from '../../app/lib/markdown.server'
import { insertRow as insert, upgradeDatabase } from '../helpers/upgrade-db'

const { path, database, migrator } = upgradeDatabase('0018')
afterAll(() => database.destroy())

const smallTyped = '#### Four\n\nText\n\n###### Six'
const typed = '# One\n\n## Two\n\n### Three\n\n#### Four\n\nText with `<h1>` in code.\n\n```\n<h2>in a block</h2>\n```'

describe('migration 0018-nested-headings', () => {
  it('stores old HTML exactly as the renderer now writes it, for each kind of text', async () => {
    expect((await migrator.migrateTo('0017-page-changes')).error).toBeUndefined()

    const asTyped = renderMarkdown(typed)
    expect(asTyped).toContain('<h1>One</h1>')
    const raw = new Database(path)
    const author = insert(raw, 'users', { email: 'a@x.example', handle: 'author', display_name: 'Author', role: 'member', member_type: 'leader', government_level: 'state', bio_html: asTyped })
    const category = insert(raw, 'categories', { slug: 'c', name: 'C' })
    const thread = insert(raw, 'threads', { category_id: category, author_id: author, title: 'T', slug: 't' })
    const opening = insert(raw, 'posts', { thread_id: thread, author_id: author, number: 1, body_md: typed, body_html: asTyped })
    const post = insert(raw, 'posts', { thread_id: thread, author_id: author, number: 2, body_md: typed, body_html: asTyped })
    insert(raw, 'post_revisions', { post_id: opening, body_md: typed, body_html: asTyped })
    insert(raw, 'post_revisions', { post_id: post, body_md: typed, body_html: asTyped })
    // Only small headings, as typed: the highest still becomes the level under the post's own.
    const small = insert(raw, 'posts', { thread_id: thread, author_id: author, number: 3, body_md: smallTyped, body_html: renderMarkdown(smallTyped) })
    const caseId = insert(raw, 'cases', { slug: 'case', status: 'published', author_id: author, what_happened_html: asTyped })
    const event = insert(raw, 'events', { slug: 'e', title: 'E', format: 'virtual', kind: 'webinar', description_html: asTyped, recap_html: asTyped })
    const team = insert(raw, 'team_assessments', { project_name: 'P', owner_id: author })
    const comment = insert(raw, 'team_comments', { assessment_id: team, question_key: 'q', author_id: author, body_md: typed, body_html: asTyped })
    const plain = insert(raw, 'events', { slug: 'f', title: 'F', format: 'virtual', kind: 'webinar', description_html: '<p>No headings</p>\n', recap_html: null })
    raw.close()

    expect((await migrator.migrateToLatest()).error).toBeUndefined()
    const as = (under: keyof typeof SHOWN_UNDER) => renderMarkdown(typed, { headingsUnder: SHOWN_UNDER[under] })
    const one = <T>(query: { executeTakeFirstOrThrow: () => Promise<T> }) => query.executeTakeFirstOrThrow()
    const postHtml = async (id: number) => (await one(database.selectFrom('posts').select('body_html').where('id', '=', id))).body_html
    const revisionHtml = async (id: number) => (await one(database.selectFrom('post_revisions').select('body_html').where('post_id', '=', id))).body_html
    expect(await postHtml(opening)).toBe(as('openingPost'))
    expect(await revisionHtml(opening)).toBe(as('openingPost'))
    expect(await postHtml(post)).toBe(as('reply'))
    expect(await revisionHtml(post)).toBe(as('reply'))
    expect(await postHtml(small)).toBe(renderMarkdown(smallTyped, { headingsUnder: SHOWN_UNDER.reply }))
    expect(await postHtml(small)).toBe('<h4>Four</h4>\n<p>Text</p>\n<h6>Six</h6>\n')
    expect((await one(database.selectFrom('cases').select('what_happened_html').where('id', '=', caseId))).what_happened_html).toBe(as('caseNarrative'))
    const events = await database.selectFrom('events').select(['id', 'description_html', 'recap_html']).orderBy('id').execute()
    expect(events).toEqual([
      { id: event, description_html: as('eventText'), recap_html: as('eventText') },
      { id: plain, description_html: '<p>No headings</p>\n', recap_html: null },
    ])
    expect((await one(database.selectFrom('team_comments').select('body_html').where('id', '=', comment))).body_html).toBe(as('teamComment'))
    expect((await one(database.selectFrom('users').select('bio_html').where('id', '=', author))).bio_html).toBe(as('bio'))
    // Code that shows a heading tag is stored escaped and kept as it was.
    expect(as('reply')).toContain('&lt;h1&gt;')
  })
})
