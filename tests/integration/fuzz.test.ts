// Every action and every loader that reads the query string, sent missing, repeated, huge,
// malformed and wrongly typed values and bodies that are not forms, as an anonymous visitor, a
// member and a moderator: never a 5xx, and a refused request changes nothing.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { openServerDatabase, type ServerDatabase } from '../helpers/server-database'
import { type RunningServer, startServer } from '../helpers/start-server'
import { threadByNewMember } from '../helpers/write-load'
import { insertEvent, insertMembers } from './events-support'
import { caseForm } from './support'
import { postFields } from './events-support'

const ROOT = resolve(import.meta.dirname, '../..')
const ROUTES_DIR = join(ROOT, 'app/routes')

let server: RunningServer
let database: ServerDatabase

/** Every route file, with the addresses it answers at in this test's database. */
let addresses: Record<string, string[]>

beforeAll(async () => {
  // No background jobs: a fan-out writing notifications mid-request would look like a refused
  // request changing data.
  server = await startServer({ PAGE_CACHE_TTL_MS: '0', JOBS_IN_SERVER: 'false' })
  database = openServerDatabase(server)

  const threadPath = await threadByNewMember(server.baseUrl, 'A thread to fuzz')
  const threadId = Number(threadPath.split('/')[2])
  const postId = ((await database.one(sql`select id from posts where thread_id = ${threadId}`)) as { id: number }).id
  const event = await insertEvent(database.kysely, { capacity: 2 })
  const caseSlug = ((await database.one(sql`select slug from cases where status = 'published' limit 1`)) as { slug: string }).slug
  const [author] = await insertMembers(database.kysely, 1)
  const authorClient = new HttpClient(undefined, server.baseUrl)
  authorClient.cookies.set('sp_session', author.cookie.slice('sp_session='.length))
  const draft = await postFields(authorClient, '/cases/new', caseForm({ intent: 'save' }))
  const draftId = Number(draft.headers.get('location')!.split('/').pop())
  const categorySlug = ((await database.one(sql`select slug from categories limit 1`)) as { slug: string }).slug
  const themeSlug = ((await database.one(sql`select slug from taxonomy_terms limit 1`)) as { slug: string }).slug
  const assessmentId = 1
  const questionSlug = ((await database.one(sql`select slug from readiness_questions limit 1`)) as { slug: string }).slug

  addresses = {
    '$.tsx': ['/no-such-page/at-all'],
    '_index.tsx': ['/'],
    'accessibility.tsx': ['/accessibility'],
    'cases.$slug.tsx': [`/cases/${caseSlug}`, '/cases/no-such-case'],
    'cases.$slug_.history.tsx': [`/cases/${caseSlug}/history`],
    'cases._index.tsx': ['/cases'],
    'cases.feed[.atom].ts': ['/cases/feed.atom'],
    'cases.new.tsx': ['/cases/new'],
    'cases.submissions.$id.tsx': [`/cases/submissions/${draftId}`, '/cases/submissions/99999999'],
    'cases.submissions._index.tsx': ['/cases/submissions'],
    'cases.themes.$slug.tsx': [`/cases/themes/${themeSlug}`],
    'cases.themes._index.tsx': ['/cases/themes'],
    'discussions.$id.($slug).tsx': [threadPath, `/discussions/${threadId}`, '/discussions/99999999/gone'],
    'discussions._index.tsx': ['/discussions'],
    'discussions.c.$slug.feed[.atom].ts': [`/discussions/c/${categorySlug}/feed.atom`],
    'discussions.c.$slug.tsx': [`/discussions/c/${categorySlug}`],
    'discussions.feed[.atom].ts': ['/discussions/feed.atom'],
    'discussions.new.tsx': ['/discussions/new'],
    'discussions.posts.$postId.edit.tsx': [`/discussions/posts/${postId}/edit`],
    'discussions.posts.$postId.flag.tsx': [`/discussions/posts/${postId}/flag`],
    'discussions.posts.$postId.history.tsx': [`/discussions/posts/${postId}/history`],
    'discussions.preview.ts': ['/discussions/preview'],
    'events.$id.tsx': [`/events/${event.id}`, `/events/${event.id}.ics`],
    'events.$id_.$slug.tsx': [event.path, `/events/${event.id}/an-old-title`],
    'events.$id_.attendees.tsx': [`/events/${event.id}/attendees`],
    'events.$id_.attendees[.csv].ts': [`/events/${event.id}/attendees.csv`],
    'events.$id_.edit.tsx': [`/events/${event.id}/edit`],
    'events._index.tsx': ['/events'],
    'events.calendar.$token.ts': ['/events/calendar/not-a-real-token'],
    'events.feed[.atom].ts': ['/events/feed.atom'],
    'events.feed[.ics].ts': ['/events/feed.ics'],
    'events.new.tsx': ['/events/new'],
    'healthz.ts': ['/healthz'],
    'insights.tsx': ['/insights'],
    'join.tsx': ['/join'],
    'join_.check-email.tsx': ['/join/check-email'],
    'forgot-password.tsx': ['/forgot-password'],
    'forgot-password_.sent.tsx': ['/forgot-password/sent'],
    'reset-password.$token.tsx': ['/reset-password/notarealtokennotarealtoken'],
    'verify-email.$token.tsx': ['/verify-email/notarealtokennotarealtoken'],
    'verify-email.resend.tsx': ['/verify-email/resend'],
    'settings_.email.tsx': ['/settings/email'],
    'settings_.email_.confirm.$token.tsx': ['/settings/email/confirm/notarealtokennotarealtoken'],
    'settings_.email_.undo.$token.tsx': ['/settings/email/undo/notarealtokennotarealtoken'],
    'login.tsx': ['/login'],
    'logout.tsx': ['/logout'],
    'members.$handle.tsx': [`/members/${author.handle}`],
    'moderation._index.tsx': ['/moderation'],
    'moderation.cases.tsx': ['/moderation/cases'],
    'moderation.log.tsx': ['/moderation/log'],
    'admin.mail.tsx': ['/admin/mail'],
    'email.unsubscribe.$token.tsx': ['/email/unsubscribe/not-a-real-token', '/email/unsubscribe/1%3Areply.forged'],
    'follow.tsx': ['/follow'],
    'notifications.$id.open.tsx': ['/notifications/1/open', '/notifications/99999999/open'],
    'notifications.tsx': ['/notifications'],
    'readiness._index.tsx': ['/readiness'],
    'readiness.assessments.$id.tsx': [`/readiness/assessments/${assessmentId}`],
    'search.tsx': ['/search'],
    'settings.tsx': ['/settings'],
    'settings_.following.tsx': ['/settings/following'],
    'settings_.notifications.tsx': ['/settings/notifications'],
    'settings_.export.tsx': ['/settings/export'],
    'settings_.export[.json].ts': ['/settings/export.json'],
    'settings_.delete.tsx': ['/settings/delete'],
    'members._index.tsx': ['/members'],
    'admin.members._index.tsx': ['/admin/members'],
    'admin.categories.tsx': ['/admin/categories'],
    'admin.members.$id.tsx': [`/admin/members/${author.id}`, '/admin/members/99999999'],
    'appeal.$token.tsx': ['/appeal/not-a-real-token', '/appeal/1.forged'],
    'appeals.tsx': ['/appeals'],
    'moderation.appeals.tsx': ['/moderation/appeals'],
    'guidelines.tsx': ['/guidelines'],
    'privacy.tsx': ['/privacy'],
    'terms.tsx': ['/terms'],
    'readiness.teams._index.tsx': ['/readiness/teams'],
    'readiness.teams.$id.tsx': ['/readiness/teams/1', '/readiness/teams/99999999'],
    'readiness.teams.$id_.answer.tsx': ['/readiness/teams/1/answer'],
    'readiness.teams.$id_.results.tsx': ['/readiness/teams/1/results'],
    'readiness.teams.$id_.trend.tsx': ['/readiness/teams/1/trend'],
    'readiness.teams.$id_.report.tsx': ['/readiness/teams/1/report'],
    'readiness.teams.$id_.discuss.$question.tsx': [`/readiness/teams/1/discuss/${questionSlug}`],
    'readiness.teams.invitations.$token.tsx': ['/readiness/teams/invitations/notarealtokennotarealtoken'],
    'readiness.teams.shared.$token.tsx': ['/readiness/teams/shared/notarealtokennotarealtoken'],
  }
}, 60_000)

