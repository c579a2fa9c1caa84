/**
 * The functions with the most self time in a V8 CPU profile (from `node --cpu-prof`, e.g. a
 * server run by `BENCH_CPU_PROF=/tmp/prof npm run bench`):
 *
 *   npx tsx tests/bench/cpu-profile-top.ts /tmp/prof/CPU.*.cpuprofile [--top 15] [--inclusive]
 *
 * --inclusive adds a second table: time with each function anywhere on the stack (its callees
 * included), which shows where a request's time goes (rendering, loaders, serialization).
 */
import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, inclusive: { type: 'boolean', default: false } } })
if (!positionals.length) {
  console.error('Usage: npx tsx tests/bench/cpu-profile-top.ts PROFILE.cpuprofile [--top N] [--inclusive]')
  process.exit(2)
}
const root = resolve(import.meta.dirname, '../..')

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  // Self time of a node: the time deltas of the samples taken while it was on top of the stack.
  const selfMicros = new Map<number, number>()
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const keyOf = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    const where = url ? `${url.startsWith('file://') ? relative(root, new URL(url).pathname) : url}:${lineNumber + 1}` : ''
    return `${functionName || '(anonymous)'}  ${where}`.trim()
  }
  const byFunction = new Map<string, number>()
  let total = 0
  for (const [id, micros] of selfMicros) {
    const key = keyOf(id)
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros)
    total += micros
  }
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map<string, number>()
  for (const [id, micros] of selfMicros) {
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(at)
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros)
    }
  }
  const idle = [...byFunction].filter(([key]) => key.startsWith('(idle)')).reduce((sum, [, micros]) => sum + micros, 0)
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((100 * idle) / total).toFixed(1)}% idle`)
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))
  const print = (list: [string, number][]) => {
    for (const [key, micros] of list) {
      console.log(`  ${(micros / 1000).toFixed(0).padStart(8)} ms  ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`)
    }
  }
  console.log('  self time:')
  print(rows)
  if (values.inclusive) {
    console.log('  inclusive time (callees included):')
    print([...inclusive].filter(([key]) => !key.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, Number(values.top) * 3))
  }
}
