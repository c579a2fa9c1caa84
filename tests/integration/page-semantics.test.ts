// What a screen reader and an HTML checker meet before a page's content: a title naming what
// the page shows (its query, filters, page, event or draft), required selects that open on an
// empty placeholder, and error summaries whose links land on a control, never a fieldset or a
// message.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { threadByNewMember } from '../helpers/write-load'
import { eventForm, postFields } from './events-support'
import { caseForm, decodeHtml, mainOf, makeEstablished, openServerDatabase, type Person, signedIn, titleOf } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

let member: Person
let moderator: Person
beforeAll(async () => {
  member = await signedIn(db)
  moderator = await signedIn(db, 'moderator')
})

async function titleAt(path: string, client = new HttpClient()) {
  const response = await client.get(path)
  expect(response.status, path).toBe(200)
  return titleOf(await response.text())
}

describe('page titles name what the page shows', () => {
  it.each([
    ['/cases', 'Case library · SectorPulse'],
    ['/cases?page=2', 'Case library: page 2 · SectorPulse'],
    ['/cases?mode=big-bang-scope', 'Case library: Big-bang scope · SectorPulse'],
    ['/cases?q=payroll&level=federal', 'Case library: “payroll”, Federal · SectorPulse'],
    ['/search?q=payroll', 'Search results for “payroll” · SectorPulse'],
    ['/search?q=payroll&type=cases', 'Search results for “payroll”: cases · SectorPulse'],
    ['/search', 'Search · SectorPulse'],
    ['/discussions?category=requirements-and-scope&sort=newest', 'Discussions: Requirements & scope, sorted by newest · SectorPulse'],
    ['/discussions/c/requirements-and-scope?tag=big-bang-scope', 'Requirements & scope: Big-bang scope · Discussions · SectorPulse'],
    ['/events?when=past', 'Past events · SectorPulse'],
    ['/events?format=virtual&month=2027-03', 'Events: Virtual, March 2027 · SectorPulse'],
    ['/members?level=federal', 'Members: Federal · SectorPulse'],
  ])('%s is titled %s', async (path, title) => {
    expect(await titleAt(path)).toBe(title)
  })

  it('names the event on its page, and the draft on its editing page', async () => {
    const eventTitle = `Titled roundtable ${Date.now().toString(36)}`
    const created = await postFields(moderator.client, '/events/new', eventForm({ title: eventTitle }))
    expect(created.status).toBe(302)
    expect(await titleAt(created.headers.get('location')!, moderator.client)).toBe(`${eventTitle} · Events · SectorPulse`)

    const draftTitle = `A titled draft ${Date.now().toString(36)}`
    const saved = await postFields(member.client, '/cases/new', { ...caseForm({ title: draftTitle }), intent: 'save' })
    expect(saved.status).toBe(302)
    expect(await titleAt(saved.headers.get('location')!, member.client)).toBe(`Draft: ${draftTitle} · Your cases · Case library · SectorPulse`)
  })
})

describe('a table wider than the screen scrolls in one kind of wrapper', () => {
  it('on /insights and the members list, every table sits in a focusable region named by its caption', async () => {
    const admin = await signedIn(db, 'admin')
    for (const [path, client] of [
      ['/insights', new HttpClient()],
      ['/admin/members', admin.client],
    ] as const) {
      const response = await client.get(path)
      expect(response.status, path).toBe(200)
      const html = mainOf(await response.text())
      const tables = html.match(/<table\b/g) ?? []
      expect(tables.length, path).toBeGreaterThan(0)
      // Keyboard users can scroll it (tabindex), and a screen reader hears the table's own name.
      const wrapped = [...html.matchAll(/<div class="table-wrap" role="region" aria-labelledby="([^"]+)" tabindex="0"><table\b[^>]*><caption id="([^"]+)"[^>]*>([^<]+)</g)]
      expect(wrapped.length, path).toBe(tables.length)
      for (const [, labelledBy, captionId, caption] of wrapped) {
        expect(labelledBy, path).toBe(captionId)
        expect(caption.trim().length, path).toBeGreaterThan(0)
      }
    }
  })
})

/** Every <select> in the HTML: whether it is required, and its first option's value and text. */
function selects(html: string) {
  return [...html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)].map(([, attributes, options]) => {
    const first = /<option\b([^>]*)>([^<]*)<\/option>/.exec(options)
    return {
      name: /\bname="([^"]*)"/.exec(attributes)?.[1],
      required: /\brequired\b/.test(attributes),
      firstValue: first ? /\bvalue="([^"]*)"/.exec(first[1])?.[1] : undefined,
      firstText: first?.[2].trim(),
    }
  })
}

