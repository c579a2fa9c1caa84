// WEB_CONCURRENCY workers under a supervising primary: a worker that dies is replaced while the
// others keep answering, and one that dies again soon after starting is replaced after a wait
// that grows, rather than in a tight loop of forks. Each worker's heap has the set limit.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../helpers/start-server'
import { eventually } from './support'

const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)

describe('worker processes', () => {
  let server: RunningServer
  const listening = () => server.output().match(/SectorPulse is listening/g)?.length ?? 0
  beforeAll(async () => {
    server = await startServer({ WEB_CONCURRENCY: '2', SERVER_HEAP_MB: '200' })
    expect(await eventually(listening, (n) => n >= 2, 60_000)).toBe(2)
  }, 120_000)
  afterAll(() => server?.stop())

  it('starts each worker with the heap limit SERVER_HEAP_MB sets, and at most two malloc arenas', () => {
    const workers = childrenOf(server.pid)
    expect(workers).toHaveLength(2)
    for (const pid of workers) {
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=200')
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2')
    }
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')).not.toContain('--max-old-space-size')
  })

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
    const stoppedLine = (pid: number) => eventually(server.output, (output) => output.includes(`Worker ${pid} stopped`), 60_000)
    expect(await stoppedLine(first)).toContain(`Worker ${first} stopped`)
    // One worker down and its replacement not yet started: the other answers.
    expect(await answersOnNewConnections()).toBe(5)
    expect(server.output()).toMatch(new RegExp(`Worker ${first} stopped \\(SIGKILL\\) after \\d+ s; starting another in 1 s\\.`))
    expect(await eventually(listening, (n) => n >= 3, 60_000)).toBe(3)
    const [replacement] = childrenOf(server.pid).filter((pid) => !original.includes(pid))
    expect(replacement).toBeDefined()

    // The replacement is killed seconds after it started: the next wait doubles.
    process.kill(replacement, 'SIGKILL')
    expect(await stoppedLine(replacement)).toContain(`Worker ${replacement} stopped`)
    expect(await answersOnNewConnections()).toBe(5)
    expect(server.output()).toMatch(new RegExp(`Worker ${replacement} stopped \\(SIGKILL\\) after \\d+ s; starting another in 2 s\\.`))
    expect(await eventually(listening, (n) => n >= 4, 60_000)).toBe(4)
    expect(childrenOf(server.pid)).toHaveLength(2)
  }, 120_000)
})
