// The figures `npm run bench` judges budgets by: CPU time summed over the server's process tree
// (WEB_CONCURRENCY workers included), percentiles of the writes it times itself, and verdicts.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cpuMsPerPage, parseProcStat, readTree, readTreeCpuTicks, treeCpuTicks, treeOf } from '../bench/process-tree'
import { budgetScale, percentile, verdict } from '../bench/stats'
import { randomSearchUrls, SEARCH_WORDS } from '../bench/workloads'

const statLine = (pid: number, comm: string, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 11 0 1000 1000000 5000`

describe('process CPU accounting', () => {
  it('reads a stat line whose command name holds spaces and parentheses', () => {
    expect(parseProcStat(statLine(42, 'node (worker) 2', 7, 150, 30, 5, 1))).toEqual({ pid: 42, ppid: 7, utime: 150, stime: 30, cutime: 5, cstime: 1 })
  })

  it('sums the root, its workers and their children, and nothing else on the machine', () => {
    const all = [
      statLine(10, 'node', 1, 100, 10),
      statLine(11, 'node', 10, 200, 20),
      statLine(12, 'node', 10, 300, 30, 7, 3),
      statLine(13, 'sh', 12, 1, 1),
      statLine(20, 'autocannon', 1, 999, 999),
    ].map(parseProcStat)
    const tree = treeOf(10, all)
    expect(tree.map((p) => p.pid).sort()).toEqual([10, 11, 12, 13])
    // Exited, waited-for children count through their parent's cutime/cstime.
    expect(treeCpuTicks(tree)).toBe(110 + 220 + 330 + 10 + 2)
    expect(treeOf(99, all)).toEqual([])
  })

  it('divides CPU time by pages served, in milliseconds', () => {
    expect(cpuMsPerPage(1_000, 1_300, 100, 1_000)).toBe(3)
    expect(cpuMsPerPage(1_000, 1_300, 100, 0)).toBeNull()
  })

  it("counts a real child process's CPU in its parent's tree, before and after it exits", async () => {
    // The child spins until it has used 300 ms of CPU; the parent reports it started and reaped.
    const child = "while (process.cpuUsage().user < 300000);"
    const parent = spawn(process.execPath, [
      '-e',
      `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}]);
       console.log('started'); c.on('exit', () => { console.log('reaped'); setTimeout(() => {}, 10000) })`,
    ])
    const said = (word: string) =>
      new Promise<void>((resolve) => {
        let output = ''
        parent.stdout.on('data', (chunk) => {
          output += chunk
          if (output.includes(word)) resolve()
        })
      })
    const started = said('started')
    const reaped = said('reaped')
    try {
      await started
      expect(readTree(parent.pid!).length).toBe(2)
      await reaped
      expect(readTree(parent.pid!).length).toBe(1)
      expect(readTreeCpuTicks(parent.pid!)).toBeGreaterThanOrEqual(30)
    } finally {
      parent.kill()
    }
  })
})

describe('percentiles and verdicts', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(samples, 50)).toBe(50)
    expect(percentile(samples, 99)).toBe(99)
    expect(percentile(samples, 100)).toBe(100)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 99)).toBeNull()
  })

  it('passes at the limit, fails beyond it, and skips what was not measured', () => {
    expect(verdict(3, { atMost: 3 })).toBe('PASS')
    expect(verdict(3.01, { atMost: 3 })).toBe('FAIL')
    expect(verdict(499, { atLeast: 500 })).toBe('FAIL')
    expect(verdict(Infinity, { atMost: 1.5 })).toBe('FAIL')
    expect(verdict(null, { atLeast: 500 })).toBe('SKIP')
    expect(verdict(undefined, { atMost: 1 })).toBe('SKIP')
  })

  it('judges budgets on large when it was measured, else on the scale that was', () => {
    expect(budgetScale(['small', 'large'])).toBe('large')
    expect(budgetScale(['small'])).toBe('small')
    expect(budgetScale([])).toBeNull()
  })
})

describe('random search words', () => {
  it('draws the same URLs for the same seed, each one or two words from the list', () => {
    const urls = randomSearchUrls(200, 3)
    expect(randomSearchUrls(200, 3)).toEqual(urls)
    for (const url of urls) {
      const words = new URL(url, 'http://x').searchParams.get('q')!.split(' ')
      expect(words.length).toBeLessThanOrEqual(2)
      for (const word of words) expect(SEARCH_WORDS).toContain(word)
    }
    expect(new Set(urls).size).toBeGreaterThan(100)
  })
})
