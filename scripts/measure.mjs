// One way to measure a bundle, shared by the CI size check and the benchmark report:
// esbuild bundle + minify for the browser, then gzip -9 and brotli q11.
import { build } from 'esbuild'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'

export const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
export const gzip = (buf) => gzipSync(buf, { level: 9 }).length

/** Bundles `contents` (an ES module source) and returns the minified bytes. */
export async function bundle(contents, external = [], define = {}) {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, external, define, logLevel: 'silent',
  })
  return Buffer.from(out.outputFiles[0].contents)
}

export const sizesOf = (buf) => ({ min: buf.length, gzip: gzip(buf), brotli: brotli(buf) })
