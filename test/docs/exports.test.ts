// Every name a subpath exports is in the README, so nothing public is undocumented.
// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const ENTRIES: Record<string, string> = {
  'session-continuity': '../../src/index.js',
  'session-continuity/fetch': '../../src/entries/fetch.js',
  'session-continuity/oauth': '../../src/oauth/index.js',
  'session-continuity/ky': '../../src/adapters/ky.js',
  'session-continuity/react': '../../src/adapters/react.js',
  'session-continuity/vue': '../../src/adapters/vue.js',
  'session-continuity/mock': '../../src/mock/index.js',
}

describe('the README names every export', () => {
  for (const [subpath, file] of Object.entries(ENTRIES))
    it(subpath, async () => {
      const names = Object.keys(await import(file))
      expect(names.length).toBeGreaterThan(0)
      for (const name of names) expect(readme, `${subpath} exports ${name}`).toContain(name)
    })
})
