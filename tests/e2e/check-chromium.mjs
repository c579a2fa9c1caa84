// Fails fast, with the fix, when there is no Chromium for Playwright to drive.
import { accessSync, constants } from 'node:fs'

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
try {
  accessSync(path, constants.X_OK)
} catch {
  console.error(`
No Chromium found at ${path}. The end-to-end tests drive an installed Chromium.
Install one, then run the tests again:
  - Debian/Ubuntu:        sudo apt-get update && sudo apt-get install -y chromium
  - where downloads work: npx playwright install chromium
                          and set CHROMIUM_PATH to the browser it prints
  - or point CHROMIUM_PATH at any Chromium or Chrome binary.
`)
  process.exit(1)
}
