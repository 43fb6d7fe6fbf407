// session-continuity/ky: ky hooks that route ky's requests through the session's refresh.
//   const api = ky.create({ hooks: kyHooks(session) })
//
// On a 401 the hooks join the session's single refresh, send the request once more themselves
// (a bare ky call with the call's `fetch`, `timeout` and signal) and hand that response back to
// ky from afterResponse. The replay is not one of ky's retries: it does not count against
// `retry.limit`, ignores `retry.methods` and `shouldRetry`, and runs no `beforeRetry` hook.
// Everything after it is ky's as usual (a non-2xx replay is an HTTPError, a 5xx may be retried
// by the user's settings, a 401 is final). Which 401s are replayed follows the session's
// `replay` rule, and a call's `context: { replay: false }` opts it out.
//
// Works with ky 1 and ky 2. ky 1 calls beforeRequest/afterResponse with positional arguments
// `(request, options, response)`, ky 2 with one object `{ request, options, response }`. ky 2
// leaves `fetch` and `timeout` out of the options its hooks see, so an `init` hook (ky 2 only)
// records them per call, and wraps the call's fetch to copy a body ky would not keep.
import ky from 'ky'
import type { Session } from '../index.js'

type Hook<R> = (...args: any[]) => R

export interface SessionKyHooks {
  /** ky 2 only (ky 1 ignores it): records the call's `fetch` and `timeout` for the replay, and wraps that fetch. */
  init: Array<(options: any) => void>
  beforeRequest: Array<Hook<void>>
  beforeRetry: Array<Hook<void>>
  afterResponse: Array<Hook<Promise<Response | void>>>
}

interface Call {
  /** ky's configured fetch for this call (ky's default is the global fetch). */
  fetch?: typeof fetch
  /** ky's per-attempt timeout in ms, or false (undefined: ky's default). */
  timeout?: number | false
  /** ky 2 with retries off sends (and spends) the very request its hooks see: copy what goes out. */
  keep?: boolean
  /** That copy, taken by our wrapper of ky's fetch after every beforeRequest hook ran. */
  spare?: Request
  /** The Authorization header on the request is the session's (not a caller's own). */
  ours?: boolean
  replayed?: boolean
}

// ky 2 passes one state object; ky 1 passes (request, options, response, state).
const hookState = (args: any[]): { request: Request; options: any; response: Response } =>
  args[0].options ? args[0] : { request: args[0], options: args[1], response: args[2] }

export function kyHooks(session: Session): SessionKyHooks {
  // One entry per ky call. ky 2: keyed by the call's own `context` object, made by the init
  // hook. ky 1: keyed by the call's Headers object (ky makes one per call, and its hooks'
  // options carry `fetch` and `timeout` too).
  const calls = new WeakMap<object, Call>()
  const track = (key: object, options: any): Call => {
    const call = { fetch: options.fetch, timeout: options.timeout }
    calls.set(key, call)
    return call
  }
  const callOf = (options: any) => calls.get(options.context) ?? calls.get(options.headers) ?? track(options.headers, options)
  // The session's header goes on a request to a trusted origin unless it carries one already;
  // `replace`: that one is the session's own (an older token), not a caller's.
  const put = (request: Request, call: Call, replace?: boolean) => {
    const header = session.authorizationFor(request.url)
    if (header && (replace || !request.headers.has('Authorization'))) request.headers.set('Authorization', header), (call.ours = true)
  }

  // beforeRequest: a caller's own Authorization header is kept. beforeRetry (ky's own retries,
  // never our replay): the current token, unless the header is the caller's.
  const authorize =
    (retry: boolean) =>
    (...args: unknown[]) => {
      const { request, options } = hookState(args)
      if (!session.isTrustedUrl(request.url)) return
      const call = callOf(options)
      put(request, call, retry && call.ours)
      // ky clones the request before sending only when retries are on (ky 2); otherwise the
      // body is gone by afterResponse, so the fetch wrapper keeps a copy for the replay. (ky 1
      // always sends a copy: it has no init hook, no wrapper, and needs none.)
      call.keep = !options.retry.limit
    }

  return {
    // A fresh `context` object per call (ky has already made it a plain copy of its own), and
    // ky's fetch wrapped: the copy for the replay is of what goes out, after the user's own
    // beforeRequest hooks (a CSRF header they add, a Request they return) ran.
    init: [
      (options) => {
        const call = track((options.context = { ...options.context }), options)
        options.fetch = (request: Request, init?: RequestInit) => (call.keep && (call.spare = request.clone()), (call.fetch || fetch)(request, init))
      },
    ],
    beforeRequest: [authorize(false)],
    beforeRetry: [authorize(true)],
    afterResponse: [
      async (...args) => {
        const { request, options, response } = hookState(args)
        const url = request.url
        const call = callOf(options)
        // At most one replay per call: a 401 after it (or after a retry) is ky's HTTPError.
        if (response.status != 401 || call.replayed || !session.isTrustedUrl(url) || session.getState().status == 'signedOut') return
        // The same say as with session.fetch: the call's own `context.replay`, then the
        // session's `replay` rule. A "no" hands ky the 401 (its HTTPError), with no refresh.
        if (!(options.context?.replay ?? session.options.replay?.({ url, method: request.method }) ?? true)) return
        // The request ky holds is unsent when ky cloned it for retries; else use our copy (none:
        // no replay, no refresh).
        const replay = request.bodyUsed ? call.spare : request.clone()
        if (!replay) return
        call.replayed = true

        // A 401 to a token another call's refresh has renewed since this request went out needs
        // no new refresh (as with session.fetch): it carries the session's header, but not the
        // current one. Else join the session's single refresh; when it fails ky throws HTTPError
        // with this 401. Waiting for it ends when the request is aborted (the caller's signal, or
        // ky's total timeout); the replay itself gets the same signal.
        const signal = request.signal
        if (!((call.ours && request.headers.get('Authorization') != session.authorizationFor(url)) || (await Promise.race([session.refresh(), new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))]))))
          return

        // The fresh token replaces only the session's own header: a caller's own one stays.
        put(replay, call, call.ours)
        // One bare ky call (no retries, no hooks) so that `timeout` means what it means to ky: a
        // TimeoutError, the request aborted. Its answer, whatever the status, goes back to this call.
        return ky(replay, { fetch: call.fetch, timeout: call.timeout, signal, retry: 0, throwHttpErrors: false })
      },
    ],
  }
}

/** `ky.extend` with the session's hooks. */
export const extendKy = <Instance extends { extend(options: { hooks: SessionKyHooks }): unknown }>(instance: Instance, session: Session) =>
  instance.extend({ hooks: kyHooks(session) }) as ReturnType<Instance['extend']>
