// Validates createSession's options once, up front, with errors that name the option.
import { systemTimers } from './clock.js'
import { check, fail, isObject, ms, object, read } from './validate.js'
import { normalizeIdle, type NormalizedIdle } from '../presence/options.js'
import type { RefreshResult, SessionOptions, TabChannel, TabLock, Timers } from './types.js'

export interface Options {
  refreshUrl: string
  logoutUrl: string
  loginUrl: string
  name: string
  refresh?: (context: { signal: AbortSignal }) => Promise<RefreshResult>
  /** Resolved per call: msw and test doubles patch globalThis.fetch after import. */
  fetch: () => typeof fetch
  now: () => number
  beforeSignOut?: SessionOptions['beforeSignOut']
  credentials: 'cookie' | 'bearer'
  refreshBefore: number
  absoluteWarnBefore: number
  beforeSignOutTimeout: number
  refreshTimeout: number
  lockTimeout: number
  tokenOrigins: string[]
  timers: Timers
  idle: NormalizedIdle | null
  crossTab: { channel?: TabChannel | null; lock?: TabLock | null } | null
  returnTo: { param: string; storage: 'session' | 'local' | 'none' }
  retry: { base: number; max: number }
}

// The plain options (see read() for the notation); the others are checked below.
const SPEC =
  'refreshUrl:s:/auth/refresh logoutUrl:s:/auth/logout loginUrl:s:/login name:s:session-continuity refresh:f fetch:f now:f beforeSignOut:f credentials:e:cookie|bearer refreshBefore:m:60000 absoluteWarnBefore:m:60000 beforeSignOutTimeout:m:3000 refreshTimeout:M:10000 lockTimeout:M:20000'
const KNOWN = (SPEC + ' tokenOrigins:a timers:a idle:a crossTab:a returnTo:a retry:a').split(' ').map((entry) => entry.split(':')[0])

/** An absolute http(s) origin such as https://api.example.com (a trailing slash is tolerated). */
function origin(option: string, value: any): string {
  try {
    const url = new URL(value)
    if (/^https?:$/.test(url.protocol) && value.replace(/\/$/, '') == url.origin) return url.origin
  } catch {}
  return fail(option, 'an absolute http(s) origin such as "https://api.example.com"', value)
}

export function normalizeOptions(input: SessionOptions | undefined): Options {
  const o = object('options', input)
  for (const key of Object.keys(o)) if (!KNOWN.includes(key)) fail(key, `one of the known options (${KNOWN.join(', ')})`, 'an unknown option')
  const plain = read(SPEC, o)
  const retryOption = object('retry', o.retry)
  const retry = read('base:M:1000', retryOption, 'retry.')
  const crossTab = check<boolean | object>('crossTab', o.crossTab, (c) => typeof c == 'boolean' || isObject(c), 'a boolean or { channel, lock }', true)
  return {
    ...(plain as Options),
    fetch: () => plain.fetch ?? globalThis.fetch,
    // Looked up per call, so fake clocks installed after createSession (Playwright, sinon) apply.
    now: plain.now ?? (() => Date.now()),
    tokenOrigins: check<unknown[]>('tokenOrigins', o.tokenOrigins, Array.isArray, 'an array of origins', []).map((v, i) => origin(`tokenOrigins[${i}]`, v)),
    timers: check('timers', o.timers, (t) => isObject(t) && typeof t.setTimeout == 'function' && typeof t.clearTimeout == 'function', 'an object with setTimeout and clearTimeout functions', systemTimers),
    idle: normalizeIdle(o.idle),
    crossTab: crossTab === false ? null : crossTab === true ? {} : crossTab,
    returnTo: read('param:s:returnTo storage:e:session|local|none', object('returnTo', o.returnTo), 'returnTo.') as Options['returnTo'],
    retry: { base: retry.base, max: ms('retry.max', retryOption.max, 60_000, retry.base) },
  }
}
