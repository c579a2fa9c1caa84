// Rate limits live in the database: restarting the server does not hand a guesser ten more tries.
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { databaseEnv, type RunningServer, startServer } from '../helpers/start-server'
import { signIn, uniqueIp } from './support'

const servers: RunningServer[] = []
afterAll(() => Promise.all(servers.map((server) => server.stop())))

describe('the sign-in limit across a restart', () => {
  it('still refuses the 11th wrong password for an account after the server restarts', async () => {
    const first = await startServer()
    servers.push(first)
    const email = `victim-${Date.now().toString(36)}@agency.example.gov`
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await signIn(new HttpClient(uniqueIp(), first.baseUrl), email, 'not the password at all')
      expect(response.status).toBe(401)
    }
    await first.stop()

    const restarted = await startServer(databaseEnv(first))
    servers.push(restarted)
    const response = await signIn(new HttpClient(uniqueIp(), restarted.baseUrl), email, 'not the password either')
    expect(response.status).toBe(429)
    expect(await response.text()).toMatch(/Too many failed sign-in attempts/)
  }, 60_000)
})
