// The built-in refresh call: POST refreshUrl with cookies, classify the answer.
import { SessionEndedError, TransientRefreshError } from '../core/errors.js'
import type { RefreshResult } from '../core/types.js'

/** Retry-After in ms (seconds or an HTTP date), or null. */
function retryAfter(res: Response, now: number): number | null {
  const value = res.headers.get('Retry-After')
  if (!value) return null
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now
  return ms >= 0 ? ms : null
}

export async function callRefreshEndpoint(fetchImpl: typeof fetch, url: string, now: number): Promise<RefreshResult> {
  let res: Response
  try {
    res = await fetchImpl(url, { method: 'POST', credentials: 'include', headers: { Accept: 'application/json' } })
  } catch (error) {
    throw new TransientRefreshError(`network: ${(error as Error)?.message ?? error}`)
  }
  if (res.status === 401 || res.status === 403) {
    // The mock (and the README's contract) mark refresh-token reuse as { reason: 'revoked' }.
    const body = await res.json().catch(() => null)
    throw new SessionEndedError(res.status, body?.reason === 'revoked' ? 'revoked' : 'refreshFailed')
  }
  if (!res.ok) {
    res.body?.cancel().catch(() => {})
    throw new TransientRefreshError(`HTTP ${res.status}`, res.status, retryAfter(res, now))
  }
  try {
    return await res.json()
  } catch {
    throw new TransientRefreshError('malformed reply: not JSON', res.status)
  }
}