afterAll(async () => {
  await database?.close()
  await server?.stop()
})

const routeSource = (name: string) => readFileSync(join(ROUTES_DIR, name), 'utf8')
const hasAction = (name: string) => /export (async function |const |\{[^}]*\b)action\b/.test(routeSource(name))

/** The query parameters the app reads anywhere, so a new one is fuzzed without listing it here. */
function queryParameterNames(): string[] {
  const names = new Set(['mode', 'phase', 'level', 'domain', 'outcome', '_data', 'index'])
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
    )
  for (const path of walk(join(ROOT, 'app'))) {
    for (const match of readFileSync(path, 'utf8').matchAll(/searchParams\.(?:get|getAll|has)\('([^']+)'\)/g)) names.add(match[1])
  }
  return [...names]
}

const HUGE = 'x'.repeat(60_000)
/** Values that are wrong in every way a form field can be. */
const BAD_VALUES = [
  '',
  'abc',
  '-1',
  '1e309',
  '99999999999999999999999',
  '2030-02-30T25:61',
  'a\u0000b\u001b[31m\u0007',
  '\ud800',
  '/\u3002evil.example',
  '//evil.example',
  HUGE,
]

type Body = { label: string; body?: BodyInit; contentType?: string }

function formOf(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one)
  return body.toString()
}

