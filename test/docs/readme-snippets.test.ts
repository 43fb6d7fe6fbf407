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
import { readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, IMPORTS, extractSnippets, rewriteImports, generateFile, runChild, fileProblem, jsdomInstalled, fileName, type RunResult } from './snippets.js'

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
