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
// records them per call.
import ky from 'ky'
import type { Session } from '../index.js'

type Hook<R> = (...args: any[]) => R

export interface SessionKyHooks {
  /** ky 2 only (ky 1 ignores it): records the call's `fetch` and `timeout` for the replay. */
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
  /** A copy of the request when ky keeps none with an unread body (ky 2 with retries off). */
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

  // beforeRequest: a caller's own Authorization header is kept. beforeRetry (ky's own retries,
  // never our replay): the current token, unless the header is the caller's.
  const authorize =
    (retry: boolean) =>
    (...args: unknown[]) => {
      const { request, options } = hookState(args)
      if (!session.isTrustedUrl(request.url)) return
      const call = callOf(options)
      const header = session.authorizationFor(request.url)
      if (header && ((retry && call.ours) || !request.headers.has('Authorization'))) {
        request.headers.set('Authorization', header)
        call.ours = true
      }
      // ky clones the request before sending only when retries are on (ky 2); otherwise the
      // body is gone by afterResponse, so keep a copy for the replay.
      if (!retry && request.body && !options.retry.limit) call.spare = request.clone()
    }

  return {
    // A fresh `context` object per call (ky has already made it a plain copy of its own).
    init: [(options) => void track((options.context = { ...options.context }), options)],
    beforeRequest: [authorize(false)],
    beforeRetry: [authorize(true)],
    afterResponse: [
      async (...args) => {
        const { request, options, response } = hookState(args)
        const url = request.url
        const call = callOf(options)
        // The request ky holds is unsent when ky cloned it for retries; else use our copy.
        const source = request.bodyUsed ? call.spare : request
        // At most one replay per call: a 401 after it (or after a retry) is ky's HTTPError.
        if (response.status != 401 || call.replayed || !source || !session.isTrustedUrl(url) || session.getState().status == 'signedOut') return
        // The same say as with session.fetch: the call's own `context.replay`, then the
        // session's `replay` rule. A "no" hands ky the 401 (its HTTPError), with no refresh.
        const rule = session.options.replay
        if (!(options.context?.replay ?? (rule ? rule({ url, method: request.method }) : true))) return
        call.replayed = true

        // Waiting for the refresh ends when the request is aborted (the caller's signal, or ky's
        // total timeout); the replay itself gets the same signal.
        const signal = request.signal
        const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        // Join the session's single refresh; when it fails ky throws HTTPError with this 401.
        if (!(await Promise.race([session.refresh(), aborted]))) return

        const replay = source == request ? request.clone() : source
        const header = session.authorizationFor(url)
        // The fresh token replaces only the session's own header: a caller's own one stays.
        if (header && (call.ours || !replay.headers.has('Authorization'))) {
          replay.headers.set('Authorization', header)
          call.ours = true
        }
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