/** The bodies sent to an action whose forms use `fields` and `intents`. */
function actionBodies(fields: string[], intents: string[]): Body[] {
  const form = (label: string, values: Record<string, string | string[]>): Body => ({
    label,
    body: formOf(values),
    contentType: 'application/x-www-form-urlencoded',
  })
  const bodies: Body[] = [
    form('empty form', {}),
    { label: 'JSON', body: JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'x']))), contentType: 'application/json' },
    { label: 'multipart garbage', body: '--nope\r\ngarbage', contentType: 'multipart/form-data; boundary=elsewhere' },
    { label: 'multipart without boundary', body: 'a=b', contentType: 'multipart/form-data' },
    { label: 'text/plain', body: 'intent=reply&body=hello', contentType: 'text/plain' },
    { label: 'no content-type', body: 'intent=reply&body=hello' },
    { label: 'broken percent-encoding', body: 'intent=%E0%A4%A&body=%ZZ%&=&&', contentType: 'application/x-www-form-urlencoded' },
  ]
  for (const intent of ['', ...intents, 'not-an-intent']) {
    const withIntent = (values: Record<string, string | string[]>) => (intent ? { ...values, intent } : values)
    bodies.push(form(`intent=${intent} only`, withIntent({})))
    for (const value of BAD_VALUES) {
      bodies.push(form(`intent=${intent} every field ${JSON.stringify(value.slice(0, 20))}`, withIntent(Object.fromEntries(fields.map((f) => [f, value])))))
    }
    bodies.push(form(`intent=${intent} every field repeated`, { ...Object.fromEntries(fields.map((f) => [f, ['1', 'two', '']])), intent: [intent, 'other'] }))
    const files = new FormData()
    if (intent) files.append('intent', intent)
    for (const f of fields) files.append(f, new Blob(['a file where text belongs']), 'field.txt')
    bodies.push({ label: `intent=${intent} every field a file`, body: files })
  }
  return bodies
}

/** The query strings sent to a page. */
function queryStrings(names: string[]): string[] {
  const queries: string[] = []
  for (const value of ['', '-1', 'abc', '1e309', '99999999999999999999', '%E0%A4%A', '\u0000', '9'.repeat(300), 'z'.repeat(300), '2030-13-45']) {
    queries.push(names.map((name) => `${name}=${encodeURIComponent(value).replace('%25E0%25A4%25A', '%E0%A4%A')}`).join('&'))
  }
  queries.push(names.map((name) => `${name}=1&${name}=2&${name}[]=3`).join('&'))
  queries.push('%%%&=&==&a=%ZZ')
  return queries
}

/** The names of fields in the page's forms, and the values of its `intent` buttons. */
function formsOn(html: string): { fields: string[]; intents: string[] } {
  const fields = new Set(['intent', 'body', 'id', 'postId', 'redirectTo'])
  const intents = new Set<string>()
  for (const match of html.matchAll(/<(?:input|textarea|select|button)\b[^>]*\bname="([^"]+)"[^>]*>/g)) {
    fields.add(match[1])
    const value = /\bvalue="([^"]*)"/.exec(match[0])
    if (match[1] === 'intent' && value) intents.add(value[1])
  }
  return { fields: [...fields], intents: [...intents] }
}

