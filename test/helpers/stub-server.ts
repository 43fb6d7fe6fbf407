// A tiny in-memory server behind a fetch function, for fast core tests. It speaks the
// default contract: POST /auth/refresh, POST /auth/logout, and protected /api/* routes.
import type { RefreshResult } from '../../src/base/types.js'

export interface StubServer {
  fetch: typeof fetch
  calls: { refresh: number; logout: number; api: number }
  /** Bodies received by /api/echo, as bytes. */
  echoed: Uint8Array[]
  token: string
  /** Makes every current access token invalid (the next /api call answers 401). */
  expire(): void
  /** Queue answers for the next refresh calls (status, or a thrown network error). */
  refreshAnswers: Array<number | 'network' | { status: number; body: string; headers?: Record<string, string> }>
  /** Hold refreshes until release() is called. */
  holdRefresh(): () => void
}

export function createStubServer(options: { expiresIn?: number; origin?: string; result?: Partial<RefreshResult> } = {}): StubServer {
  let generation = 0
  let gate: Promise<void> | null = null
  const server: StubServer = {
    calls: { refresh: 0, logout: 0, api: 0 },
    echoed: [],
    token: 'tok-0',
    refreshAnswers: [],
    expire() {
      server.token = `expired-${++generation}`
    },
    holdRefresh() {
      let release!: () => void
      gate = new Promise((r) => (release = r))
      return () => {
        gate = null
        release()
      }
    },
    async fetch(input: RequestInfo | URL, init?: RequestInit) {
      const request = new Request(input instanceof URL ? input.href : input, init)
      const url = new URL(request.url, 'http://app.test')
      if (url.pathname === '/auth/refresh') {
        server.calls.refresh++
        if (gate) await gate
        const answer = server.refreshAnswers.shift()
        if (answer === 'network') throw new TypeError('Failed to fetch')
        if (typeof answer === 'number') return new Response(JSON.stringify({ error: 'x' }), { status: answer })
        if (answer) return new Response(answer.body, { status: answer.status, headers: answer.headers })
        server.token = `tok-${++generation}`
        return Response.json({ expiresIn: options.expiresIn ?? 300, accessToken: server.token, user: { id: 'u1', name: 'Ada' }, ...options.result })
      }
      if (url.pathname === '/auth/logout') {
        server.calls.logout++
        return new Response(null, { status: 204 })
      }
      server.calls.api++
      const auth = request.headers.get('Authorization')
      if (auth !== `Bearer ${server.token}`) return new Response('{"error":"invalid_token"}', { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
      if (url.pathname === '/api/echo') {
        const bytes = new Uint8Array(await request.arrayBuffer())
        server.echoed.push(bytes)
        return new Response(bytes, { status: 200, headers: { 'Content-Type': request.headers.get('Content-Type') ?? 'application/octet-stream' } })
      }
      return Response.json({ ok: true, path: url.pathname })
    },
  } as StubServer
  return server
}
