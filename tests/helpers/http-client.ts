import { inject } from 'vitest'
import { latestMailedLinkIn } from './mailed-link'
import { withServerDatabase } from './server-database'
import { serverDatabases } from './start-server'

/**
 * A minimal browser over real HTTP: keeps cookies, sends a same-site Origin on writes (as a
 * browser does), never follows redirects (so tests see them), and comes from its own IP
 * address (the test server trusts X-Forwarded-For) so rate limits stay per client.
 */
export class HttpClient {
  readonly ip: string
  cookies = new Map<string, string>()

  /** `baseUrl` defaults to the shared test server; tests that start their own pass theirs. */
  constructor(ip?: string, readonly baseUrl: string = inject('server').baseUrl) {
    const octet = () => 1 + Math.floor(Math.random() * 250)
    this.ip = ip ?? `10.${octet()}.${octet()}.${octet()}`
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('X-Forwarded-For', this.ip)
    if (this.cookies.size && !headers.has('Cookie')) headers.set('Cookie', this.cookieHeader())
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' })
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = setCookie.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  get(path: string, init: RequestInit = {}) {
    return this.request(path, { ...init, method: 'GET' })
  }

  /** Submits a form the way a browser on this site does. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { Origin: this.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    })
  }
}

let nextMember = 0

export function memberFields(overrides: Record<string, string> = {}) {
  const n = `${Date.now().toString(36)}${(nextMember++).toString(36)}${process.pid.toString(36)}`
  return {
    email: `member-${n}@agency.example.gov`,
    displayName: `Member ${n}`,
    handle: `m-${n}`,
    password: 'correct horse battery staple',
    memberType: 'practitioner',
    organization: 'A mid-size county human services agency',
    governmentLevel: 'local',
    acceptGuidelines: 'on',
    ...overrides,
  }
}

/** The site path of the newest link of `kind` the client's server mailed to `address`. */
export async function latestMailedLink(client: HttpClient, address: string, kind: string): Promise<string> {
  return withServerDatabase(serverDatabases.get(client.baseUrl) ?? inject('server'), (database) => latestMailedLinkIn(database, address, kind))
}

/** Follows a link from an email as a member does: opens its page, then presses its button. */
export async function followMailedLink(client: HttpClient, path: string, fields: Record<string, string> = {}) {
  const page = await client.get(path)
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}: ${await page.text()}`)
  return client.post(path, fields)
}

/** Joins as a new member and confirms the address from the mailed link; the client is signed in afterwards. */
export async function joinAsNewMember(client: HttpClient, overrides: Record<string, string> = {}) {
  const fields = await joinUnconfirmed(client, overrides)
  const confirmed = await followMailedLink(client, await latestMailedLink(client, fields.email, 'verify-email'))
  if (confirmed.status !== 302) throw new Error(`confirming the address failed with ${confirmed.status}: ${await confirmed.text()}`)
  return fields
}

/** Joins without confirming the address: the client is not signed in. */
export async function joinUnconfirmed(client: HttpClient, overrides: Record<string, string> = {}) {
  const fields = memberFields(overrides)
  const response = await client.post('/join', fields)
  if (response.status !== 302) throw new Error(`join failed with ${response.status}: ${await response.text()}`)
  return fields
}
