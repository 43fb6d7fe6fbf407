// The README snippet runner's machinery (marking a snippet: see readme-snippets.test.ts).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')

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

/** `code`: module code put before the snippet (imports rewritten and hoisted like the snippet's); `needs`: preludes first. */
interface Prelude {
  code: string
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

export const ENVIRONMENTS = ['node', 'happy-dom', 'jsdom'] as const
export type Environment = (typeof ENVIRONMENTS)[number]
export const LANGUAGES: Record<string, 'ts' | 'tsx' | 'html'> = { ts: 'ts', typescript: 'ts', js: 'ts', javascript: 'ts', tsx: 'tsx', jsx: 'tsx', html: 'html' }

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
export interface RunResult {
  dir: string
  code: number | null
  output: string
  report: { testResults: FileResult[] } | null
  /** Unhandled errors and rejections, by the file vitest says they came from. */
  unhandled: Map<string, string[]>
}

/** One child vitest over `files` (name → content), in a fresh folder under .vitest/. */
export async function runChild(label: string, files: Record<string, string>): Promise<RunResult> {
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
export function fileProblem(run: RunResult, name: string): string | null {
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

export const jsdomInstalled = existsSync(join(ROOT, 'node_modules/jsdom/package.json'))
export const fileName = (snippet: Snippet, environment: Environment, prefix = 'readme') =>
  `${prefix}-L${snippet.line}-${environment}.snippet.${LANGUAGES[snippet.language] === 'tsx' ? 'tsx' : 'ts'}`

