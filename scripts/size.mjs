// Size budgets, enforced in CI: brotli (quality 11) of what users download.
//  - the script-tag IIFE as shipped;
//  - a consumer's bundle of the core (esbuild, minified, tree-shaken: `import { createSession }`);
//  - each adapter, bundled with the core external: the bytes it adds on top of the core.
import { readFileSync } from 'node:fs'
import { brotli, bundle, gzip } from './measure.mjs'

const BUDGETS = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'))

const rows = [
  ['dist/session-continuity.iife.min.js (script tag)', readFileSync('dist/session-continuity.iife.min.js'), BUDGETS.iife],
  ["'.' { createSession }, consumer bundle", await bundle(`export { createSession } from './dist/index.mjs'`), BUDGETS.core],
  ["'./ky' added on top of the core", await bundle(`export * from './dist/ky.mjs'`, ['ky', './index.mjs', './chunks/*']), BUDGETS.adapter],
  ["'./react' added on top of the core", await bundle(`export * from './dist/react.mjs'`, ['react', './index.mjs', './chunks/*']), BUDGETS.adapter],
  ["'./vue' added on top of the core", await bundle(`export * from './dist/vue.mjs'`, ['vue', './index.mjs', './chunks/*']), BUDGETS.adapter],
]

let over = 0
console.log('entry'.padEnd(52), 'min'.padStart(7), 'gzip'.padStart(7), 'brotli'.padStart(7), 'budget'.padStart(7), '  status')
for (const [label, buf, budget] of rows) {
  const size = brotli(buf)
  const ok = size <= budget
  if (!ok) over++
  console.log(label.padEnd(52), String(buf.length).padStart(7), String(gzip(buf)).padStart(7), String(size).padStart(7), String(budget).padStart(7), ok ? `  ok (${budget - size} B left)` : `  OVER by ${size - budget} B`)
}
const iife = brotli(rows[0][1])
console.log(`\nscript-tag target: ${BUDGETS.target} B brotli; today ${iife} B (${iife <= BUDGETS.target ? 'met' : 'not met: the enforced ceiling above is a ratchet; bench/RESULTS.md says where the bytes go'})`)
if (over) {
  console.error(`size: ${over} budget(s) exceeded (scripts/size-budgets.json)`)
  process.exit(1)
}
