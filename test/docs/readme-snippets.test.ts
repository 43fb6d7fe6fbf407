// @vitest-environment node
// README snippet runner: every code block in README.md that is marked runs, and this test
// fails when one of them breaks.
//
// MARKING A SNIPPET: a one-line HTML comment on the line right before the opening fence.
//
//   <!-- snippet: node happy-dom -->
//   ```ts
//   …
//   ```
//
//   <!-- snippet: ENV [ENV …] [prelude=NAME[,NAME…]] -->
//
//   ENV      node | happy-dom | jsdom: each one listed is a separate run of the snippet in that
//            vitest environment (jsdom only once it is installed; the run fails otherwise).
//   prelude  names from PRELUDES below, put before the snippet in the order given, each after
//            the preludes it needs. What there is now:
//              stubs     showCountdown(deadline) and order, the quick start's placeholders
//              mock      `mock` = createMockHandlers(), listening through msw for the file
//              session   `session` = createSession({ refreshUrl, fetch: mock.fetch })   (+ mock)
//              signedIn  `session` signed in as demo/demo before the snippet          (+ session)
//              orders    a protected /api/orders (401 exactly when /api/me is)        (+ signedIn)
//              react     `root`, a React root on a fresh element (DOM only)
//              vue       `App`, a root component that renders nothing
//            A prelude is module code; its helpers are named `__x` so they never clash with a
//            snippet's (the vitest hooks are there as __beforeAll, __afterEach, …).
//
// Examples: `<!-- snippet: happy-dom prelude=orders,stubs -->` (Quick start, vanilla),
// `<!-- snippet: happy-dom prelude=session,react -->` (React), `<!-- snippet: node happy-dom -->`.
//
// Fences: ts, js, tsx, jsx; and html, whose inline <script> blocks run with the global
// `SessionContinuity` of the script-tag bundle (the namespace of src/index.ts).
//
// HOW IT RUNS: package imports ('session-continuity', 'session-continuity/mock', …) are
// rewritten to the repo's entry files (IMPORTS below; an entry file that does not exist yet
// fails the run with its name). Each snippet is written to a file of its own under .vitest/
// (git-ignored) with `// @vitest-environment ENV`, and one child vitest runs them all, with
// vitest's defaults, as an app's fresh set-up has them: happy-dom at http://localhost:3000, and
// no globals, so a snippet imports `test`, `expect`… from 'vitest' as a real test file must.
//   - A test-style snippet (one with a top-level `test(`, `it(` or `describe(` line) is a test
//     file as written: its own tests must all pass, and it must have at least one.
//   - Any other snippet is a script: its imports are hoisted and the rest becomes the body of
//     one async test, so top-level `await` works and a throw (or rejection) fails it.
// Unhandled errors and rejections fail the run too.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

/** Package specifier → entry file in the repo (what the published subpath is built from). */
export const IMPORTS: Record<string, string> = {
  'session-continuity': 'src/index.ts',
  'session-continuity/mock': 'src/mock/index.ts',
  'session-continuity/mock/server': 'src/mock/server.ts',
  'session-continuity/mock/playwright': 'src/mock/playwright.ts',
  'session-continuity/ky': 'src/adapters/ky.ts',
  'session-continuity/react': 'src/adapters/react.ts',
  'session-continuity/vue': 'src/adapters/vue.ts',
  'session-continuity/fetch': 'src/entries/fetch.ts',
  'session-continuity/oauth': 'src/oauth/index.ts',
}

interface Prelude {
  /** Module code put before the snippet (its imports are rewritten and hoisted like the snippet's). */
  code: string
  /** Preludes this one builds on; they come first. */
  needs?: string[]
}

/**
 * What a snippet may lean on without defining it: module code, run before the snippet. The
 * vitest hooks are there as __beforeAll, __beforeEach, __afterEach, __afterAll.
 */