describe('required selects open on an empty placeholder (the HTML rule for a required select)', () => {
  it.each([
    ['/join', () => new HttpClient()],
    ['/settings', () => member.client],
    ['/cases/new', () => member.client],
    ['/events/new', () => moderator.client],
  ])('%s', async (path, client) => {
    const html = await (await client().get(path)).text()
    const required = selects(html).filter((s) => s.required)
    expect(required.length, path).toBeGreaterThan(0)
    for (const select of required) {
      expect(select.firstValue, `${path} ${select.name}`).toBe('')
      expect(select.firstText, `${path} ${select.name}`).toBeTruthy()
    }
  })

  it('refuses the placeholder with the field’s message, as an answer never taken', async () => {
    const response = await member.client.post('/settings', { intent: 'profile', displayName: 'Placeholder Tester', memberType: '', governmentLevel: '' })
    expect(response.status).toBe(400)
    const html = decodeHtml(await response.text())
    expect(html).toContain('href="#memberType"')
    expect(html).toContain('href="#governmentLevel"')
  })
})

/** The tag of the element each error-summary link points at. */
function summaryTargets(html: string): { href: string; tag: string | undefined }[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? ''
  return [...summary.matchAll(/<a href="#([^"]+)"/g)].map(([, id]) => ({
    href: id,
    tag: new RegExp(`<(\\w+)\\b[^>]*\\bid="${id}"`).exec(html)?.[1],
  }))
}

describe('error summary links land on a control', () => {
  const expectControls = (html: string, what: string) => {
    const targets = summaryTargets(html)
    expect(targets.length, what).toBeGreaterThan(0)
    for (const target of targets) expect(['input', 'select', 'textarea'], `${what}: #${target.href}`).toContain(target.tag)
  }

  it('on the join, case, event and flag forms, groups of choices included', async () => {
    const join = await new HttpClient().post('/join', {})
    expect(join.status).toBe(400)
    expectControls(await join.text(), '/join')

    const refusedCase = await postFields(member.client, '/cases/new', { title: 'An empty case', intent: 'submit' })
    expect(refusedCase.status).toBe(400)
    const caseHtml = await refusedCase.text()
    expectControls(caseHtml, '/cases/new')
    expect(summaryTargets(caseHtml).map((t) => t.href)).toEqual(expect.arrayContaining(['provenance']))

    const refusedEvent = await postFields(moderator.client, '/events/new', eventForm({ kind: '', themes: ['a', 'b', 'c', 'd', 'e', 'f'] }))
    expect(refusedEvent.status).toBe(400)
    const eventHtml = await refusedEvent.text()
    expectControls(eventHtml, '/events/new')
    expect(summaryTargets(eventHtml).map((t) => t.href)).toEqual(expect.arrayContaining(['kind']))

    await makeEstablished(db, member)
    const { id: postId } = (await db.one(sql`select p.id from posts p where p.author_id != ${member.id} order by p.id limit 1`)) as { id: number }
    const refusedFlag = await member.client.post(`/discussions/posts/${postId}/flag`, {})
    expect(refusedFlag.status).toBe(400)
    const flagHtml = await refusedFlag.text()
    expectControls(flagHtml, 'the flag form')
    expect(summaryTargets(flagHtml)).toEqual([{ href: 'reason', tag: 'input' }])
  })
})

describe('headings a member types nest under the post that holds them', () => {
  it('an opening post’s "#" is an h3 under its author’s h2, a reply’s "###" an h4 under its h3; the page keeps one h1', async () => {
    const path = await threadByNewMember(inject('server').baseUrl, 'Headings typed in posts', '# Our plan\n\nA pilot first.\n\n## Step one\n\nTwo offices.')
    const replied = await member.client.post(path, { intent: 'reply', body: '### What worked\n\nThe pilot.' })
    expect(replied.status).toBe(302)
    const main = mainOf(await (await new HttpClient().get(path)).text())
    expect(main.match(/<h1[ >]/g)).toHaveLength(1)
    expect(main).toContain('<h3>Our plan</h3>')
    expect(main).toContain('<h4>Step one</h4>')
    expect(main).toContain('<h4>What worked</h4>')
    const levels = [...main.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]))
    for (let i = 1; i < levels.length; i++) expect(levels[i], JSON.stringify(levels)).toBeLessThanOrEqual(levels[i - 1] + 1)
  })
})
