// Checks the package as it is published: the tarball `npm pack` makes from the built dist/.
//  1. publint and @arethetypeswrong/cli (attw, strict profile: node10, node16 from CJS and from
//     ESM, bundler) on the tarball: the exports map, file formats, types for every resolution.
//  2. TypeScript consumers of the unpacked tarball type-check clean with skipLibCheck false,
//     importing every subpath: CommonJS (module node16), ESM (node16) and ESM (bundler).
//  3. What those tools do not cover: no runtime dependencies, "sideEffects": false, every
//     subpath loads in Node (import and require, under the default, development and production
//     conditions), the development/production builds and the IIFE files have no
//     `process.env.NODE_ENV` left, the IIFE files define the `SessionContinuity` global, and
//     dist/sri.json holds their hashes, and the README's script tag carries the production one.
// A subpath whose source file does not exist yet (scripts/build.mjs skips it) is reported as
// pending and left out of all of this; any other gap fails the run.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { entries, modes } from './build.mjs'
import { sri } from './sri.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const problems = []
const step = (title) => console.log(`\n== check-package: ${title}`)

// --- which subpaths exist yet ------------------------------------------------------------------
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json')
const entryOf = (subpath) => basename(pkg.exports[subpath].import.default, '.mjs')
const pending = []
for (const subpath of subpaths) {
  const name = entryOf(subpath)
  if (!(name in entries)) problems.push(`exports["${subpath}"] points at dist/${name}.mjs, which scripts/build.mjs has no entry for`)
  else if (!existsSync(entries[name])) pending.push(subpath)
}
const exported = new Set(subpaths.map(entryOf))
for (const name of Object.keys(entries)) if (!exported.has(name)) problems.push(`scripts/build.mjs builds "${name}", which no subpath in exports names`)
const live = subpaths.filter((s) => !pending.includes(s))
for (const subpath of subpaths.filter((s) => s !== '.')) {
  const mapped = pkg.typesVersions?.['*']?.[subpath.slice(2)]
  if (JSON.stringify(mapped) !== JSON.stringify([pkg.exports[subpath].import.types]))
    problems.push(`typesVersions["*"]["${subpath.slice(2)}"] should be ["${pkg.exports[subpath].import.types}"] (node10 resolution)`)
}
if (pending.length) console.log(`check-package: pending (source not there yet, not built, not checked): ${pending.map((s) => `${s} (${entries[entryOf(s)]})`).join(', ')}`)

// --- the project's own rules -------------------------------------------------------------------
if (pkg.dependencies && Object.keys(pkg.dependencies).length) problems.push('package.json has runtime dependencies')
if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false')
for (const file of ['dist/session-continuity.iife.js', 'dist/session-continuity.iife.min.js']) {
  if (!existsSync(file)) {
    problems.push(`${file} is missing`)
    continue
  }
  const code = readFileSync(file, 'utf8')
  const sandbox = {}
  try {
    vm.runInNewContext(code, sandbox, { filename: file })
    if (typeof sandbox.SessionContinuity?.createSession !== 'function') problems.push(`${file} does not define SessionContinuity.createSession`)
  } catch (error) {
    problems.push(`${file} throws when loaded: ${error.message}`)
  }
  if (code.includes('process.env')) problems.push(`${file} still refers to process.env`)
}
try {
  const shipped = JSON.parse(readFileSync('dist/sri.json', 'utf8'))
  const now = sri({ write: false })
  if (JSON.stringify(shipped) !== JSON.stringify(now)) problems.push('dist/sri.json does not match the IIFE files (run npm run sri)')
  // The README's script tag is copied as it is: its integrity must be this build's, or the
  // browser refuses the file.
  const tag = readFileSync('README.md', 'utf8').match(/session-continuity\.iife\.min\.js"\s+integrity="(sha384-[^"]+)"/)
  const built = now.files['dist/session-continuity.iife.min.js'].integrity
  if (!tag) problems.push("README.md: no script tag with an integrity for session-continuity.iife.min.js")
  else if (tag[1] !== built) problems.push(`README.md: the script tag's integrity ${tag[1]} is not this build's ${built} (npm run size prints it)`)
} catch (error) {
  problems.push(`dist/sri.json: ${error.message}`)
}
const filesUnder = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile()) : [])
for (const { dir, env } of modes.filter((m) => m.env)) {
  for (const file of filesUnder(dir)) if (readFileSync(file, 'utf8').includes('process.env.NODE_ENV')) problems.push(`${file} (the ${env} build) still refers to process.env.NODE_ENV`)
}
const guarded = filesUnder('src').some((f) => readFileSync(f, 'utf8').includes('process.env.NODE_ENV'))
const kept = [...readdirSync('dist').map((f) => join('dist', f)), ...filesUnder('dist/chunks')].some((f) => f.endsWith('.mjs') && readFileSync(f, 'utf8').includes('process.env.NODE_ENV'))
if (guarded && !kept) problems.push('src/ has process.env.NODE_ENV guards but the default build (dist/*.mjs) lost them: it must leave them to the consumer\'s bundler')

