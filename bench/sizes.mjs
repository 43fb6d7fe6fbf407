// Bundle sizes measured one way for everything: esbuild bundle + minify for the browser,
// then gzip -9 and brotli q11. Ours per entry and part (production builds), and the anchors a
// user would otherwise pick.
import { readFileSync } from 'node:fs'
import { bundle, sizesOf } from '../scripts/measure.mjs'

const measure = async (contents, external) => sizesOf(await bundle(contents, external))

export async function measureSizes() {
  const peers = ['react', 'react-dom', 'vue', 'ky']
  const prod = './dist/production'
  const onTop = ['./index.mjs', './chunks/*', '../index.mjs']
  const ours = [
    ['session-continuity/fetch { createRefreshingFetch } (the interceptor alone)', `export { createRefreshingFetch } from '${prod}/fetch.mjs'`],
    ['session-continuity { createSession } (the core: cross-tab lock, markers, sync)', `export { createSession } from '${prod}/index.mjs'`],
    ['core + idle()', `export { createSession, idle } from '${prod}/index.mjs'`],
    ['core + returnTo()', `export { createSession, returnTo } from '${prod}/index.mjs'`],
    ['core + storageFallback()', `export { createSession, storageFallback } from '${prod}/index.mjs'`],
    ['core + diagnostics()', `export { createSession, diagnostics } from '${prod}/index.mjs'`],
    ['session-continuity, everything (export *)', `export * from '${prod}/index.mjs'`],
    ['session-continuity/oauth (on top of the core)', `export * from '${prod}/oauth.mjs'`, onTop],
    ['session-continuity/ky (on top of the core)', `export * from '${prod}/ky.mjs'`, onTop],
    ['session-continuity/react (on top of the core)', `export * from '${prod}/react.mjs'`, onTop],
    ['session-continuity/vue (on top of the core)', `export * from '${prod}/vue.mjs'`, onTop],
  ]
  const anchors = [
    ['ky (fetch wrapper, no refresh logic)', `export { default } from 'ky'`],
    ['react-idle-timer (idle only; react external)', `export { useIdleTimer } from 'react-idle-timer'`],
    ['axios + axios-auth-refresh (401 refresh)', `export { default as axios } from 'axios'; export { default as refresh } from 'axios-auth-refresh'`],
    ['broadcast-channel (tab messaging only)', `export { BroadcastChannel, createLeaderElection } from 'broadcast-channel'`],
    ['oidc-client-ts UserManager', `export { UserManager } from 'oidc-client-ts'`],
    ['@supabase/auth-js GoTrueClient', `export { GoTrueClient } from '@supabase/auth-js'`],
  ]
  const rows = []
  const add = async (group, label, code, external) => {
    try {
      rows.push({ group, label, ...(await measure(code, external)) })
    } catch (error) {
      rows.push({ group, label, error: String(error.message).split('\n')[0] })
    }
  }
  for (const [label, code, ext = []] of ours) await add('ours', label, code, [...peers, ...ext])
  rows.push({ group: 'ours', label: 'dist/session-continuity.iife.min.js as shipped (production, terser; everything)', ...sizesOf(readFileSync('dist/session-continuity.iife.min.js')) })
  for (const [label, code] of anchors) await add('anchor', label, code, ['react', 'react-dom'])
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await measureSizes())
