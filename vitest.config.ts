import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// With TEST_POSTGRES_URL the suite runs on PostgreSQL (tests/helpers/postgres.ts), leaving out
// the files that test SQLite itself (*.sqlite.test.ts: its locks, its files, its upgrades);
// without it, the files that need PostgreSQL beside SQLite (*.postgres.test.ts: db:copy).
const onPostgres = !!process.env.TEST_POSTGRES_URL

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**', onPostgres ? '**/*.sqlite.test.ts' : '**/*.postgres.test.ts'],
    setupFiles: ['tests/helpers/test-db.ts'],
    globalSetup: ['tests/helpers/server-global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
