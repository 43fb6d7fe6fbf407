// Public types of the mock server. One file, so the three runtimes (app, msw, node:http)
// and the Playwright fixture agree on the same option and control shapes.

export interface MockUser {
  username: string
  password: string
  name: string
  /** Stable id returned to the client (default: `u-<username>`). */
  id?: string
}

export interface MockOptions {
  /** 'cookie' (default): the access token is also an HttpOnly cookie. 'bearer': it is returned in JSON only. */
  credentials?: 'cookie' | 'bearer'
  /** Extra users; the demo user (demo/demo) is always there. */
  users?: readonly MockUser[]
  /** Access-token lifetime in seconds (default 60). */
  accessTtl?: number
  /** Seconds without a login or refresh after which refresh answers session_expired (default 1800). */
  idleTtl?: number
  /** Hard cap of a session in seconds (default 8 h); returned as `absoluteExpiresIn`. */
  absoluteTtl?: number
  /** Delay in ms before every /auth and /api answer (default 0). */
  latency?: number
  /** Add `Secure` to the cookies (default true; turn off for plain http on a LAN address). */
  secureCookies?: boolean
  /** The clock, injectable for tests (default Date.now). */
  now?: () => number
  /** Prefix of every route, e.g. '/backend' (default ''). */
  basePath?: string
}

/**
 * A fault the next refresh call(s) answer with instead of the real thing:
 * an HTTP answer, a network failure, or no answer at all.
 */
export type RefreshFault = { status: number; body?: string; retryAfter?: number } | 'network' | 'hang'

export interface MockCounters {
  logins: number
  logouts: number
  refreshCalls: number
  refreshSuccesses: number
  reuseDetections: number
}

/** What tests and the demo drive; the same object whichever runtime serves the app. */
export interface MockControl {
  /** A snapshot (a fresh object on every read). */
  readonly counters: MockCounters
  /** Every access token issued so far is invalid from now on (the next /api call answers 401). */
  expireAccessTokens(): void
  /** Ends every session: refresh answers 401 `{reason:'revoked'}`, access tokens stop working. */
  revokeAll(): void
  /** Rotates the latest refresh token of every live family behind the client's back (a misbehaving peer). */
  spendRefreshToken(): void
  /** The next `count` refresh calls answer with `fault` (queued after faults already pending). */
  failNextRefresh(fault: RefreshFault, count?: number): void
  setLatency(ms: number): void
  /** Every /auth/refresh call takes `ms` longer (on top of the latency), e.g. a slow identity provider; reset() sets 0. */
  setRefreshDelay(ms: number): void
  /** Drops sessions and tokens, zeroes counters, clears faults, restores the configured latency, no refresh delay; a refresh held by 'hang' answers 503 `{error:'mock_reset'}`. */
  reset(): void
}

export interface HandleContext {
  /**
   * The Cookie header to use instead of the request's own. Browsers forbid setting
   * `Cookie` on a Request, so runtimes that keep cookies themselves pass them here.
   */
  cookie?: string | null
  /** Called with every Set-Cookie value (browsers also drop Set-Cookie from constructed Responses). */
  onSetCookie?: (setCookie: string) => void
}

export interface MockApp {
  /** Answers a request, or resolves null when the URL is not one of the mock's routes. */
  handle(request: Request, context?: HandleContext): Promise<Response | null>
  control: MockControl
  /** The clock the app keeps time by (its `now` option, else `Date.now`): a runtime's cookie jar uses it too. */
  now(): number
  /** Releases requests held by a 'hang' fault (they reject); used when a runtime shuts down. */
  dispose(): void
}
