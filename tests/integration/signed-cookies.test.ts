// Cookies the site reads back carry its signature: a cookie planted by a sibling host or port
// (which browsers let set cookies for this one) is ignored.
import { statSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { followMailedLink, HttpClient, joinAsNewMember, joinUnconfirmed, latestMailedLink, memberFields } from '../helpers/http-client'
import { databaseEnv, startServer } from '../helpers/start-server'
import { mainOf, setCookie } from './support'

const PLANTED = 'Your session expired: sign in again at evil.example'
/** How Remix encodes a cookie's value before signing it: base64 of its JSON. */
const unsigned = (value: string) => Buffer.from(JSON.stringify(value)).toString('base64')

describe('the flash cookie', () => {
  it('a forged flash cookie is not shown', async () => {
    const client = new HttpClient()
    const response = await client.get('/', { headers: { Cookie: `sp_flash=${unsigned(PLANTED)}` } })
    expect(response.status).toBe(200)
    expect(await response.text()).not.toContain('evil.example')
  })

  it('a flash cookie signed with another secret is not shown', async () => {
    const client = new HttpClient()
    await joinAsNewMember(client)
    const signed = client.cookies.get('sp_flash')!
    const [value] = signed.split('.')
    const response = await client.get('/', { headers: { Cookie: `sp_flash=${value}.${'A'.repeat(43)}` } })
    expect(await response.text()).not.toContain('Welcome to SectorPulse')
  })

  it("the site's own message is signed and shown once", async () => {
    const client = new HttpClient()
    const fields = await joinUnconfirmed(client)
    const joined = await followMailedLink(client, await latestMailedLink(client, fields.email, 'verify-email'))
    expect(setCookie(joined, 'sp_flash')?.value).toMatch(/\.[A-Za-z0-9%+/_-]+=*$/)
    expect(mainOf(await (await client.get('/')).text())).toContain('Welcome to SectorPulse')
  })
})

describe('the generated cookie secret', () => {
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  afterAll(async () => Promise.all(servers.map((s) => s.stop())))

  it('is kept beside the database, private to its owner, and still signs after a restart', async () => {
    const first = await startServer()
    servers.push(first)
    const secretFile = `${first.databasePath}-cookie-secret`
    expect(statSync(secretFile).mode & 0o777).toBe(0o600)

    const client = new HttpClient(undefined, first.baseUrl)
    const fields = await joinUnconfirmed(client)
    const joined = await followMailedLink(client, await latestMailedLink(client, fields.email, 'verify-email'))
    const flash = joined.headers.getSetCookie().find((c) => c.startsWith('sp_flash='))!.split(';')[0]
    await first.stop()

    const second = await startServer(databaseEnv(first))
    servers.push(second)
    const page = await fetch(`${second.baseUrl}/`, { headers: { Cookie: flash } })
    expect(await page.text()).toContain('Welcome to SectorPulse')
  })

  it('COOKIE_SECRET, when set, signs instead of a generated one', async () => {
    const server = await startServer({ COOKIE_SECRET: 'x'.repeat(40) })
    servers.push(server)
    const fields = memberFields()
    const joined = await fetch(`${server.baseUrl}/join`, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { Origin: server.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    })
    expect(joined.status).toBe(302)
    expect(() => statSync(`${server.databasePath}-cookie-secret`)).toThrow()
  })
})
