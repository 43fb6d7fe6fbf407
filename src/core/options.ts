// Validates createSession's options once, up front, with errors that name the option.
import { OptionError } from './errors.js'
import { systemTimers } from './clock.js'
import { normalizeIdle, type NormalizedIdle } from '../presence/options.js'
import type { RefreshResult, SessionOptions, TabChannel, TabLock, Timers } from './types.js'

export interface Options {
  refreshUrl: string
  logoutUrl: string
  loginUrl: string
  refresh: SessionOptions['refresh']
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

const fail = (option: string, expected: string, value: unknown): never => {
  throw new OptionError(option, expected, value)
}
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v)

function text(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  return typeof value === 'string' && value.trim() ? value : fail(option, 'a non-empty string', value)
}
function ms(option: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback
  return typeof value === 'number' && value >= min && value < Infinity ? value : fail(option, `a finite number of ms >= ${min}`, value)
}
function func<T>(option: string, value: T): T {
  return value === undefined || typeof value === 'function' ? value : fail(option, 'a function', value)
}
function oneOf<T extends string>(option: string, value: unknown, allowed: T[]): T {
  if (value === undefined) return allowed[0]!
  return allowed.includes(value as T) ? (value as T) : fail(option, allowed.map((a) => `'${a}'`).join(' or '), value)
}

/** An absolute http(s) origin such as https://api.example.com (a trailing slash is tolerated). */
function origin(option: string, value: unknown): string {
  let url: URL | undefined
  try {
    url = new URL(value as string)
  } catch {}
  return url && /^https?:$/.test(url.protocol) && (value as string).replace(/\/$/, '') === url.origin
    ? url.origin
    : fail(option, 'an absolute http(s) origin such as "https://api.example.com"', value)
}

export function normalizeOptions(input: SessionOptions | undefined): Options {
  const o: Record<string, any> = input === undefined ? {} : isObject(input) ? input : fail('options', 'an object', input)
  for (const key of Object.keys(o)) if (!KNOWN.includes(key)) fail(key, `one of the known options (${KNOWN.join(', ')})`, 'an unknown option')

  const tokenOrigins = o.tokenOrigins ?? []
  if (!Array.isArray(tokenOrigins)) fail('tokenOrigins', 'an array of origins', tokenOrigins)

  const timers = o.timers ?? systemTimers
  if (!isObject(timers) || typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function')
    fail('timers', 'an object with setTimeout and clearTimeout functions', timers)

  const crossTab = o.crossTab ?? true
  if (typeof crossTab !== 'boolean' && !isObject(crossTab)) fail('crossTab', 'a boolean or { channel, lock }', crossTab)

  const returnTo = o.returnTo ?? {}
  if (!isObject(returnTo)) fail('returnTo', 'an object { param?, storage? }', returnTo)
  const retry = o.retry ?? {}
  if (!isObject(retry)) fail('retry', 'an object { base?, max? }', retry)

  const userFetch = func('fetch', o.fetch)
  // Looked up per call, so fake clocks installed after createSession (Playwright, sinon) apply.
  const now = func('now', o.now) ?? (() => Date.now())
  const retryBase = ms('retry.base', retry.base, 1_000, 1)
  return {
    refreshUrl: text('refreshUrl', o.refreshUrl, '/auth/refresh'),
    logoutUrl: text('logoutUrl', o.logoutUrl, '/auth/logout'),
    loginUrl: text('loginUrl', o.loginUrl, '/login'),
    refresh: func('refresh', o.refresh) as (c: { signal: AbortSignal }) => Promise<RefreshResult>,
    credentials: oneOf('credentials', o.credentials, ['cookie', 'bearer']),
    tokenOrigins: tokenOrigins.map((v: unknown, i: number) => origin(`tokenOrigins[${i}]`, v)),
    refreshBefore: ms('refreshBefore', o.refreshBefore, 60_000),
    name: text('name', o.name, 'session-continuity'),
    fetch: () => userFetch ?? globalThis.fetch,
    now,
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
