// Builds dist/:
//  - ESM (.mjs) and CJS (.cjs) for every subpath, three times: dist/*.{mjs,cjs} keep
//    `process.env.NODE_ENV` for the consumer's bundler to replace; dist/development/ and
//    dist/production/ have it replaced (the `development` / `production` export conditions);
//  - the script-tag IIFE twice: dist/session-continuity.iife.js (development, readable) and
//    dist/session-continuity.iife.min.js (production, terser), and dist/sri.json with their
//    sha384 integrity hashes (scripts/sri.mjs);
//  - declarations: .d.ts from tsc (ESM), and .d.cts twins for require consumers whose relative
//    imports point at the .d.cts twins and whose imports of ESM-only packages carry
//    `resolution-mode: import` (a byte copy would be an ES module to TypeScript: TS1479/TS1541).
import { rollup } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { execFileSync } from 'node:child_process'
import { rmSync, readdirSync, statSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildIife } from './iife.mjs'
import { sri } from './sri.mjs'

// Output name -> source. The subpath of each is in package.json `exports` (./dist/<name>.mjs).
// An entry whose source does not exist yet is skipped (check-package reports it as pending).
export const entries = {
  index: 'src/index.ts',
  mock: 'src/mock/index.ts',
  'mock-server': 'src/mock/server.ts',
  'mock-playwright': 'src/mock/playwright.ts',
  ky: 'src/adapters/ky.ts',
  react: 'src/adapters/react.ts',
  vue: 'src/adapters/vue.ts',
  fetch: 'src/entries/fetch.ts',
  oauth: 'src/oauth/index.ts',
}
// Peers and Node built-ins stay imports; nothing is bundled into the library entries.
const external = (id) => /^(node:|msw|ky$|react|vue$|@playwright\/test)/.test(id)

// The three library builds: where they go and what `process.env.NODE_ENV` becomes.
export const modes = [
  { dir: 'dist', env: null },
  { dir: 'dist/development', env: 'development' },
  { dir: 'dist/production', env: 'production' },
]

async function buildLibrary({ dir, env }, input) {
  const define = env ? { 'process.env.NODE_ENV': JSON.stringify(env) } : {}
  const lib = await rollup({ input, external, plugins: [esbuild({ target: 'es2020', tsconfig: 'tsconfig.json', define })] })
  await lib.write({ dir, format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' })
  await lib.write({ dir, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', exports: 'named' })
  await lib.close()
}

// A bare import of a package that has no `require` anywhere in its exports and is
// "type": "module" (ky 2): a CommonJS declaration file may only refer to it type-only,
// with `resolution-mode: import`.
const esmOnlyCache = new Map()
function isEsmOnly(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return false
  const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')
  if (!esmOnlyCache.has(name)) {
    let esmOnly = false
    try {
      const pkg = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8'))
      esmOnly = pkg.type === 'module' && !JSON.stringify(pkg.exports ?? {}).includes('"require"')
    } catch {}
    esmOnlyCache.set(name, esmOnly)
  }
  return esmOnlyCache.get(name)
}

const IMPORT_MODE = `with { 'resolution-mode': 'import' }`
const typeOnly = (names) => names.replace(/\btype\s+/g, '')

/** The CommonJS twin of a tsc-emitted .d.ts. Exported for the consumer check's tests. */
export function toCjsDeclaration(source) {
  return (
    source
      // import/export ... from '<specifier>';  (one statement, possibly over several lines)
      .replace(/(^|\n)(import|export)\s+(type\s+)?([^;'"]*?)\s+from\s+(['"])([^'"]+)\5\s*;/g, (all, nl, kind, type, clause, q, spec) => {
        if (spec.startsWith('.')) return all.replace(/(['"])(\.{1,2}\/[^'"]*?)\.js\1/, '$1$2.cjs$1')
        if (!isEsmOnly(spec)) return all
        const from = `from ${q}${spec}${q} ${IMPORT_MODE};`
        if (kind === 'export') return `${nl}export type ${typeOnly(clause)} ${from}`
        // `import X, { a, type b }` -> `import type X` + `import type { a, b }`
        const parts = []
        const named = clause.match(/\{[\s\S]*\}/)?.[0]
        const star = clause.match(/\*\s+as\s+\w+/)?.[0]
        const def = clause.replace(/\{[\s\S]*\}/, '').replace(/\*\s+as\s+\w+/, '').replace(/,/g, '').trim()
        if (def) parts.push(`import type ${def} ${from}`)
        if (star) parts.push(`import type ${star} ${from}`)
        if (named) parts.push(`import type ${typeOnly(named)} ${from}`)
        return nl + parts.join('\n')
      })
      // import("<specifier>") in a type
      .replace(/import\((['"])([^'"]+)\1\)/g, (all, q, spec) => {
        if (spec.startsWith('.')) return all.replace(/\.js(['"])\)$/, '.cjs$1)')
        return isEsmOnly(spec) ? `import(${q}${spec}${q}, { with: { 'resolution-mode': 'import' } })` : all
      })
  )
}

function twinDeclarations(dir) {
  let count = 0
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) count += twinDeclarations(path)
    else if (name.endsWith('.d.ts')) {
      writeFileSync(path.slice(0, -5) + '.d.cts', toCjsDeclaration(readFileSync(path, 'utf8')))
      count++
    }
  }
  return count
}

async function main() {
  rmSync('dist', { recursive: true, force: true })
  const input = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)))
  for (const mode of modes) await buildLibrary(mode, input)

  writeFileSync('dist/session-continuity.iife.js', await buildIife({}, { mode: 'development' }))
  writeFileSync('dist/session-continuity.iife.min.js', await buildIife({}, { mode: 'production' }))
  sri() // dist/sri.json: the integrity hashes of both IIFE files

  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
  const declarations = twinDeclarations('dist')

  const skipped = Object.entries(entries).filter(([, file]) => !existsSync(file))
  console.log(
    `build: ${Object.keys(input).length} entries x (default, development, production) x (ESM, CJS), 2 IIFE files, ` +
      `${declarations} declaration files + .d.cts twins` +
      (skipped.length ? `; not built yet (no source): ${skipped.map(([name, file]) => `${name} (${file})`).join(', ')}` : ''),
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
