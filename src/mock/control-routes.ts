// The mock's control over HTTP (`/__mock/*`): what the demo, Playwright and other processes
// use to drive it. A browser page of another site must not: a no-CORS POST needs no preflight,
// so any page that guesses the port could reset the mock or inject faults without this check.
import { fail, json, methodNotAllowed, validFault } from './responses.js'
import type { MockControl } from './types.js'

/**
 * True for a request a browser sent from another site or origin. Node callers, Playwright's
 * request context and same-origin pages send no `Sec-Fetch-Site` other than same-origin/none,
 * and no foreign `Origin` (an opaque `null` origin counts as foreign).
 */
export function fromOtherOrigin(request: Request): boolean {
  const site = request.headers.get('Sec-Fetch-Site')
  if (site === 'cross-site' || site === 'same-site') return true
  const origin = request.headers.get('Origin')
  return origin !== null && origin !== new URL(request.url).origin
}

export const forbidden = (message: string) => fail(403, { error: 'forbidden', message })

export async function controlRoute(route: string, request: Request, control: MockControl): Promise<Response> {
  if (fromOtherOrigin(request)) return forbidden('mock control routes take same-origin requests only')
  if (route === '/counters') return request.method === 'GET' ? json(control.counters) : methodNotAllowed('GET')
  if (request.method !== 'POST') return methodNotAllowed('POST')
  let input: Record<string, unknown> = {}
  const text = await request.text()
  if (text.trim()) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Record<string, unknown>
      else return fail(400, { error: 'invalid_request', message: 'body must be a JSON object' })
    } catch {
      return fail(400, { error: 'invalid_request', message: 'body must be JSON' })
    }
  }
  const done = () => json({ ok: true, counters: control.counters })
  switch (route) {
    case '/expire':
      control.expireAccessTokens()
      return done()
    case '/revoke':
      control.revokeAll()
      return done()
    case '/spend':
      control.spendRefreshToken()
      return done()
    case '/reset':
      control.reset()
      return done()
    case '/latency':
      if (typeof input.ms !== 'number' || !Number.isFinite(input.ms) || input.ms < 0)
        return fail(400, { error: 'invalid_request', message: 'expected {"ms": number >= 0}' })
      control.setLatency(input.ms)
      return done()
    case '/fail-refresh': {
      const count = input.count ?? 1
      if (!validFault(input.fault) || !Number.isInteger(count) || (count as number) < 1)
        return fail(400, { error: 'invalid_request', message: 'expected {"fault": {status, body?, retryAfter?} | "network" | "hang", "count"?: integer >= 1}' })
      control.failNextRefresh(input.fault, count as number)
      return done()
    }
  }
  return fail(404, { error: 'not_found', message: `no control route ${route}` })
}
