// The layer rule as a test: a module never imports one above it (see scripts/check-layers.mjs).
// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error: a plain .mjs script without declarations
import { checkLayers } from '../../scripts/check-layers.mjs'

describe('layers point down only', () => {
  it('src/ has no import that runs up a layer or across parts', () => {
    expect(checkLayers('src')).toEqual([])
  })

  it('the check catches an upward import, a part reaching into another, and an adapter past the public entry', () => {
    const root = mkdtempSync(join(tmpdir(), 'layers-'))
    for (const dir of ['base', 'core', 'parts/idle', 'parts/return-to', 'adapters']) mkdirSync(join(root, dir), { recursive: true })
    writeFileSync(join(root, 'base/clock.ts'), "import { x } from '../core/session.js'\n")
    writeFileSync(join(root, 'core/session.ts'), "import { y } from './state.js'\n")
    writeFileSync(join(root, 'parts/idle/index.ts'), "import { z } from '../return-to/return-to.js'\nimport type { Part } from '../../core/types.js'\n")
    writeFileSync(join(root, 'adapters/react.ts'), "import { w } from '../core/session.js'\n")
    expect(checkLayers(root)).toEqual([
      expect.stringContaining('adapters/react.ts imports core/session.ts'),
      expect.stringContaining('base/clock.ts imports core/session.ts'),
      expect.stringContaining('parts/idle/index.ts imports parts/return-to/return-to.ts'),
    ])
  })
})

describe('small modules', () => {
  it('no code file in src, test, e2e, scripts, bench or demo is over 300 lines', () => {
    const built = /(^|\/)(node_modules|dist|test-results)(\/|$)/
    const files = ['src', 'test', 'e2e', 'scripts', 'bench', 'demo']
      .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)))
      .filter((f) => /\.(ts|tsx|mjs|js|vue)$/.test(f) && !built.test(f))
    expect(files.filter((f) => f.startsWith('src')).length).toBeGreaterThan(20)
    const long = files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 300)
    expect(long).toEqual([])
  })
})
