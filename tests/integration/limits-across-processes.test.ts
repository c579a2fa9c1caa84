// Two server processes on one database file share their limits: a sign-up, posting or password
// reset limit exhausted partly on one and partly on the other still holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import { databaseEnv, type RunningServer, startServer } from '../helpers/start-server'
import { uniqueIp } from './support'

let first: RunningServer
let second: RunningServer

beforeAll(async () => {
  first = await startServer()
  second = await startServer(databaseEnv(first))
}, 60_000)

afterAll(() => Promise.all([first?.stop(), second?.stop()]))

describe('limits across two server processes', () => {
  it('counts sign-ups from one network address on both: the 21st in an hour is refused', async () => {
    const ip = uniqueIp()
    for (let i = 0; i < 20; i++) {
      const server = i % 2 === 0 ? first : second
      const response = await new HttpClient(ip, server.baseUrl).post('/join', memberFields())
      expect(response.status, `join ${i + 1}`).toBe(302)
    }
    for (const server of [first, second]) {
      const refused = await new HttpClient(ip, server.baseUrl).post('/join', memberFields())
      expect(refused.status).toBe(429)
      expect(await refused.text()).toContain('Too many accounts have been created from your network')
    }
  }, 60_000)

  it('counts reset requests for one address on both: the 6th in an hour is refused, whichever process takes it', async () => {
    const { email } = memberFields()
    for (let i = 0; i < 5; i++) {
      const server = i % 2 === 0 ? first : second
      expect((await new HttpClient(undefined, server.baseUrl).post('/forgot-password', { email })).status, `request ${i + 1}`).toBe(302)
    }
    for (const server of [first, second]) {
      const refused = await new HttpClient(undefined, server.baseUrl).post('/forgot-password', { email })
      expect(refused.status).toBe(429)
      expect(await refused.text()).toContain('Too many reset requests')
    }
  })

  it('counts a member’s replies on both: a second reply within 10 seconds on the other process is refused', async () => {
    const author = new HttpClient(undefined, first.baseUrl)
    await joinAsNewMember(author)
    const started = await author.post('/discussions/new', {
      category: 'testing-and-go-live',
      title: 'Who owns the rollback decision?',
      body: 'Asking for a program with a hard go-live date.',
    })
    expect(started.status).toBe(302)
    const threadPath = started.headers.get('location')!
    // The same member, signed in, through the other process.
    const elsewhere = new HttpClient(author.ip, second.baseUrl)
    for (const [name, value] of author.cookies) elsewhere.cookies.set(name, value)
    await new Promise((resolve) => setTimeout(resolve, 10_100))
    expect((await author.post(threadPath, { intent: 'reply', body: 'First reply, through the first process.' })).status).toBe(302)
    const refused = await elsewhere.post(threadPath, { intent: 'reply', body: 'Second reply, through the second process.' })
    expect(refused.status).toBe(429)
    expect(await refused.text()).toContain('You can post one reply every 10 seconds')
  }, 60_000)
})