// --- the tarball -------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'session-continuity-check-'))
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { encoding: 'utf8' }))
const tarball = join(work, packed.filename)
console.log(`check-package: ${packed.filename}, ${packed.entryCount} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`)

step(`publint ${readFileSync('node_modules/publint/package.json', 'utf8').match(/"version": "([^"]+)"/)[1]}`)
{
  const { messages, pkg: linted } = await publint({ pack: { tarball: readFileSync(tarball).buffer }, strict: true })
  const counted = messages.filter((m) => !(m.code === 'FILE_DOES_NOT_EXIST' && m.path[0] === 'exports' && pending.includes(m.path[1])) && !(m.path[0] === 'typesVersions' && pending.some((s) => m.path.includes(s.slice(2)))))
  for (const m of counted) console.log(`  ${m.type}: ${formatMessage(m, linted, { color: false })}`)
  const failing = counted.filter((m) => m.type !== 'suggestion')
  if (failing.length) problems.push(`publint: ${failing.length} error(s)/warning(s)`)
  console.log(`  ${failing.length} errors or warnings, ${counted.length - failing.length} suggestions${messages.length > counted.length ? `, ${messages.length - counted.length} about pending subpaths left out` : ''}`)
}

step(`@arethetypeswrong/cli ${JSON.parse(readFileSync('node_modules/@arethetypeswrong/cli/package.json', 'utf8')).version} (profile strict)`)
{
  const args = ['node_modules/@arethetypeswrong/cli/dist/index.js', tarball, '--no-definitely-typed', '--format', 'table', '--no-color', '--profile', 'strict']
  if (pending.length) args.push('--exclude-entrypoints', ...pending)
  const attw = spawnSync(process.execPath, args, { encoding: 'utf8' })
  process.stdout.write(attw.stdout + attw.stderr)
  if (attw.status !== 0) problems.push(`attw found problems (exit ${attw.status})`)
}

