// session.fetch: attaches credentials to allowed origins only, and on a 401 joins the
// session's single refresh and replays the request once. Everything else is plain fetch.
import { raceAbort } from '../core/abort.js'
import type { SessionEvents, Status } from '../core/types.js'

/** 0: another origin (never gets credentials), 1: the page's origin, 2: an allowed tokenOrigin. */
export type Target = 0 | 1 | 2

export interface FetchDeps {
  fetch: () => typeof fetch
  target: (url: string) => Target
  bearer: boolean
  token: () => string | null
  /** Changes whenever credentials change: a 401 to an older version needs no new refresh. */
  version: () => number
  status: () => Status
  /** Joins or starts the single refresh; true when the session is fresh afterwards. Never rejects. */
  refresh: () => Promise<boolean>
  emit: (event: 'replaySkipped', payload: SessionEvents['replaySkipped']) => void
}

const isStream = (body: unknown) => typeof ReadableStream !== 'undefined' && body instanceof ReadableStream

export function createSessionFetch(d: FetchDeps) {
  // Adds the credentials for this attempt. Bearer: the Authorization header (unless the
  // caller set one); cookie mode: credentials 'include' for allowed cross-origin targets.
  const prepare = (input: RequestInfo | URL, init: RequestInit | undefined, target: Target, isRequest: boolean): RequestInit | undefined => {
    const token = d.bearer ? d.token() : null
    if (token) {
      const given = init?.headers ?? (isRequest ? (input as Request).headers : undefined)
      const bearerValue = `Bearer ${token}`
      if (!given || (given.constructor === Object)) {
        // A plain record (the common case) is extended without allocating a Headers object.
        if (!Object.keys(given ?? {}).some((k) => k.toLowerCase() === 'authorization'))
          init = { ...init, headers: { ...(given as Record<string, string>), Authorization: bearerValue } }
      } else {
        const headers = new Headers(given)
        if (!headers.has('Authorization')) headers.set('Authorization', bearerValue)
        init = { ...init, headers }
      }
    }
    if (target === 2 && init?.credentials === undefined && !(isRequest && (input as Request).credentials === 'include'))
      init = { ...init, credentials: 'include' }
    return init
  }

  return async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request
    const url = typeof input === 'string' ? input : isRequest ? (input as Request).url : String(input)
    const target = d.target(url)
    if (target === 0) return d.fetch()(input, init)

    const signal = init?.signal ?? (isRequest ? (input as Request).signal : undefined)
    // A Request's body is consumed by the first send; keep a copy for the one replay.
    const spare = isRequest && (input as Request).body && init?.body === undefined ? (input as Request).clone() : null
    const version = d.version()
    const first = await d.fetch()(input, prepare(input, init, target, isRequest))
    if (first.status !== 401 || d.status() === 'signedOut') return first

    if (init?.body != null && isStream(init.body)) {
      // The stream is spent: replaying would send an empty body. Hand back the 401 as it is.
      d.emit('replaySkipped', { url, reason: 'unreplayableBody' })
      return first
    }
    const fresh = (d.version() !== version && d.status() === 'authenticated') || (await raceAbort(d.refresh(), signal))
    if (!fresh) return first
    first.body?.cancel().catch(() => {})
    const again = spare ?? input
    // The replay is returned whatever it is: a second 401 is a permission failure, not a loop.
    return d.fetch()(again, prepare(again, init, target, isRequest))
  }
}
