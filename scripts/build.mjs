// Builds dist/: ESM (.mjs) and CJS (.cjs) for every subpath, the minified IIFE for the
// script tag, and .d.ts declarations (+ .d.cts twins for require consumers).
import { rollup } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { execFileSync } from 'node:child_process'
import { rmSync, readdirSync, statSync, copyFileSync, existsSync, writeFileSync } from 'node:fs'
import { buildIife } from './iife.mjs'
import { join } from 'node:path'

const entries = {
  index: 'src/index.ts',
  mock: 'src/mock/index.ts',
  'mock-server': 'src/mock/server.ts',
  'mock-playwright': 'src/mock/playwright.ts',
  ky: 'src/adapters/ky.ts',
  react: 'src/adapters/react.ts',
  vue: 'src/adapters/vue.ts',
}
// Peers and Node built-ins stay imports; nothing is bundled into the library entries.
const external = (id) => /^(node:|msw|ky$|react|vue$|@playwright\/test)/.test(id)

rmSync('dist', { recursive: true, force: true })

const lib = await rollup({
  // (check-package.mjs fails the run if an exported entry was not built)
  input: Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file))),
  external,
  plugins: [esbuild({ target: 'es2020', tsconfig: 'tsconfig.json' })],
})
await lib.write({ dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' })
await lib.write({ dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', exports: 'named' })
await lib.close()

writeFileSync('dist/session-continuity.iife.min.js', await buildIife())

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })

let declarations = 0
const twin = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) twin(path)
    else if (name.endsWith('.d.ts')) {
      copyFileSync(path, path.slice(0, -5) + '.d.cts')
      declarations++
    }
  }
}
twin('dist')
console.log(`build: bundles in dist/, ${declarations} declaration files (+ .d.cts twins)`)
