/**
 * CPU per page of the app alone, in this process: the built Remix handler answers signed-in
 * views of the benchmark's 20-post threads (or its random case-library filters or search words,
 * `--target cases|search`, or one page, `--path /login`), with no HTTP, compression or page
 * cache around it.
 * For profiling the render path between full `npm run bench` runs:
 *
 *   npm run build && NODE_ENV=production DATABASE_PATH=/tmp/copy-of-small.db npx tsx tests/bench/page-cpu.ts [--pages 2000] [--anonymous] [--target threads|cases|search | --path P] [--build DIR]
 *   NODE_ENV=production node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/bench/page-cpu.ts
 *
 * Use a copy of a generated file (`npm run db:generate`): each view moves a read marker.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { newPageDependencies } from '../../db/page-tags'
import type { Fixtures } from '../../db/generate/scales'
import { randomCaseLibraryUrls, randomSearchUrls, readingMemberCookies, selectThreads } from './workloads'

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    build: { type: 'string', default: 'build' },
    anonymous: { type: 'boolean', default: false },
    target: { type: 'string', default: 'threads' },
    path: { type: 'string' },
  },
})
if (process.env.NODE_ENV !== 'production') throw new Error('Set NODE_ENV=production: React renders several times slower in development.')
const databasePath = process.env.DATABASE_PATH
if (!databasePath) throw new Error('Set DATABASE_PATH to a copy of a generated benchmark database.')
// The benchmark's own threads and readers (tests/bench/workloads.ts), so the figures compare.
const fixtures = JSON.parse(readFileSync(`${databasePath}.fixtures.json`, 'utf8')) as Fixtures
const paths = values.path ? [values.path] : {
  threads: () => selectThreads(databasePath, fixtures).threads.map((thread) => thread.path),
  cases: () => randomCaseLibraryUrls(databasePath, 500, 7),
  search: () => randomSearchUrls(500, 7),
}[values.target as 'threads' | 'cases' | 'search']?.()
if (!paths) throw new Error('--target is threads, cases or search.')
const cookies = values.anonymous ? [''] : readingMemberCookies(fixtures)

const build = (await import(resolve(values.build, 'server/index.js'))) as ServerBuild
const handle = createRequestHandler(build, 'production')
const view = async (i: number) => {
  const headers = new Headers({ Host: 'localhost:3000' })
  if (cookies[i % cookies.length]) headers.set('Cookie', cookies[i % cookies.length])
  const request = new Request(`http://localhost:3000${paths[(i * 7919) % paths.length]}`, { headers })
  const response = await handle(request, { cspNonce: 'nonce', clientIp: '127.0.0.1', requestMethod: 'GET', pageDependencies: newPageDependencies() })
  if (response.status !== 200) throw new Error(`${request.url} answered ${response.status}`)
  return (await response.arrayBuffer()).byteLength
}

for (let i = 0; i < 200; i++) await view(i) // warm-up: JIT and SQLite's page cache
const pages = Number(values.pages)
const start = process.cpuUsage()
const started = performance.now()
let bytes = 0
for (let i = 0; i < pages; i++) bytes += await view(1000 + i)
const cpu = process.cpuUsage(start)
console.log(
  `${pages} ${values.anonymous ? 'anonymous' : 'signed-in'} ${values.path ?? values.target} pages: ${((cpu.user + cpu.system) / 1000 / pages).toFixed(2)} ms CPU each ` +
    `(${((performance.now() - started) / pages).toFixed(2)} ms wall), ${Math.round(bytes / pages / 1024)} KB each`,
)
process.exit(0)
