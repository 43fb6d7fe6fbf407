// Size budgets, enforced in CI: brotli (quality 11) of what users download, production builds.
//  - the interceptor-only entry, the core alone, the core with each part, everything: what an
//    app's bundler makes of `import { ... } from 'session-continuity'` (esbuild, minified);
//  - the script-tag IIFE as shipped (production, terser), and its development twin (reported);
//  - each adapter and the OAuth helper, bundled with the core external: the bytes they add.
// Budgets (scripts/size-budgets.json) are ceilings: lower them as the code shrinks. Targets are
// printed beside them; a target not met is reported, not failed on.
import { readFileSync } from 'node:fs'
import { brotli, bundle, gzip } from './measure.mjs'
import { sri } from './sri.mjs'
import { foreignMarks } from './part-marks.mjs'

const { budgets, targets } = JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8'))
const prod = './dist/production'
const core = (parts = '') => bundle(`export { createSession${parts} } from '${prod}/index.mjs'`)
const onTop = (file, peers) => bundle(`export * from '${file}'`, [...peers, './index.mjs', './chunks/*', '../index.mjs'], { 'process.env.NODE_ENV': '"production"' })

const rows = [
  ['fetch', "'./fetch' createRefreshingFetch (interceptor only)", await bundle(`export { createRefreshingFetch } from '${prod}/fetch.mjs'`)],
  ['core', "'.' createSession, no parts (cross-tab lock and sync)", await core()],
  ['coreIdle', '  + idle()', await core(', idle')],
  ['coreReturnTo', '  + returnTo()', await core(', returnTo')],
  ['coreFallback', '  + storageFallback()', await core(', storageFallback')],
  ['coreDiagnostics', '  + diagnostics()', await core(', diagnostics')],
  ['everything', "'.' everything (export *)", await bundle(`export * from '${prod}/index.mjs'`)],
  ['iife', 'dist/session-continuity.iife.min.js (script tag)', readFileSync('dist/session-continuity.iife.min.js')],
  ['iifeDev', 'dist/session-continuity.iife.js (development, unminified)', readFileSync('dist/session-continuity.iife.js')],
  ['coreDev', "'.' createSession, development build", await bundle(`export { createSession } from './dist/development/index.mjs'`)],
  ['oauth', "'./oauth' on top of the core", await onTop('./dist/oauth.mjs', [])],
  ['ky', "'./ky' on top of the core", await onTop('./dist/ky.mjs', ['ky'])],
  ['react', "'./react' on top of the core", await onTop('./dist/react.mjs', ['react'])],
  ['vue', "'./vue' on top of the core", await onTop('./dist/vue.mjs', ['vue'])],
]

// The package's files are single modules per entry: an unused part must leave nothing there either.
const leaks = rows.flatMap(([key, , buf]) => {
  const keep = { core: [], coreIdle: ['idle'], coreReturnTo: ['returnTo'], coreFallback: ['storageFallback'], coreDiagnostics: ['diagnostics'] }[key]
  return keep ? foreignMarks(buf.toString(), keep).map((mark) => `${key} carries ${mark}`) : []
})
if (leaks.length) console.error(`size: unused parts left code in the production build:\n  ${leaks.join('\n  ')}`)

const size = Object.fromEntries(rows.map(([key, , buf]) => [key, brotli(buf)]))
let over = 0
console.log('entry'.padEnd(60), 'min'.padStart(7), 'gzip'.padStart(7), 'brotli'.padStart(7), 'budget'.padStart(7), 'target'.padStart(7), '  status')
for (const [key, label, buf] of rows) {
  const budget = budgets[key]
  const ok = budget === undefined || size[key] <= budget
  if (!ok) over++
  const status = budget === undefined ? '  (reported)' : ok ? `  ok (${budget - size[key]} B left)` : `  OVER by ${size[key] - budget} B`
  const target = targets[key] === undefined ? '' : targets[key] >= size[key] ? `${targets[key]}✓` : `${targets[key]}✗`
  console.log(label.padEnd(60), String(buf.length).padStart(7), String(gzip(buf)).padStart(7), String(size[key]).padStart(7), String(budget ?? '').padStart(7), target.padStart(7), status)
}
console.log('\nwhat each part adds to the core (brotli):')
for (const [key, part] of [['coreIdle', 'idle()'], ['coreReturnTo', 'returnTo()'], ['coreFallback', 'storageFallback()'], ['coreDiagnostics', 'diagnostics()']])
  console.log(`  ${part.padEnd(20)} +${size[key] - size.core} B`)
console.log(`development builds: the core +${size.coreDev - size.core} B (full messages, option hints)`)
const missed = Object.keys(targets).filter((key) => size[key] > targets[key])
console.log(missed.length ? `targets not met: ${missed.map((key) => `${key} ${size[key]} > ${targets[key]}`).join(', ')}` : 'every target met')
console.log('\nSubresource Integrity of the script-tag files (also in dist/sri.json):')
for (const [path, { integrity }] of Object.entries(sri({ write: false }).files)) console.log(`  ${path}  ${integrity}`)
if (over || leaks.length) {
  console.error(`size: ${over} budget(s) exceeded (scripts/size-budgets.json)`)
  process.exit(1)
}
