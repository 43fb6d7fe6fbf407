// Layers point down only. Fails (exit 1) when a module imports one above it, when a part
// reaches into another part or into the core beyond its part interface, or when an adapter
// or the mock reaches past the public entry. Used by test/build/layers.test.ts (npm test).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** What each place may import (paths relative to src/, prefixes). Its own folder is always allowed. */
const RULES = [
  ['base/', []],
  ['http/', ['base/']],
  ['core/', ['base/', 'http/']],
  // A part sees the ground floor and the core's part interface (types), nothing of another part.
  ['parts/', ['base/', 'core/types.ts']],
  ['oauth/', ['base/', 'core/types.ts']],
  ['entries/', ['base/', 'http/', 'core/', 'parts/', 'index.ts']],
  ['index.ts', ['base/', 'core/', 'parts/']],
  // Adapters and the mock use the public API only.
  ['adapters/', ['index.ts']],
  ['mock/', ['index.ts']],
]

const files = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []))
/** The folder a module belongs to for "its own folder" (parts/idle/, not parts/). */
const home = (path) => (path.startsWith('parts/') ? path.split('/').slice(0, 2).join('/') + '/' : path.includes('/') ? path.split('/')[0] + '/' : path)

export function checkLayers(root = 'src') {
  const problems = []
  for (const file of files(root)) {
    const from = relative(root, file).replaceAll('\\', '/')
    const rule = RULES.find(([prefix]) => from.startsWith(prefix))
    if (!rule) {
      problems.push(`${from}: not in any layer (add it to scripts/check-layers.mjs)`)
      continue
    }
    const source = readFileSync(file, 'utf8')
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))).replaceAll('\\', '/')
      const allowed = target.startsWith(home(from)) || rule[1].some((prefix) => target.startsWith(prefix))
      if (!allowed) problems.push(`${from} imports ${target}: ${rule[0]} may import ${[home(from), ...rule[1]].join(', ')}`)
    }
  }
  return problems
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkLayers()
  if (problems.length) {
    console.error('check-layers:\n  - ' + problems.join('\n  - '))
    process.exit(1)
  }
  console.log('check-layers: every import points down a layer')
}
