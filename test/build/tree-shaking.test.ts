// A part the app does not use leaves nothing in its bundle: bundle the core alone (as an
// app's bundler would, production build) and look for each part's code and strings.
// @vitest-environment node
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { PART_MARKS } from '../../scripts/part-marks.mjs'

const bundle = async (code: string) => {
  const result = await build({
    stdin: { contents: code, resolveDir: new URL('../../src', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  return result.outputFiles[0]!.text
}

const MARKS: Record<string, string[]> = PART_MARKS

describe('tree-shaking', () => {
  it('the core alone carries no part', async () => {
    const core = await bundle(`export { createSession } from './index.ts'`)
    for (const [part, marks] of Object.entries(MARKS)) for (const mark of marks) expect(core, `${part}: ${mark}`).not.toContain(mark)
  })

  it('each part brings its own code, and only its own', async () => {
    for (const part of Object.keys(MARKS)) {
      const code = await bundle(`export { createSession, ${part} } from './index.ts'`)
      for (const mark of MARKS[part]!) expect(code, `${part}: ${mark}`).toContain(mark)
      for (const [other, marks] of Object.entries(MARKS)) if (other != part) for (const mark of marks) expect(code, `${part} bundle: ${other}'s ${mark}`).not.toContain(mark)
    }
  })

  it('the interceptor-only entry carries no session machinery', async () => {
    const code = await bundle(`export { createRefreshingFetch } from './entries/fetch.ts'`)
    for (const mark of [':refresh', 'BroadcastChannel', 'locks', 'signedOut', 'hello']) expect(code, mark).not.toContain(mark)
  })
})
