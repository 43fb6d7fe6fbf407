// session-continuity/ky: ky hooks that route ky's requests through the session's refresh.
//   const api = ky.create({ hooks: kyHooks(session) })
import ky, { type AfterResponseHook, type BeforeRequestHook, type BeforeRetryHook } from 'ky'
import type { Session } from '../index.js'

export interface SessionKyHooks {
  beforeRequest: BeforeRequestHook[]
  beforeRetry: BeforeRetryHook[]
  afterResponse: AfterResponseHook[]
}

export function kyHooks(session: Session): SessionKyHooks {
  // ky's options object is the same for every attempt of one call: it marks "already replayed".
  const replayed = new WeakSet<object>()
  // `overwrite`: a caller's own Authorization is kept on the first attempt; a replay after
  // our refresh must carry the fresh token (beforeRequest does not run again for retries).
  const authorize =
    (overwrite: boolean) =>
    ({ request }: { request: Request }) => {
      const header = session.authorizationFor(request.url)
      if (header && (overwrite || !request.headers.has('Authorization'))) request.headers.set('Authorization', header)
    }
  return {
    beforeRequest: [authorize(false)],
    beforeRetry: [authorize(true)],
    afterResponse: [
      async ({ request, options, response }) => {
        if (response.status !== 401 || replayed.has(options) || !session.isTrustedUrl(request.url) || session.getState().status === 'signedOut') return
        // Join the session's single refresh; on failure ky throws HTTPError with this 401.
        if (!(await session.refresh())) return
        replayed.add(options)
        return ky.retry({ delay: 0, code: 'SESSION_REFRESHED' })
      },
    ],
  }
}

/** `ky.extend` with the session's hooks. */
export const extendKy = (instance: typeof ky, session: Session) => instance.extend({ hooks: kyHooks(session) })
