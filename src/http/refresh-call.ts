// The built-in refresh call: POST refreshUrl with cookies, classify the answer.
import { SessionEndedError, TransientRefreshError } from '../base/errors.js'
import type { RefreshResult } from '../base/types.js'

/** The request alone: POST with the cookies, asking for JSON (the interceptor-only entry stops here). */
export const postRefresh = (fetchImpl: typeof fetch, url: string) => fetchImpl(url, { method: 'POST', credentials: 'include', headers: { Accept: 'application/json' } })

/** The session's call: the request, and its answer classified (ended, transient, usable). */
export async function callRefreshEndpoint(fetchImpl: typeof fetch, url: string, now: number): Promise<RefreshResult> {
  let res: Response
  try {
    res = await postRefresh(fetchImpl, url)
  } catch (error) {
    throw new TransientRefreshError(`network: ${(error as Error)?.message ?? error}`)
  }
  const { status } = res
  const ended = status == 401 || status == 403
  if (!res.ok && !ended) {
    // A 5xx (or any other failure) body is not needed: cancel it rather than read an error page.
    res.body?.cancel().catch(() => {})
    // Retry-After: seconds or an HTTP date.
    const after = res.headers.get('Retry-After') ?? ''
    const wait = /^\d+$/.test(after) ? +after * 1000 : Date.parse(after) - now
    throw new TransientRefreshError(`HTTP ${status}`, status, wait >= 0 ? wait : null)
  }
  const body = await res.json().catch(() => undefined)
  // The mock (and the README's contract) mark refresh-token reuse as { reason: 'revoked' }.
  if (ended) throw new SessionEndedError(status, body?.reason == 'revoked' ? 'revoked' : 'refreshFailed')
  if (body === undefined) throw new TransientRefreshError('malformed reply: not JSON', status)
  return body
}
