import { build } from 'esbuild'
const entry = process.argv[2] ?? `export { createSession } from '../../src/index.ts'`
const r = await build({ stdin: { contents: entry, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, metafile: true, target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' } })
const out = Object.values(r.metafile.outputs)[0]
for (const [k, v] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log(String(v.bytesInOutput).padStart(6), k)