export const PRELUDES: Record<string, Prelude> = {
  /** Names the quick-start snippets use as placeholders for the app's own code. */
  stubs: {
    code: `
const showCountdown = (deadline: number) => void deadline
const order = { id: 'o-1', items: [{ sku: 'sku-1', quantity: 1 }] }
`,
  },
  /** The mock's msw handlers, listening for the whole file: \`mock\` is createMockHandlers()'s result. */
  mock: {
    code: `
import { setupServer as __setupServer } from 'msw/node'
import { createMockHandlers as __createMockHandlers } from 'session-continuity/mock'
const mock = __createMockHandlers()
const __mockServer = __setupServer(...mock.handlers)
__beforeAll(() => __mockServer.listen({ onUnhandledRequest: 'error' }))
__afterEach(() => mock.control.reset())
__afterAll(() => __mockServer.close())
`,
  },
  /** A \`session\` against the mock (destroyed after the file). */
  session: {
    needs: ['mock'],
    code: `
import { createSession as __createSession } from 'session-continuity'
const session = __createSession({ refreshUrl: '/auth/refresh', fetch: mock.fetch })
__afterAll(() => session.destroy())
`,
  },
  /** \`session\` signed in as the demo user before the snippet runs. */
  signedIn: {
    needs: ['session'],
    code: `
__beforeAll(async () => {
  const __login = await mock.fetch('/auth/login', { method: 'POST', body: JSON.stringify({ username: 'demo', password: 'demo' }) })
  session.signIn(await __login.json())
})
`,
  },
  /** A protected \`/api/orders\` beside the mock's routes (any method; 401 exactly when the mock's /api/me is). */
  orders: {
    needs: ['signedIn'],
    code: `
import { http as __http, HttpResponse as __HttpResponse } from 'msw'
__beforeAll(() =>
  __mockServer.use(
    __http.all('*/api/orders', async ({ request }) => {
      const auth = request.headers.get('Authorization')
      const me = await fetch(new URL('/api/me', request.url), { headers: auth ? { Authorization: auth } : {} })
      return me.status === 200 ? __HttpResponse.json([{ id: 'o-1' }]) : me
    }),
  ),
)
`,
  },
  /** A React \`root\` on a fresh element (DOM environments only). */
  react: {
    code: `
import { createRoot as __createRoot } from 'react-dom/client'
const root = __createRoot(document.body.appendChild(document.createElement('div')))
__afterAll(() => root.unmount())
`,
  },
  /** A Vue root component \`App\` that renders nothing. */
  vue: {
    code: `
const App = { render: () => null }
`,
  },
}

const ENVIRONMENTS = ['node', 'happy-dom', 'jsdom'] as const
type Environment = (typeof ENVIRONMENTS)[number]
const LANGUAGES: Record<string, 'ts' | 'tsx' | 'html'> = { ts: 'ts', typescript: 'ts', js: 'ts', javascript: 'ts', tsx: 'tsx', jsx: 'tsx', html: 'html' }

export interface Snippet {
  /** 1-based line of the first code line in the source file. */
  line: number
  language: string
  code: string
  environments: Environment[]
  preludes: string[]
}

