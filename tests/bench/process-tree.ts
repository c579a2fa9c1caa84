/**
 * CPU time and memory of the server under test, read from /proc: the server may run as several
 * processes (WEB_CONCURRENCY workers under a primary), so every figure covers the whole tree
 * rooted at the process the benchmark started.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcStat {
  pid: number
  ppid: number
  /** Clock ticks spent by the process itself, in user and kernel mode. */
  utime: number
  stime: number
  /** Clock ticks of its children that exited and were waited for. */
  cutime: number
  cstime: number
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold
 * spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')')
  if (close < 0) throw new Error(`Not a /proc stat line: ${text.slice(0, 80)}`)
  const pid = Number(text.slice(0, text.indexOf(' ')))
  // After ')': state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10)
  // cminflt(11) majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17)
  const rest = text.slice(close + 2).trim().split(/\s+/)
  const field = (n: number) => Number(rest[n - 3])
  return { pid, ppid: field(4), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17) }
}

/** The root and every process descending from it, among `all`. */
export function treeOf(rootPid: number, all: readonly ProcStat[]): ProcStat[] {
  const childrenOf = new Map<number, ProcStat[]>()
  for (const p of all) childrenOf.set(p.ppid, [...(childrenOf.get(p.ppid) ?? []), p])
  const root = all.find((p) => p.pid === rootPid)
  if (!root) return []
  const tree: ProcStat[] = []
  const queue = [root]
  while (queue.length) {
    const p = queue.shift()!
    tree.push(p)
    queue.push(...(childrenOf.get(p.pid) ?? []))
  }
  return tree
}

/**
 * CPU ticks the tree has used so far: each live process's own time plus what its exited,
 * waited-for children used (a worker that died mid-run still counts, through its parent).
 */
export function treeCpuTicks(tree: readonly ProcStat[]): number {
  let ticks = 0
  for (const p of tree) ticks += p.utime + p.stime + p.cutime + p.cstime
  return ticks
}

/** Milliseconds of CPU per page served between two readings of `treeCpuTicks`. */
export function cpuMsPerPage(ticksBefore: number, ticksAfter: number, ticksPerSecond: number, pages: number): number | null {
  if (pages <= 0) return null
  return ((ticksAfter - ticksBefore) * 1000) / ticksPerSecond / pages
}

export const TICKS_PER_SECOND = (() => {
  const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim())
  return Number.isFinite(answer) && answer > 0 ? answer : 100
})()

function readAllStats(): ProcStat[] {
  const stats: ProcStat[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      stats.push(parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8')))
    } catch {
      // the process ended between the listing and the read
    }
  }
  return stats
}

/** The live processes of the server's tree now. */
export function readTree(rootPid: number): ProcStat[] {
  return treeOf(rootPid, readAllStats())
}

export function readTreeCpuTicks(rootPid: number): number {
  return treeCpuTicks(readTree(rootPid))
}

function readStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : null
  } catch {
    return null
  }
}

/**
 * Samples the resident memory of every process in the tree every 200 ms. `mark()` starts a new
 * window (one target), whose highest single-process sample `windowPeakMb()` returns; `stop()`
 * returns each process's peak over the whole run, the kernel's VmHWM where the process is alive.
 */
export function sampleTreeRss(rootPid: number) {
  const peakByPid = new Map<number, number>()
  let windowPeak = 0
  let processes = 0
  const sample = () => {
    const tree = readTree(rootPid)
    processes = Math.max(processes, tree.length)
    for (const { pid } of tree) {
      const rss = readStatusMb(pid, 'VmRSS')
      if (rss === null) continue
      peakByPid.set(pid, Math.max(peakByPid.get(pid) ?? 0, rss))
      windowPeak = Math.max(windowPeak, rss)
    }
  }
  const timer = setInterval(sample, 200)
  timer.unref()
  return {
    mark: () => {
      windowPeak = 0
      sample()
    },
    windowPeakMb: () => {
      sample()
      return windowPeak
    },
    processCount: () => processes,
    stop: () => {
      clearInterval(timer)
      for (const { pid } of readTree(rootPid)) {
        const hwm = readStatusMb(pid, 'VmHWM')
        if (hwm !== null) peakByPid.set(pid, Math.max(peakByPid.get(pid) ?? 0, hwm))
      }
      const peaks = [...peakByPid.values()]
      return { maxProcessPeakMb: peaks.length ? Math.max(...peaks) : 0, processes: Math.max(processes, peakByPid.size) }
    },
  }
}
