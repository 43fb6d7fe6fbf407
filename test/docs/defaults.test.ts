// Documented defaults match the code: the README's options tables and the type comments
// (what an editor shows on hover) against the specs the options are read with.
// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SPEC } from '../../src/core/options.js'
import { IDLE_SPEC, normalizeIdle } from '../../src/parts/idle/options.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const types = readFileSync(new URL('../../src/core/types.ts', import.meta.url), 'utf8')
const idleTypes = readFileSync(new URL('../../src/parts/idle/index.ts', import.meta.url), 'utf8')

/** `name -> default` for every spec entry that has one (kinds s, m, M, e). */
const defaults = (spec: string) =>
  Object.fromEntries(
    spec
      .split(' ')
      .map((entry) => entry.split(':'))
      .filter(([, kind, fallback]) => fallback !== undefined && 'smMe'.includes(kind!))
      .map(([name, kind, fallback]) => [name, kind == 'e' ? fallback!.split('|')[0] : fallback]),
  )
const normal = (text: string) => text.replace(/[`'_]/g, '').trim()

/** The rows `| \`name\` | default | …` of the README table that follows `heading`. */
function tableAfter(heading: string): Record<string, string> {
  const start = readme.indexOf(heading)
  expect(start, heading).toBeGreaterThan(-1)
  const rows: Record<string, string> = {}
  for (const line of readme.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|') && Object.keys(rows).length) break
    const cells = line.split('|').map((c) => c.trim())
    const name = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1]
    if (name) rows[name] = cells[2]!
  }
  return rows
}

/** `name -> default` from the `(default X)` in the comment right above `name?:` in `source`. */
function commented(source: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of source.matchAll(/\/\*\*(?:[^*]|\*(?!\/))*?\(default ([^)]+)\)(?:[^*]|\*(?!\/))*\*\/\s*(\w+)\??:/g)) out[m[2]!] = m[1]!.split(/[,;:]/)[0]!
  return out
}

describe('documented defaults', () => {
  it('the README options table states the core defaults', () => {
    const table = tableAfter('## Options')
    const code = defaults(SPEC)
    expect(Object.keys(code).length).toBeGreaterThan(8)
    for (const [name, value] of Object.entries(code)) expect(normal(table[name] ?? '(missing)'), name).toBe(normal(value))
    expect(normal(table.retry!)).toBe('{ base: 1000, max: 60000 }')
  })

  it("the README idle() table states the idle part's defaults", () => {
    const table = tableAfter('**`idle(options)`**')
    for (const [name, value] of Object.entries(defaults(IDLE_SPEC))) expect(normal(table[name] ?? '(missing)'), name).toBe(normal(value))
    expect(normal(table.warnBefore!)).toBe('min(60000, timeout / 4)')
    expect(normalizeIdle({ timeout: 100_000 }).warnBefore).toBe(Math.min(60_000, 100_000 / 4))
  })

  it('the type comments (editor hovers) state the same defaults as the code', () => {
    const code = { ...defaults(SPEC), ...defaults(IDLE_SPEC) }
    const hovers = { ...commented(types), ...commented(idleTypes) }
    // Every hover that names a default for a plain option is checked (and there are several).
    const checked = Object.keys(hovers).filter((name) => name in code)
    expect(checked).toEqual(expect.arrayContaining(['refreshTimeout', 'lockTimeout', 'refreshBefore', 'beforeSignOutTimeout', 'logoutTimeout', 'absoluteWarnBefore']))
    for (const name of checked) expect(normal(hovers[name]!), name).toBe(normal(code[name]!))
  })
})
