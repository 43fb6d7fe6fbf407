// session-continuity/fetch: only "401 → one refresh → replay once", for one tab. No state,
// no proactive refresh or backoff, no cross-tab coordination (use createSession for rotating
// refresh tokens in several tabs: it serialises refreshes across tabs).
//   const api = createRefreshingFetch({ refreshUrl: '/auth/refresh' })
//   const res = await api('/api/orders')
import { postRefresh } from '../http/refresh-call.js'
import { createSessionFetch } from '../http/fetch.js'
import { absoluteOrigin, createOriginCheck } from '../http/origin.js'
import type { RefreshResult } from '../base/types.js'
import { OptionError } from '../base/errors.js'
import { within } from '../base/abort.js'
import { systemTimers } from '../base/clock.js'

export interface RefreshingFetchOptions {
  /** POSTed with cookies on a 401 (default '/auth/refresh'). */
  refreshUrl?: string
  /** Replaces the built-in refresh call; resolve with the result, throw to mean "failed". */
  refresh?: () => Promise<RefreshResult>
  /** Extra origins allowed to receive credentials, absolute (`https://api.example.com`; a trailing slash is fine). */
  tokenOrigins?: readonly string[]
  /** The access token to start with (bearer); later ones come from each refresh result. */
  accessToken?: string
  fetch?: typeof fetch
  /**
   * How long requests wait for a refresh, in ms (default 10000). After it they get their 401;
   * the refresh itself is not aborted (a rotated refresh cookie must still land), and no second
   * refresh starts until it settles or twice this time has passed.
   */
  refreshTimeout?: number
}

export interface RefreshingFetch {
  (input: RequestInfo | URL, init?: RequestInit & { replay?: boolean }): Promise<Response>
  /** Refreshes now (joins one in flight); true on success. */
  refresh(): Promise<boolean>
}

export function createRefreshingFetch(options: RefreshingFetchOptions = {}): RefreshingFetch {
  const { refreshUrl = '/auth/refresh', refresh: custom, tokenOrigins = [], fetch: given, refreshTimeout = 10_000 } = options
  if (process.env.NODE_ENV != 'production') {
    if (custom !== undefined && typeof custom != 'function') throw new OptionError('refresh', 'a function', custom)
    if (!Array.isArray(tokenOrigins)) throw new OptionError('tokenOrigins', 'an array of origins', tokenOrigins)
    if (!(typeof refreshTimeout == 'number' && refreshTimeout >= 1 && refreshTimeout <= 2147483647)) throw new OptionError('refreshTimeout', 'a finite number of ms >= 1 and <= 2147483647', refreshTimeout)
  }
  const raw = () => given ?? globalThis.fetch
  let token = options.accessToken ?? null
  let version = 0
  let flight: Promise<boolean> | null = null
  // Any failure (network, not 2xx, not JSON, a custom refresh that throws) means "not
  // refreshed": the caller gets the first 401. The session's call tells these apart for its
  // backoff; with no backoff here, that classification would buy nothing but bytes.
  // A reply that comes late still counts (its token is used, a rotated cookie has landed); a
  // refresh that never answers stops blocking new ones after twice refreshTimeout.
  const refresh = () =>
    (flight ??= within(
      (custom ? custom() : postRefresh(raw(), refreshUrl).then((res) => (res.ok ? res.json() : Promise.reject(res.status))))
        .then((result: Partial<RefreshResult> | null) => ((token = (typeof result?.accessToken == 'string' && result.accessToken) || token), version++, true))
        .catch(() => false),
      2 * refreshTimeout,
      false,
      systemTimers,
    ).finally(() => (flight = null)))
  // Requests wait at most refreshTimeout; the refresh itself is not aborted (see above).
  const joined = () => within(refresh(), refreshTimeout, false, systemTimers)
  const wrapped = createSessionFetch({
    fetch: raw,
    // Compared as origins: 'https://api.example.com/' must mean https://api.example.com.
    target: createOriginCheck(tokenOrigins.map((v, i) => (process.env.NODE_ENV != 'production' ? absoluteOrigin(`tokenOrigins[${i}]`, v) : new URL(v).origin))),
    token: () => token,
    // No mode here: cookies go to tokenOrigins until there is an access token to send instead.
    cookies: () => !token,
    version: () => version,
    live: () => true,
    pending: () => flight && joined(),
    refresh: joined,
    skipped() {},
  }) as RefreshingFetch
  wrapped.refresh = joined
  return wrapped
}
