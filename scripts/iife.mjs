// The script-tag bundle, built one way for the build and for the size breakdown:
// rollup + esbuild (ES2020), then terser (a few % smaller than esbuild's minifier).
import { rollup } from 'rollup'
import esbuild from 'rollup-plugin-esbuild'
import { minify } from 'terser'

/**
 * Returns the minified IIFE (global `SessionContinuity`) as a string. `stubs` maps a path
 * ending (e.g. 'tabs/lock.ts') to replacement source, to measure what a part costs.
 */
export async function buildIife(stubs = {}) {
  const stub = {
    name: 'stub',
    load(id) {
      for (const [ending, source] of Object.entries(stubs)) if (id.endsWith(ending)) return source
      return null
    },
  }
  const bundle = await rollup({ input: 'src/index.ts', plugins: [stub, esbuild({ target: 'es2020', tsconfig: 'tsconfig.json' })], onwarn() {} })
  const { output } = await bundle.generate({ format: 'iife', name: 'SessionContinuity' })
  await bundle.close()
  return (await minify(output[0].code, { ecma: 2020, compress: { passes: 3 }, mangle: true, format: { comments: false } })).code
}
