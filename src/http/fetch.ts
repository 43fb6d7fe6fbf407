// session.fetch: attaches credentials to allowed origins only, waits for a refresh already
// known to be in progress, and on a 401 joins the single refresh and replays the request
// once. Everything else is plain fetch.
import { raceAbort } from '../base/abort.js'

/** 0: another origin (never gets credentials), 1: the page's origin, 2: an allowed tokenOrigin. */
export type Target = 0 | 1 | 2

export interface FetchDeps {
  fetch: () => typeof fetch
  target: (url: string) => Target
  /** The bearer token (bearer mode only; null in cookie mode). */
  token: () => string | null
  /**
   * Whether allowed cross-origin requests carry cookies (cookie mode). Bearer requests do not:
   * a token API's CORS need not allow credentials (and with `Access-Control-Allow-Origin: *`
   * cannot).
   */
  cookies: () => boolean
  /** Changes whenever credentials change: a 401 to an older version needs no new refresh. */
  version: () => number
  /** Whether a 401 may be answered with a refresh (the session is, or may be, signed in). */
  live: () => boolean
  /** A refresh known to be in progress (here or in another tab), bounded; else null. */
  pending: () => Promise<unknown> | null
  /** Joins or starts the single refresh; true when the session is fresh afterwards. Never rejects. */
  refresh: () => Promise<boolean>
  /** The session-wide replay rule, if any. */
  replay?: (request: { url: string; method: string }) => boolean
  skipped: (url: string, reason: 'unreplayableBody' | 'notReplayable') => void
}

export function createSessionFetch(d: FetchDeps) {
  // Adds the credentials for this attempt. Bearer: the Authorization header (unless the
  // caller set one); cookie mode: credentials 'include' for allowed cross-origin targets.
  const prepare = (input: any, init: RequestInit | undefined, target: Target, request: boolean): RequestInit | undefined => {
    const token = d.token()
    if (token) {
      const given: any = init?.headers ?? (request ? input.headers : undefined)
      const value = `Bearer ${token}`
      // A plain record (the common case) is extended without allocating a Headers object.
      if (!given || given.constructor == Object) {
        if (!Object.keys(given ?? {}).some((k) => k.toLowerCase() == 'authorization')) init = { ...init, headers: { ...given, Authorization: value } }
      } else {
        const headers = new Headers(given)
        if (!headers.has('Authorization')) headers.set('Authorization', value)
        init = { ...init, headers }
      }
    }
    return target == 2 && d.cookies() && init?.credentials === undefined && !(request && input.credentials == 'include') ? { ...init, credentials: 'include' } : init
  }

  return async function sessionFetch(input: RequestInfo | URL, init?: RequestInit & { replay?: boolean }): Promise<Response> {
    // A Request from another realm (an iframe's) fails instanceof; read as a string it would be
    // "[object Request]", a same-origin path, and its foreign URL would get the credentials.
    const request = typeof input == 'object' && typeof (input as Request).url == 'string'
    const url = typeof input == 'string' ? input : request ? (input as Request).url : String(input)
    const target = d.target(url)
    if (!target) return d.fetch()(input, init)
    const signal = init?.signal ?? (request ? (input as Request).signal : null)

    // A refresh is on its way: going out now would spend a 401 on the old credential.
    const pending = d.pending()
    if (pending) await raceAbort(pending, signal)
    // A Request's body is consumed by the first send; keep a copy for the one replay.
    const spare = request && (input as Request).body && init?.body === undefined ? (input as Request).clone() : null
    const version = d.version()
    const first = await d.fetch()(input, prepare(input, init, target, request))
    if (first.status != 401 || !d.live()) return first

    const stream = typeof ReadableStream != 'undefined' && init?.body instanceof ReadableStream
    const method = (init?.method ?? (request ? (input as Request).method : 'GET')).toUpperCase()
    // The request's own `replay` wins over the session's rule; the app's "no" is the reason given.
    const wanted = init?.replay ?? (d.replay ? d.replay({ url, method }) : true)
    if (!wanted || stream) {
      // A spent stream would replay as an empty body; an opted-out request is the app's to retry.
      d.skipped(url, wanted ? 'unreplayableBody' : 'notReplayable')
      return first
    }
    const fresh = (d.version() != version && d.live()) || (await raceAbort(d.refresh(), signal))
    if (!fresh) return first
    first.body?.cancel().catch(() => {})
    const again = spare ?? input
    // The replay is returned whatever it is: a second 401 is a permission failure, not a loop.
    return d.fetch()(again, prepare(again, init, target, request))
  }
}