// --- consumers of the unpacked tarball ---------------------------------------------------------
step('TypeScript consumers (skipLibCheck false), every subpath')
const consumers = [
  { name: 'cjs-node16', type: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'esm-node16', type: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'esm-bundler', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } },
  // A browser app: no Node types, an ES2020 library; every subpath but the Node-only /mock ones.
  { name: 'browser-bundler', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' }, lib: ['es2020', 'dom', 'dom.iterable'], types: [], only: (s) => !s.startsWith('./mock') },
]
const modules = join(work, 'node_modules')
mkdirSync(join(modules, 'session-continuity'), { recursive: true })
execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'session-continuity'), '--strip-components=1'])
// The peers (and everything else the repo installed) as the consumer's node_modules.
for (const name of readdirSync('node_modules')) {
  if (name.startsWith('.') || name === 'session-continuity') continue
  symlinkSync(resolve('node_modules', name), join(modules, name))
}
const ident = (subpath) => (subpath === '.' ? 'core' : subpath.slice(2).replace(/\W/g, '_'))
const specifier = (subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`)
const consumerSource = (list) =>
  list.map((s) => `import * as ${ident(s)} from '${specifier(s)}'`).join('\n') +
  `\nexport const createSession: typeof core.createSession = core.createSession\nexport const all = [${list.map(ident).join(', ')}]\n`
const tsc = resolve('node_modules/typescript/bin/tsc')
// The peers' own declarations are type-checked too (skipLibCheck false), and some have errors of
// their own under some settings (msw 2.15's CommonJS types import the ESM-only rettime: TS1479).
// A baseline consumer importing just those peers measures that; only errors beyond it count.
const peers = new Set()
for (const file of filesUnder(join(modules, 'session-continuity', 'dist')).filter((f) => /\.d\.c?ts$/.test(f)))
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from |import\()['"]([^.'"][^'"]*)['"]/g)) peers.add(spec)
const diagnostics = (output) => output.replaceAll(work, '<tmp>').split(/\n(?=\S)/).map((d) => d.trim()).filter((d) => / error TS\d+/.test(d))
const typecheck = (dir, file) => {
  writeFileSync(join(dir, `tsconfig.${file}.json`), JSON.stringify({ extends: './tsconfig.json', files: [`${file}.ts`] }))
  const run = spawnSync(process.execPath, [tsc, '-p', join(dir, `tsconfig.${file}.json`), '--pretty', 'false'], { encoding: 'utf8', cwd: dir })
  return diagnostics(run.stdout + run.stderr)
}
for (const consumer of consumers) {
  const dir = join(work, consumer.name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${consumer.name}`, private: true, type: consumer.type }))
  // (the /mock/playwright types need Node's and the esnext disposables)
  const { lib = ['esnext', 'dom'], types = ['node'], only = () => true } = consumer
  const compilerOptions = { ...consumer.compilerOptions, target: 'es2022', lib, types, strict: true, noEmit: true, skipLibCheck: false, verbatimModuleSyntax: false }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }, null, 2))
  const list = live.filter(only)
  writeFileSync(join(dir, 'index.ts'), consumerSource(list))
  writeFileSync(join(dir, 'peers.ts'), [...peers].map((spec, i) => `import type * as peer${i} from '${spec}'\nexport type Peer${i} = typeof peer${i}`).join('\n') + '\n')
  const theirs = new Set(typecheck(dir, 'peers').filter((d) => !d.startsWith('peers.ts')))
  const all = typecheck(dir, 'index')
  const ours = all.filter((d) => !theirs.has(d))
  const settings = `${Object.entries(consumer.compilerOptions).map(([k, v]) => `${k} ${v}`).join(', ')}, "type": "${consumer.type}", types [${types}], ${list.length} subpaths`
  const note = all.length > ours.length ? ` (not counted: ${all.length - ours.length} error(s) in peers' own declarations, which a consumer importing those peers alone gets too)` : ''
  console.log(`  ${consumer.name} (${settings}): ${ours.length ? `FAILED, ${ours.length} error(s)` : 'clean'}${note}`)
  if (ours.length) {
    console.log(ours.slice(0, 30).map((d) => `    ${d}`).join('\n') + (ours.length > 30 ? `\n    ... ${ours.length - 30} more` : ''))
    problems.push(`the ${consumer.name} consumer does not type-check`)
  }
}

step('Node loads every subpath from the tarball (import and require; default, development, production)')
{
  const list = JSON.stringify(live.map(specifier))
  const esm = `for (const s of ${list}) { const m = await import(s); if (!Object.keys(m).length) throw new Error(s + ': no exports') } const core = await import('${pkg.name}'); if (typeof core.createSession !== 'function') throw new Error('createSession is not exported')`
  const cjs = `for (const s of ${list}) { const m = require(s); if (!Object.keys(m).length) throw new Error(s + ': no exports') } if (typeof require('${pkg.name}').createSession !== 'function') throw new Error('createSession is not exported')`
  for (const conditions of [[], ['--conditions=development'], ['--conditions=production']]) {
    for (const [label, dir, code] of [['import', 'esm-node16', esm], ['require', 'cjs-node16', cjs]]) {
      const args = [...conditions, '--no-warnings', ...(label === 'import' ? ['--input-type=module'] : []), '-e', code]
      const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: join(work, dir) })
      const what = `${label}${conditions.length ? ` ${conditions[0]}` : ''}`
      if (run.status !== 0) problems.push(`${what}: ${(run.stderr || run.stdout).trim().split('\n').slice(0, 6).join(' / ')}`)
      else console.log(`  ${what}: ${live.length} subpaths load`)
    }
  }
}

rmSync(work, { recursive: true, force: true })
if (problems.length) {
  console.error('\ncheck-package FAILED:\n  - ' + problems.join('\n  - '))
  process.exit(1)
}
console.log(
  `\ncheck-package: ok: ${live.length} subpaths${pending.length ? ` (+${pending.length} pending)` : ''}; publint and attw clean on the tarball; ` +
    `${consumers.length} TypeScript consumers clean; loads in Node under import/require x default/development/production; no runtime dependencies`,
)
