/**
 * What `npm run bench -- --app-servers N` serves in place of one server: N app servers
 * (server.ts) on the benchmark's database behind nginx listening on PORT, the deployment of
 * README's "Several app servers behind a reverse proxy". They are this process's children, so
 * the benchmark's CPU and memory figures cover every app server and nginx (not PostgreSQL's own
 * processes, as for one server). Each app server runs one process unless WEB_CONCURRENCY says
 * otherwise: N of them then share the machine's cores as N machines' worth of servers would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { type RunningNginx, startNginx } from '../helpers/nginx'
import { freePort } from '../helpers/start-server'

const count = Number(process.env.BENCH_APP_SERVERS)
const port = Number(process.env.PORT)
if (!Number.isSafeInteger(count) || count < 1) throw new Error('BENCH_APP_SERVERS must be a whole number, 1 or more')

const ROOT = resolve(import.meta.dirname, '../..')
const servers: ChildProcess[] = []
let nginx: RunningNginx | undefined
let stopping = false

function stop() {
  stopping = true
  nginx?.stop()
  for (const server of servers) if (server.exitCode === null) server.kill('SIGTERM')
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop)

const ports = await Promise.all(Array.from({ length: count }, freePort))
for (const serverPort of ports) {
  const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(serverPort), WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? '1' },
    stdio: 'inherit',
  })
  server.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`app server on port ${serverPort} exited with ${code ?? signal}`)
      stop()
      process.exitCode = 1
    }
  })
  servers.push(server)
}
for (const serverPort of ports) {
  for (const deadline = Date.now() + 180_000; ; ) {
    if (stopping) process.exit(1)
    if ((await fetch(`http://127.0.0.1:${serverPort}/healthz`).catch(() => null))?.ok) break
    if (Date.now() > deadline) throw new Error(`the app server on port ${serverPort} did not answer within 180 s`)
    await new Promise((resolveWait) => setTimeout(resolveWait, 200))
  }
}
nginx = await startNginx(port, ports)
console.log(`${count} app servers (ports ${ports.join(', ')}) behind nginx on port ${port}`)
