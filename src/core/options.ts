// Validates createSession's options once, up front, with errors that name the option.
import { DEV } from '../base/dev.js'
import { systemTimers } from '../base/clock.js'
import type { TabChannel, TabLock, Timers } from '../base/types.js'
import { check, fail, isObject, ms, object, read } from '../base/validate.js'
import { absoluteOrigin } from '../http/origin.js'
import type { LogoutContext, Part, RefreshContext, RefreshResult, SessionOptions } from './types.js'

export interface Options {
  refreshUrl: string
  logoutUrl: string
  loginUrl: string
  name: string
  refresh?: (context: RefreshContext) => Promise<RefreshResult>
  logout?: (context: LogoutContext) => unknown
  replay?: (request: { url: string; method: string }) => boolean
  /** Resolved per call: msw and test doubles patch globalThis.fetch after import. */
  fetch: () => typeof fetch
  now: () => number
  beforeSignOut?: SessionOptions['beforeSignOut']
  credentials: 'cookie' | 'bearer'
  refreshBefore: number
  beforeSignOutTimeout: number
  logoutTimeout: number
  refreshTimeout: number
  lockTimeout: number
  tokenOrigins: string[]
  timers: Timers
  crossTab: { channel?: TabChannel | null; lock?: TabLock | null } | null
  retry: { base: number; max: number }
  use: Part<any>[]
}

/**
 * Every option with its kind and default (see read() for the notation). README's options
 * table and the type comments state the same defaults; a test compares them.
 */
export const SPEC =
  'refreshUrl:s:/auth/refresh logoutUrl:s:/auth/logout loginUrl:s:/login name:s:session-continuity refresh:f logout:f replay:f fetch:f now:f beforeSignOut:f credentials:e:cookie|bearer refreshBefore:m:60000 beforeSignOutTimeout:m:3000 logoutTimeout:m:3000 refreshTimeout:M:10000 lockTimeout:M:20000 tokenOrigins:a use:a timers:o crossTab:o retry:o'

export function normalizeOptions(input: SessionOptions<any> | undefined): Options {
  const o = object('options', input)
  // Options of earlier versions that became parts: say where they went.
  if (DEV) for (const [key, part] of [['idle', 'idle'], ['absoluteWarnBefore', 'idle'], ['returnTo', 'returnTo']]) if (key in o) fail(key!, `passed as a part now: use: [${part}({ ... })]`, o[key!])
  // The object-valued options ('o') are checked below; read() checks the rest and unknown keys.
  const plain = read(SPEC.replace(/ \w+:o/g, ''), o, '', SPEC)
  const retryOption = object('retry', o.retry)
  const retry = read('base:M:1000', retryOption, 'retry.')
  const crossTab = check<boolean | object>('crossTab', o.crossTab, (c) => typeof c == 'boolean' || isObject(c), (DEV ? 'a boolean or { channel, lock }' : ''), true)
  return {
    ...(plain as Options),
    fetch: () => plain.fetch ?? globalThis.fetch,
    // Looked up per call, so fake clocks installed after createSession (Playwright, sinon) apply.
    now: plain.now ?? (() => Date.now()),
    tokenOrigins: plain.tokenOrigins.map((v: unknown, i: number) => absoluteOrigin(`tokenOrigins[${i}]`, v)),
    use: plain.use.map((p: unknown, i: number) => check(`use[${i}]`, p, isObject, (DEV ? 'a part such as idle({ timeout })' : ''))),
    timers: check('timers', o.timers, (t) => isObject(t) && typeof t.setTimeout == 'function' && typeof t.clearTimeout == 'function', (DEV ? 'an object with setTimeout and clearTimeout functions' : ''), systemTimers),
    crossTab: crossTab === false ? null : crossTab === true ? {} : crossTab,
    retry: { base: retry.base, max: ms('retry.max', retryOption.max, 60_000, retry.base) },
  }
}