/** Finds every marked fence. Anything malformed in a marker throws, naming the line. */
export function extractSnippets(markdown: string, file = 'README.md'): Snippet[] {
  const lines = markdown.split('\n')
  const snippets: Snippet[] = []
  let inFence: string | null = null
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const fence = /^\s*(`{3,}|~{3,})/.exec(line)
    if (inFence) {
      if (fence && line.trim().startsWith(inFence) && line.trim() === fence[1]) inFence = null
      continue
    }
    if (fence) {
      inFence = fence[1]!
      continue
    }
    const marker = /^\s*<!--\s*snippet\s*:(.*?)-->\s*$/.exec(line)
    if (!marker) continue
    const where = `${file}:${i + 1}`
    const environments: Environment[] = []
    const preludes: string[] = []
    for (const word of marker[1]!.trim().split(/\s+/).filter(Boolean)) {
      if (word.startsWith('prelude=')) {
        for (const name of word.slice('prelude='.length).split(',').filter(Boolean)) {
          if (!PRELUDES[name]) throw new Error(`${where}: unknown prelude '${name}' (known: ${Object.keys(PRELUDES).join(', ')})`)
          preludes.push(name)
        }
      } else if ((ENVIRONMENTS as readonly string[]).includes(word)) environments.push(word as Environment)
      else throw new Error(`${where}: unknown word '${word}' in the snippet marker (environments: ${ENVIRONMENTS.join(', ')}; then prelude=a,b)`)
    }
    if (!environments.length) throw new Error(`${where}: the snippet marker names no environment (${ENVIRONMENTS.join(', ')})`)
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i + 1] ?? '')
    if (!open) throw new Error(`${where}: a snippet marker must be followed directly by a code fence`)
    const language = open[3]!.toLowerCase()
    if (!LANGUAGES[language]) throw new Error(`${where}: cannot run a '${language || 'plain'}' fence (runs: ${Object.keys(LANGUAGES).join(', ')})`)
    const body: string[] = []
    let j = i + 2
    for (; j < lines.length && lines[j]!.trim() !== open[2]; j++) body.push(lines[j]!.slice(open[1]!.length))
    if (j >= lines.length) throw new Error(`${where}: the fence after the snippet marker is never closed`)
    snippets.push({ line: i + 3, language, code: body.join('\n'), environments, preludes })
    i = j
  }
  return snippets
}

/** Rewrites package specifiers to absolute entry paths; an unknown subpath or a missing entry file throws. */
export function rewriteImports(code: string, where: string, imports: Record<string, string> = IMPORTS, root = ROOT): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(session-continuity(?:\/[^'"]*)?)\2/gm, (_all, head: string, quote: string, specifier: string) => {
    const entry = imports[specifier]
    if (!entry) throw new Error(`${where}: '${specifier}' is not in the snippet runner's import map (known: ${Object.keys(imports).join(', ')})`)
    const path = resolve(root, entry)
    if (!existsSync(path)) throw new Error(`${where}: '${specifier}' maps to ${entry}, which does not exist yet`)
    return `${head}${quote}${path}${quote}`
  })
}

const IMPORT_STATEMENT = /^[ \t]*import\s+(?:[\w*{][^'";]*?\bfrom\s*)?(['"])[^'"\n]+\1[ \t]*;?[^\n]*$/gm
const TEST_STYLE = /^(?:test|it|describe)(?:\.\w+)*\s*\(/m

/** Splits module code into its import statements and the rest (imports must come first in a snippet's lines anyway). */
function hoistImports(code: string): { imports: string[]; body: string } {
  const imports: string[] = []
  const body = code.replace(IMPORT_STATEMENT, (statement) => {
    imports.push(statement.trim())
    return ''
  })
  return { imports, body }
}

/** The inline scripts of an html snippet, as one script. */
function inlineScripts(html: string): string {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/.test(attributes!))
    .map(([, , code]) => code!)
    .join('\n')
}

/** The preludes named, each after the ones it needs, each once. */
function withNeeds(names: readonly string[]): string[] {
  const out: string[] = []
  const add = (name: string) => {
    if (out.includes(name)) return
    for (const need of PRELUDES[name]!.needs ?? []) add(need)
    out.push(name)
  }
  names.forEach(add)
  return out
}

/** The test file for one snippet in one environment. */
export function generateFile(snippet: Snippet, environment: Environment, file = 'README.md', imports: Record<string, string> = IMPORTS): string {
  const where = `${file}:${snippet.line}`
  const kind = LANGUAGES[snippet.language]!
  let code = kind === 'html' ? inlineScripts(snippet.code) : snippet.code
  if (kind === 'html') {
    if (!code.trim()) throw new Error(`${where}: the html snippet has no inline <script> to run`)
    code = `import * as SessionContinuity from 'session-continuity'\n${code}`
  }
  const hoisted: string[] = []
  const prelude: string[] = []
  for (const name of withNeeds(snippet.preludes)) {
    const part = hoistImports(rewriteImports(PRELUDES[name]!.code, `${where} (prelude ${name})`, imports))
    hoisted.push(...part.imports)
    prelude.push(`// prelude: ${name}`, part.body.trim())
  }
  const header = [
    `// @vitest-environment ${environment}`,
    `// Generated from ${where} by test/docs/readme-snippets.test.ts.`,
    `import { afterAll as __afterAll, afterEach as __afterEach, beforeAll as __beforeAll, beforeEach as __beforeEach, test as __test } from 'vitest'`,
  ]
  const own = rewriteImports(code, where, imports)
  if (TEST_STYLE.test(own)) {
    const { imports: ownImports, body } = hoistImports(own)
    return [...header, ...ownImports, ...hoisted, ...prelude, `// ${where}`, body.trim(), ''].join('\n')
  }
  const { imports: ownImports, body } = hoistImports(own)
  const indented = body.trim().split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')
  return [...header, ...ownImports, ...hoisted, ...prelude, `__test(${JSON.stringify(`${where} runs (${environment})`)}, async () => {`, indented, '})', ''].join('\n')
}

interface FileResult {
  name: string
  status: string
  message?: string
  assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>
}
interface RunResult {
  dir: string
  code: number | null
  output: string
  report: { testResults: FileResult[] } | null
  /** Unhandled errors and rejections, by the file vitest says they came from. */
  unhandled: Map<string, string[]>
}

/** One child vitest over `files` (name → content), in a fresh folder under .vitest/. */
async function runChild(label: string, files: Record<string, string>): Promise<RunResult> {
  const dir = join(ROOT, '.vitest', 'readme-snippets', `${process.pid}-${label}-${Date.now().toString(36)}`)
  mkdirSync(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  const config = join(dir, 'vitest.config.mjs')
  writeFileSync(
    config,
    `export default { root: ${JSON.stringify(dir)}, cacheDir: ${JSON.stringify(join(dir, 'cache'))}, test: { include: ['*.snippet.ts', '*.snippet.tsx'], testTimeout: 15000, hookTimeout: 15000 } }\n`,
  )
  const reportFile = join(dir, 'report.json')
  // The parent run's own variables would make the child think it is one of its workers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(__)?VITEST/.test(key) && key !== 'TEST' && key !== 'NODE_ENV'))
  const args = ['run', '--config', config, '--reporter=json', '--reporter=default', `--outputFile.json=${reportFile}`]
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), ...args], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunResult['report']) : null
  const unhandled = new Map<string, string[]>()
  for (const [, kind, text, file] of output.matchAll(/⎯+ (Unhandled (?!Errors )\w+) ⎯+\n([\s\S]*?)This error originated in "([^"]+)" test file/g)) {
    const key = resolve(dir, file!)
    unhandled.set(key, [...(unhandled.get(key) ?? []), `${kind}: ${text!.split('\n').slice(0, 8).join('\n')}`])
  }
  return { dir, code, output, report, unhandled }
}

