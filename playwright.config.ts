import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'

const port = Number(process.env.E2E_PORT ?? 3917)
const baseURL = `http://localhost:${port}`
// A fresh database for every run; the config is evaluated once, in the runner process.
const databasePath =
  process.env.E2E_DATABASE_PATH ?? join(mkdtempSync(join(tmpdir(), 'sectorpulse-e2e-')), 'e2e.db')
process.env.E2E_DATABASE_PATH = databasePath
// Set by tests/e2e/on-postgres.mjs: the server runs on this PostgreSQL database instead (the
// SQLite path above then only holds the generated cookie secret).
const databaseUrl = process.env.E2E_DATABASE_URL

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node --import tsx server.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      // Each test comes from its own X-Forwarded-For address, so per-IP limits stay per test.
      TRUST_PROXY: '1',
      // The address the browser uses; the origin check compares every write with it.
      SITE_URL: baseURL,
      // One server process: the browser tests share the machine with everything else.
      WEB_CONCURRENCY: '1',
    },
  },
})
