// Validates createSession's options once, up front, with errors that name the option.
import { systemTimers } from './clock.js'
import { check, fail, func, isObject, ms, object, oneOf } from './validate.js'
import { normalizeIdle, type NormalizedIdle } from '../presence/options.js'
import type { RefreshResult, SessionOptions, TabChannel, TabLock, Timers } from './types.js'

export interface Options {
  refreshUrl: string
  logoutUrl: string
  loginUrl: string
  refresh?: (context: { signal: AbortSignal }) => Promise<RefreshResult>
  credentials: 'cookie' | 'bearer'
  tokenOrigins: string[]
  refreshBefore: number
  name: string
  /** Resolved per call: msw and test doubles patch globalThis.fetch after import. */
  fetch: () => typeof fetch
  now: () => number
  timers: Timers
  idle: NormalizedIdle | null
  absoluteWarnBefore: number
  crossTab: { channel?: TabChannel | null; lock?: TabLock | null } | null
  returnParam: string
  returnStorage: 'session' | 'local' | 'none'
  beforeSignOut: SessionOptions['beforeSignOut']
  beforeSignOutTimeout: number
  refreshTimeout: number
  lockTimeout: number
  retryBase: number
  retryMax: number
}

const KNOWN = 'refreshUrl logoutUrl loginUrl refresh credentials tokenOrigins refreshBefore name fetch now timers idle absoluteWarnBefore crossTab returnTo beforeSignOut beforeSignOutTimeout refreshTimeout lockTimeout retry'.split(' ')

const text = (option: string, value: unknown, fallback: string): string =>
  check(option, value, (s) => typeof s == 'string' && s.trim(), 'a non-empty string', fallback)

/** An absolute http(s) origin such as https://api.example.com (a trailing slash is tolerated). */
function origin(option: string, value: any): string {
  try {
    const url = new URL(value)
    if (/^https?:$/.test(url.protocol) && value.replace(/\/$/, '') === url.origin) return url.origin
  } catch {}
  return fail(option, 'an absolute http(s) origin such as "https://api.example.com"', value)
}

export function normalizeOptions(input: SessionOptions | undefined): Options {
  const o = object('options', input)
  for (const key of Object.keys(o)) if (!KNOWN.includes(key)) fail(key, `one of the known options (${KNOWN.join(', ')})`, 'an unknown option')

  const timers = check<Timers>('timers', o.timers, (t) => isObject(t) && typeof t.setTimeout == 'function' && typeof t.clearTimeout == 'function', 'an object with setTimeout and clearTimeout functions', systemTimers)
  const crossTab = check<boolean | object>('crossTab', o.crossTab, (c) => typeof c == 'boolean' || isObject(c), 'a boolean or { channel, lock }', true)
  const returnTo = object('returnTo', o.returnTo)
  const retry = object('retry', o.retry)
  const userFetch = func('fetch', o.fetch)
  const retryBase = ms('retry.base', retry.base, 1_000, 1)
  return {
    refreshUrl: text('refreshUrl', o.refreshUrl, '/auth/refresh'),
    logoutUrl: text('logoutUrl', o.logoutUrl, '/auth/logout'),
    loginUrl: text('loginUrl', o.loginUrl, '/login'),
    refresh: func('refresh', o.refresh),
    credentials: oneOf('credentials', o.credentials, ['cookie', 'bearer']),
    tokenOrigins: check<unknown[]>('tokenOrigins', o.tokenOrigins, Array.isArray, 'an array of origins', []).map((v, i) => origin(`tokenOrigins[${i}]`, v)),
    refreshBefore: ms('refreshBefore', o.refreshBefore, 60_000),
    name: text('name', o.name, 'session-continuity'),
    fetch: () => userFetch ?? globalThis.fetch,
    // Looked up per call, so fake clocks installed after createSession (Playwright, sinon) apply.
    now: func('now', o.now) ?? (() => Date.now()),
    timers,
    idle: normalizeIdle(o.idle),
    absoluteWarnBefore: ms('absoluteWarnBefore', o.absoluteWarnBefore, 60_000),
    crossTab: crossTab === false ? null : crossTab === true ? {} : crossTab,
    returnParam: text('returnTo.param', returnTo.param, 'returnTo'),
    returnStorage: oneOf('returnTo.storage', returnTo.storage, ['session', 'local', 'none']),
    beforeSignOut: func('beforeSignOut', o.beforeSignOut),
    beforeSignOutTimeout: ms('beforeSignOutTimeout', o.beforeSignOutTimeout, 3_000),
    refreshTimeout: ms('refreshTimeout', o.refreshTimeout, 10_000, 1),
    lockTimeout: ms('lockTimeout', o.lockTimeout, 20_000, 1),
    retryBase,
    retryMax: ms('retry.max', retry.max, 60_000, retryBase),
  }
}