/** Why one generated file did not pass, or null when it did. */
function fileProblem(run: RunResult, name: string): string | null {
  const path = join(run.dir, name)
  const result = run.report?.testResults.find((r) => resolve(r.name) === path)
  if (!result) return `no result for it in the child run (exit ${run.code}):\n${run.output.slice(-3000)}`
  const failures = result.assertionResults.filter((a) => a.status !== 'passed')
  const unhandled = run.unhandled.get(path) ?? []
  if (result.status === 'passed' && result.assertionResults.length > 0 && failures.length === 0 && !unhandled.length) return null
  const details = failures.map((a) => `  ${a.status}: ${a.fullName}\n${a.failureMessages.map((m) => `    ${m.split('\n').slice(0, 8).join('\n    ')}`).join('\n')}`)
  if (result.message) details.unshift(`  ${result.message.split('\n').slice(0, 12).join('\n  ')}`)
  if (!result.assertionResults.length) details.push('  it ran no test')
  for (const text of unhandled) details.push(`  ${text.split('\n').join('\n  ')}`)
  return details.join('\n')
}

const jsdomInstalled = existsSync(join(ROOT, 'node_modules/jsdom/package.json'))
const fileName = (snippet: Snippet, environment: Environment, prefix = 'readme') =>
  `${prefix}-L${snippet.line}-${environment}.snippet.${LANGUAGES[snippet.language] === 'tsx' ? 'tsx' : 'ts'}`

