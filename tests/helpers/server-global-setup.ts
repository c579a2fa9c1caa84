import type { TestProject } from 'vitest/node'
import { type RunningServer, startServer } from './start-server'

declare module 'vitest' {
  export interface ProvidedContext {
    server: Omit<RunningServer, 'stop' | 'kill' | 'exitCode' | 'output'>
  }
}

let server: RunningServer | undefined

// One production server for the integration tests, which talk to it over real HTTP.
export async function setup(project: TestProject) {
  server = await startServer()
  const { stop: _stop, kill: _kill, exitCode: _exitCode, output: _output, ...info } = server
  project.provide('server', info)
}

export async function teardown() {
  await server?.stop()
}
