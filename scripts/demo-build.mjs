// Builds demo/react and demo/vue with Vite against the built package (dist/), as an app
// importing `session-continuity` from npm would get it. Output: demo/{react,vue}/dist.
import { build } from 'vite'
import { fileURLToPath } from 'node:url'

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url))
const alias = [
  { find: /^session-continuity$/, replacement: dist('index.mjs') },
  { find: /^session-continuity\/react$/, replacement: dist('react.mjs') },
  { find: /^session-continuity\/vue$/, replacement: dist('vue.mjs') },
]
for (const name of ['react', 'vue']) {
  const root = fileURLToPath(new URL(`../demo/${name}/`, import.meta.url))
  await build({
    root,
    base: `/${name}/`,
    logLevel: 'warn',
    resolve: { alias },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir: 'dist', emptyOutDir: true },
  })
  console.log(`demo:build: demo/${name}/dist`)
}
