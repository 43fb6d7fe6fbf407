// The e2e pages load the built bundles: fail early with a clear message when they are
// missing, and build the React and Vue demos (Vite) against them.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export default function globalSetup() {
  for (const file of ['dist/session-continuity.iife.min.js', 'dist/index.mjs', 'dist/react.mjs', 'dist/vue.mjs'])
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does it)`)
  execFileSync(process.execPath, ['scripts/demo-build.mjs'], { stdio: 'inherit' })
}
