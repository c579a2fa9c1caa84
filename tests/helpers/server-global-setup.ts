import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { dropTestDatabases, prepareTestTemplate, testPostgresUrl } from './postgres'
import { type RunningServer, startServer } from './start-server'

declare module 'vitest' {
  export interface ProvidedContext {
    server: Omit<RunningServer, 'stop' | 'kill' | 'exitCode' | 'output'>
  }
}

let server: RunningServer | undefined

// One production server for the integration tests, which talk to it over real HTTP.
export async function setup(project: TestProject) {
  if (testPostgresUrl()) await prepareTestTemplate(migratePostgres)
  server = await startServer()
  const { stop: _stop, kill: _kill, exitCode: _exitCode, output: _output, ...info } = server
  project.provide('server', info)
}

export async function teardown() {
  await server?.stop()
  if (testPostgresUrl()) await dropTestDatabases()
}

// In a process of its own: the client module opens the default database as it loads.
async function migratePostgres(url: string) {
  execFileSync(process.execPath, ['--import', 'tsx', 'db/migrate.ts'], { cwd: resolve(import.meta.dirname, '../..'), env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' })
}
