// The script-tag bundle, built one way for the build and for the size breakdown:
// rollup + esbuild (ES2020) with `process.env.NODE_ENV` replaced, then, for production,
// terser (a few % smaller than esbuild's minifier).
import { existsSync } from 'node:fs'
import { rollup } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { minify } from 'terser'

/** What the script tag exposes: the full entry once it exists, the core until then. */
export const iifeInput = () => (existsSync('src/entries/full.ts') ? 'src/entries/full.ts' : 'src/index.ts')

/**
 * Returns the IIFE (global `SessionContinuity`) as a string. `stubs` maps a path ending
 * (e.g. 'tabs/lock.ts') to replacement source, to measure what a part costs.
 * `mode: 'production'` (the default: what dist/session-continuity.iife.min.js ships and what
 * the size budgets measure) drops the development-only code and minifies with terser;
 * `mode: 'development'` keeps it and leaves the code readable (dist/session-continuity.iife.js).
 */
export async function buildIife(stubs = {}, { mode = 'production' } = {}) {
  if (mode !== 'production' && mode !== 'development') throw new Error(`buildIife: mode must be 'production' or 'development', not ${mode}`)
  const stub = {
    name: 'stub',
    load(id) {
      for (const [ending, source] of Object.entries(stubs)) if (id.endsWith(ending)) return source
      return null
    },
  }
  const bundle = await rollup({
    input: iifeInput(),
    plugins: [stub, esbuild({ target: 'es2020', tsconfig: 'tsconfig.json', define: { 'process.env.NODE_ENV': JSON.stringify(mode) } })],
    onwarn() {},
  })
  const { output } = await bundle.generate({ format: 'iife', name: 'SessionContinuity' })
  await bundle.close()
  if (mode === 'development') return output[0].code
  return (await minify(output[0].code, { ecma: 2020, compress: { passes: 3 }, mangle: true, format: { comments: false } })).code
}
