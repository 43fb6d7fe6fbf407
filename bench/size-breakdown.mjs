// Where the script-tag bundle's bytes go: the shipped IIFE (scripts/iife.mjs) rebuilt with
// one part replaced by a do-nothing stand-in; the difference is what that part costs.
// The stand-ins keep the part's exports, so the rest of the core compiles unchanged.
import { buildIife } from '../scripts/iife.mjs'
import { brotli } from '../scripts/measure.mjs'

const validation = {
  'core/options.ts': `import { systemTimers } from './clock.js'
    import { normalizeIdle } from '../presence/options.js'
    export const normalizeOptions = (o = {}) => ({ refreshUrl: '/auth/refresh', logoutUrl: '/auth/logout', loginUrl: '/login', name: 'session-continuity',
      credentials: 'cookie', refreshBefore: 6e4, absoluteWarnBefore: 6e4, beforeSignOutTimeout: 3e3, refreshTimeout: 1e4, lockTimeout: 2e4, tokenOrigins: [],
      crossTab: {}, returnTo: { param: 'returnTo', storage: 'session' }, retry: { base: 1e3, max: 6e4 }, ...o, idle: normalizeIdle(o.idle),
      fetch: () => o.fetch ?? globalThis.fetch, now: o.now ?? (() => Date.now()), timers: o.timers ?? systemTimers })`,
  'presence/options.ts': `export const normalizeIdle = (v) => v ? { warnBefore: 6e4, events: ['keydown'], target: null, dismissOnActivity: false, onIdle: 'signOut', ...v } : null`,
  'http/result.ts': `export const problemWith = () => null`,
}
const fallbacks = {
  'tabs/lock.ts': `export const createTabLock = (l = navigator.locks) => ({ run: (n, f) => l.request(n, f), hold: (n) => new Promise((g) => l.request(n, () => new Promise(g))), held: () => l.query().then((s) => s.held.map((x) => x.name)) })`,
  'tabs/channel.ts': `import { parseMessage } from './protocol.js'
    export function createTabChannel(name) { const bc = new BroadcastChannel(name), hs = new Set()
      bc.onmessage = (e) => { const m = parseMessage(e.data); if (m) hs.forEach((h) => h(m)) }
      return { post: (m) => bc.postMessage(m), subscribe: (h) => (hs.add(h), () => hs.delete(h)), close: () => bc.close() } }`,
}
const returnTo = {
  'navigation/return-to.ts': `export const createReturnTo = () => ({ save: () => null, consume: () => '/', redirect() {} })`,
  'navigation/safe-url.ts': `export const toSafeReturnTo = () => null`,
}
const presence = {
  'presence/tracker.ts': `export const createPresenceTracker = () => ({ start() {}, stop() {}, activity() {}, stayActive() {}, setAbsoluteExpiry() {}, check() {}, remaining: () => Infinity, snapshot: () => null, lastActivity: () => 0 })`,
  'presence/options.ts': `export const normalizeIdle = () => null`,
}

export async function measureSizeBreakdown() {
  const full = brotli(Buffer.from(await buildIife()))
  const without = async (stubs) => full - brotli(Buffer.from(await buildIife(stubs)))
  const parts = [
    ['option and result validation (every check and message)', validation],
    ['storage fallbacks (localStorage lease lock, storage-event channel)', fallbacks],
    ['return-to (save, consume once, safe same-origin paths)', returnTo],
    ['presence (idle, warning, absolute expiry, activity listeners)', presence],
    ['cross-tab sync (channel, locks, markers, protocol validation)', { 'tabs/sync.ts': `export const connectTabs = () => null` }],
  ]
  const rows = []
  for (const [label, stubs] of parts) rows.push({ label, saves: await without(stubs) })
  const floor = full - (await without({ ...validation, ...fallbacks, ...returnTo }))
  return { full, rows, floor }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureSizeBreakdown())
