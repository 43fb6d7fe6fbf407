// npm run screenshot: regenerates docs/demo.png (the README's picture of the demo's warning
// dialog) by running the demo e2e test in Chromium with DEMO_SCREENSHOT set. Tests alone never
// write it; they keep their screenshots in test-results/. Needs a build (npm run build).
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)
const target = fileURLToPath(new URL('../docs/demo.png', import.meta.url))
if (!existsSync('dist/session-continuity.iife.min.js')) {
  console.error('screenshot: dist/ is missing: run npm run build first')
  process.exit(1)
}
const before = existsSync(target) ? statSync(target).mtimeMs : 0
const run = spawnSync(
  process.execPath,
  ['node_modules/@playwright/test/cli.js', 'test', '-c', 'e2e/playwright.config.ts', 'e2e/demo.spec.ts', '--project', 'chromium', '--reporter', 'line'],
  { stdio: 'inherit', env: { ...process.env, DEMO_SCREENSHOT: target } },
)
if (run.status !== 0) process.exit(run.status ?? 1)
if (!existsSync(target) || statSync(target).mtimeMs === before) {
  console.error('screenshot: the test passed but did not write docs/demo.png')
  process.exit(1)
}
console.log(`screenshot: docs/demo.png written (${statSync(target).size} B)`)
