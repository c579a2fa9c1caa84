// WEB_CONCURRENCY workers under a supervising primary: a worker that dies is replaced while the
// others keep answering, and one that dies again soon after starting is replaced after a wait
// that grows, rather than in a tight loop of forks.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../helpers/start-server'

const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)

async function until(what: string, check: () => boolean, ms = 60_000) {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('worker processes', () => {
  let server: RunningServer
  const listening = () => server.output().match(/SectorPulse is listening/g)?.length ?? 0
  beforeAll(async () => {
    server = await startServer({ WEB_CONCURRENCY: '2' })
    await until('two workers listening', () => listening() >= 2)
  }, 120_000)
  afterAll(() => server?.stop())

  it('replaces a worker that dies, answering all along, and waits longer each time one dies young', async () => {
    const original = childrenOf(server.pid)
    const [first] = original
    // Each on a connection of its own, as a new visitor arrives: the primary hands it to a live worker.
    const answersOnNewConnections = async () => {
      let answered = 0
      for (let n = 0; n < 5; n++) if ((await fetch(`${server.baseUrl}/healthz`, { headers: { Connection: 'close' } })).ok) answered++
      return answered
    }

    process.kill(first, 'SIGKILL')
    await until('the primary to notice', () => server.output().includes(`Worker ${first} stopped`))
    // One worker down and its replacement not yet started: the other answers.
    expect(await answersOnNewConnections()).toBe(5)
    expect(server.output()).toMatch(new RegExp(`Worker ${first} stopped \\(SIGKILL\\) after \\d+ s; starting another in 1 s\\.`))
    await until('the first replacement', () => listening() >= 3)
    const [replacement] = childrenOf(server.pid).filter((pid) => !original.includes(pid))
    expect(replacement).toBeDefined()

    // The replacement is killed seconds after it started: the next wait doubles.
    process.kill(replacement, 'SIGKILL')
    await until('the primary to notice', () => server.output().includes(`Worker ${replacement} stopped`))
    expect(await answersOnNewConnections()).toBe(5)
    expect(server.output()).toMatch(new RegExp(`Worker ${replacement} stopped \\(SIGKILL\\) after \\d+ s; starting another in 2 s\\.`))
    await until('the second replacement', () => listening() >= 4)
    expect(childrenOf(server.pid)).toHaveLength(2)
  }, 120_000)
})
