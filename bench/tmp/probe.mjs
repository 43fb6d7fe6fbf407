import { build } from 'esbuild'
import { brotliCompressSync, constants } from 'node:zlib'
const br = (s) => brotliCompressSync(Buffer.from(s), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
const cases = {
  fetchOnly: `export { createRefreshingFetch } from '../../src/entries/fetch.ts'`,
  core: `export { createSession } from '../../src/index.ts'`,
  coreIdle: `export { createSession, idle } from '../../src/index.ts'`,
  coreReturnTo: `export { createSession, returnTo } from '../../src/index.ts'`,
  full: `export * from '../../src/index.ts'`,
}
for (const env of ['production', 'development']) for (const [k, src] of Object.entries(cases)) {
  const r = await build({ stdin: { contents: src, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, target: 'es2020', define: { 'process.env.NODE_ENV': JSON.stringify(env) } })
  const code = r.outputFiles[0].text
  console.log(env.padEnd(12), k.padEnd(14), code.length, br(code), process.argv[2] === k ? '\n' + code : '')
}