// Read state counts as the reader's own: the page re-rendered after a refused form marks what it
// shows as read (thread_reads, notifications.read_at), as any view of it does. The page cache's
// change log (page_changes and its counter) records every commit, including a refused write's
// rate-limit count.
const IGNORED_TABLES = /^(sqlite_|rate_limit_buckets$|sessions$|thread_reads$|notifications$|page_change(s|_counter)$|.*_fts($|_))/

let visibleTables: string[] | undefined

/**
 * A digest of every row a member could see changed (not rate limits, sessions or read state).
 * Rows are sorted: PostgreSQL may return an updated row in a new place even if nothing in it changed.
 */
async function fingerprint(): Promise<string> {
  visibleTables ??= (await database.kysely.introspection.getTables())
    .map((table) => table.name)
    .filter((name) => !IGNORED_TABLES.test(name))
    .sort()
  const hash = createHash('sha256')
  for (const table of visibleTables) {
    hash.update(table)
    const rows = await database.all(sql`select * from ${sql.table(table)}`)
    for (const row of rows.map((r) => JSON.stringify(r)).sort()) hash.update(row)
  }
  return hash.digest('hex')
}

interface Identity {
  label: 'anonymous' | 'member' | 'moderator'
  client: HttpClient
}

async function identity(label: Identity['label']): Promise<Identity> {
  const client = new HttpClient(undefined, server.baseUrl)
  if (label !== 'anonymous') {
    const [person] = await insertMembers(database.kysely, 1, label)
    client.cookies.set('sp_session', person.cookie.slice('sp_session='.length))
  }
  return { label, client }
}

describe('fuzzing every action and every loader that reads the query string', () => {
  it('covers every route file', () => {
    expect(Object.keys(addresses).sort()).toEqual(readdirSync(ROUTES_DIR).sort())
  })

  it('never answers 5xx, and refused requests change nothing', { timeout: 480_000 }, async () => {
    const serverErrors: string[] = []
    const refusedButChanged: string[] = []
    const identities = [await identity('anonymous'), await identity('member'), await identity('moderator')]
    const moderator = identities[2]
    const parameterNames = queryParameterNames()
    let before = await fingerprint()
    let sent = 0

    async function send(who: Identity, method: 'GET' | 'POST', path: string, body: Body) {
      const headers: Record<string, string> = method === 'POST' ? { Origin: server.baseUrl } : {}
      if (body.contentType) headers['Content-Type'] = body.contentType
      const what = `${who.label} ${method} ${path.slice(0, 120)} [${body.label}]`
      let response: Response
      try {
        response = await who.client.request(path, { method, body: body.body, headers })
        await response.arrayBuffer()
      } catch (error) {
        serverErrors.push(`${what} -> ${String((error as Error).cause ?? error)}`)
        return
      }
      sent++
      if (response.status >= 500) serverErrors.push(`${what} -> ${response.status}`)
      const after = await fingerprint()
      if (response.status >= 400 && after !== before) refusedButChanged.push(`${what} -> ${response.status}`)
      before = after
      // Signing out (or a session ended by a password change) leaves a client anonymous.
      if (who.label !== 'anonymous' && !who.client.cookies.has('sp_session')) {
        Object.assign(who, await identity(who.label))
        // The new member is this test's own write, not the refused request's.
        before = await fingerprint()
      }
    }

    for (const [route, paths] of Object.entries(addresses)) {
      const source = routeSource(route)
      const readsQuery = /searchParams|readCaseFilters|readThreadQuery|url\.search/.test(source)
      for (const path of paths) {
        if (readsQuery || route === '$.tsx') {
          for (const query of queryStrings(parameterNames)) {
            for (const who of identities) await send(who, 'GET', `${path}?${query}`, { label: 'query' })
          }
        }
        if (!hasAction(route)) continue
        const page = await moderator.client.get(path)
        const { fields, intents } = formsOn(page.ok ? await page.text() : '')
        for (const body of actionBodies(fields, intents)) {
          for (const who of identities) await send(who, 'POST', path, body)
        }
      }
    }

    expect(serverErrors).toEqual([])
    expect(refusedButChanged).toEqual([])
    expect(sent).toBeGreaterThan(2500)
  })
})