// ---- the README's snippets ------------------------------------------------------------------
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const snippets = extractSnippets(readme)
const cases = snippets.flatMap((snippet) => snippet.environments.map((environment) => ({ snippet, environment, file: fileName(snippet, environment) })))

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('README snippets', () => {
  let run: RunResult | null = null
  const generated = new Map<string, string | Error>()
  beforeAll(async () => {
    const files: Record<string, string> = {}
    for (const { snippet, environment, file } of cases) {
      if (environment === 'jsdom' && !jsdomInstalled) {
        generated.set(file, new Error(`README.md:${snippet.line} is marked jsdom, and jsdom is not installed (a devDependency would bring it)`))
        continue
      }
      try {
        files[file] = generateFile(snippet, environment)
        generated.set(file, files[file])
      } catch (error) {
        generated.set(file, error as Error)
      }
    }
    if (!Object.keys(files).length) return
    run = await runChild('readme', files)
    dirs.push(run.dir)
  }, 180_000)

  it('some are marked', () => {
    expect(cases.length).toBeGreaterThan(0)
  })

  it.each(cases.map((c) => [`README.md:${c.snippet.line} (${c.environment})`, c.file] as const))('%s runs', (_name, file) => {
    const content = generated.get(file)
    if (content instanceof Error) throw content
    const problem = fileProblem(run!, file)
    if (problem) throw new Error(`${file} failed:\n${problem}\n--- generated file ---\n${content}`)
  })

  it('the child run exits 0 when every snippet passed (nothing failed outside a snippet)', () => {
    if (!run) return void expect(cases.every((c) => generated.get(c.file) instanceof Error)).toBe(true)
    expect(run.report, run.output.slice(-3000)).not.toBeNull()
    const passed = cases.every((c) => !(generated.get(c.file) instanceof Error) && fileProblem(run!, c.file) === null)
    if (passed) expect(run.code, run.output.slice(-3000)).toBe(0)
  })

  it('the import map covers every published subpath', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> }
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== './package.json').map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`))
    expect(Object.keys(IMPORTS).sort()).toEqual(subpaths.sort())
  })
})

// ---- the runner itself: it must fail when a snippet breaks --------------------------------
describe('the snippet runner', () => {
  const doc = (marker: string, fence: string, code: string) => `# t\n\n${marker}\n\`\`\`${fence}\n${code}\n\`\`\`\n`

  it('reads markers, environments, preludes and the code line', () => {
    const [snippet, second] = extractSnippets(
      `# x\n\`\`\`ts\n<!-- snippet: node -->\n\`\`\`\n\n<!-- snippet: node happy-dom prelude=session,stubs -->\n\`\`\`ts\nconst a = 1\n\`\`\`\n<!-- snippet: happy-dom -->\n~~~html\n<p></p>\n~~~\n`,
    )
    // The marker inside the first fence is text, not a marker.
    expect(snippet).toEqual({ line: 8, language: 'ts', code: 'const a = 1', environments: ['node', 'happy-dom'], preludes: ['session', 'stubs'] })
    expect(second).toMatchObject({ line: 12, language: 'html', environments: ['happy-dom'] })
  })

  it.each([
    ['<!-- snippet: -->', 'ts', /names no environment/],
    ['<!-- snippet: deno -->', 'ts', /unknown word 'deno'/],
    ['<!-- snippet: node prelude=nope -->', 'ts', /unknown prelude 'nope'/],
    ['<!-- snippet: node -->', 'sh', /cannot run a 'sh' fence/],
  ])('a malformed marker fails with its line: %s', (marker, fence, message) => {
    expect(() => extractSnippets(doc(marker, fence, 'x'))).toThrow(message)
    expect(() => extractSnippets(doc(marker, fence, 'x'))).toThrow(/README\.md:3/)
  })

  it('a marker with no fence right after it fails', () => {
    expect(() => extractSnippets('<!-- snippet: node -->\n\n```ts\nx\n```\n')).toThrow(/followed directly by a code fence/)
    expect(() => extractSnippets('<!-- snippet: node -->\n```ts\nx\n')).toThrow(/never closed/)
  })

  it('rewrites package imports to entry files; an unknown subpath or a missing entry fails clearly', () => {
    const code = `import { createSession } from 'session-continuity'\nimport type { MockApp } from "session-continuity/mock"\nconst m = await import('session-continuity/mock')\nimport ky from 'ky'`
    const out = rewriteImports(code, 'README.md:1')
    expect(out).toContain(`from '${resolve(ROOT, 'src/index.ts')}'`)
    expect(out).toContain(`from "${resolve(ROOT, 'src/mock/index.ts')}"`)
    expect(out).toContain(`import('${resolve(ROOT, 'src/mock/index.ts')}')`)
    expect(out).toContain(`from 'ky'`)
    expect(() => rewriteImports(`import 'session-continuity/svelte'`, 'README.md:9')).toThrow(/README\.md:9: 'session-continuity\/svelte' is not in the snippet runner's import map/)
    expect(() => rewriteImports(`import { x } from 'session-continuity/later'`, 'README.md:9', { 'session-continuity/later': 'src/later/index.ts' })).toThrow(
      /'session-continuity\/later' maps to src\/later\/index\.ts, which does not exist yet/,
    )
  })

  it('a script snippet becomes one async test with its imports hoisted; a test snippet stays as written', () => {
    const [script] = extractSnippets(doc('<!-- snippet: node prelude=session -->', 'ts', `import { startMockServer } from 'session-continuity/mock/server' // or '…/mock'\nconst s = await startMockServer()\nawait s.close()`))
    const file = generateFile(script!, 'node')
    expect(file.split('\n')[0]).toBe('// @vitest-environment node')
    expect(file).toMatch(/^import \{ startMockServer \} from '.*src\/mock\/server\.ts' \/\/ or '…\/mock'$/m)
    // needs: session brings mock first
    expect(file.indexOf('// prelude: mock')).toBeLessThan(file.indexOf('// prelude: session'))
    expect(file).toMatch(/__test\("README\.md:5 runs \(node\)", async \(\) => \{\n {2}const s = await startMockServer\(\)\n {2}await s\.close\(\)\n\}\)/)
    const [spec] = extractSnippets(doc('<!-- snippet: happy-dom -->', 'ts', `import { expect } from 'vitest'\ntest('x', () => expect(1).toBe(1))`))
    expect(generateFile(spec!, 'happy-dom')).not.toMatch(/runs \(happy-dom\)/)
  })

  it('fails a snippet that throws, rejects, leaves a rejection unhandled, fails its own expect, runs no test or leans on globals; passes a good one', async () => {
    const probes: Record<string, [string, string]> = {
      throws: ['ts', `throw new Error('broken snippet')`],
      rejects: ['ts', `await Promise.reject(new TypeError('rejected'))`],
      expectFails: ['ts', `import { expect, test } from 'vitest'\ntest('own expect', () => { expect(1 + 1).toBe(3) })`],
      noImport: ['ts', `test('relies on globals', () => {})`],
      noTest: ['ts', `import { describe } from 'vitest'\ndescribe('empty', () => {})`],
      unhandled: ['ts', `void Promise.reject(new Error('nobody awaits'))\nawait new Promise((r) => setTimeout(r, 20))`],
      badImport: ['ts', `import { nothingHere } from 'session-continuity'\nnothingHere()`],
      good: ['ts', `import { expect } from 'vitest'\nimport { createMockApp } from 'session-continuity/mock'\nconst app = createMockApp()\nexpect((await app.handle(new Request('http://x.test/api/me')))?.status).toBe(401)`],
      goodTest: ['ts', `import { expect, test } from 'vitest'\ntest('own expect', () => { expect(1 + 1).toBe(2) })`],
      goodHtml: ['html', `<script src="https://example.invalid/x.js"></script>\n<script>\n  const s = SessionContinuity.createSession({ crossTab: false })\n  s.destroy()\n</script>`],
    }
    const files: Record<string, string> = {}
    for (const [name, [fence, code]] of Object.entries(probes)) {
      const [snippet] = extractSnippets(doc('<!-- snippet: happy-dom -->', fence, code))
      files[`${name}.snippet.ts`] = generateFile(snippet!, 'happy-dom', `probe-${name}.md`)
    }
    const run = await runChild('probes', files)
    dirs.push(run.dir)
    const problem = (name: string) => fileProblem(run, `${name}.snippet.ts`)
    expect(problem('throws')).toMatch(/broken snippet/)
    expect(problem('rejects')).toMatch(/rejected/)
    expect(problem('expectFails')).toMatch(/expected 2 to be 3/)
    expect(problem('noTest')).toMatch(/ran no test/)
    expect(problem('noImport')).toMatch(/test is not defined/)
    expect(problem('unhandled')).toMatch(/Unhandled Rejection: Error: nobody awaits/)
    expect(problem('badImport')).toMatch(/nothingHere/)
    expect(problem('good')).toBeNull()
    expect(problem('goodTest')).toBeNull()
    expect(problem('goodHtml')).toBeNull()
    expect(run.code).not.toBe(0)
  }, 180_000)
})
