// Checks the published shape: every subpath in `exports` resolves under import and require,
// each condition lists `types` first and the file exists, and there are no runtime dependencies.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const problems = []
if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push('package.json has runtime dependencies')
if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false')
for (const [subpath, conditions] of Object.entries(pkg.exports)) {
  if (typeof conditions === 'string') continue
  for (const [condition, target] of Object.entries(conditions)) {
    const keys = Object.keys(target)
    if (keys[0] !== 'types') problems.push(`${subpath} ${condition}: "types" must come first`)
    for (const file of Object.values(target)) if (!existsSync(file)) problems.push(`${subpath} ${condition}: ${file} is missing`)
  }
}
if (!existsSync('dist/session-continuity.iife.min.js')) problems.push('the IIFE bundle is missing')

// Load the core both ways in Node (no window): SSR-safe import and the same API shape.
const require = createRequire(import.meta.url)
const esm = await import(new URL('../dist/index.mjs', import.meta.url))
const cjs = require('../dist/index.cjs')
for (const api of [esm, cjs]) if (typeof api.createSession !== 'function') problems.push('createSession is not exported')

if (problems.length) {
  console.error('check-package:\n  - ' + problems.join('\n  - '))
  process.exit(1)
}
console.log(`check-package: ${Object.keys(pkg.exports).length - 1} subpaths resolve under import and require, with types first; no runtime dependencies; core loads in Node`)
