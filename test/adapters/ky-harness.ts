// The ky adapter tests' harness: a session against the stub server, and a ky instance whose
// fetch puts a few fault routes in front of it. Sessions are destroyed after every test of the
// file that imports this module. ('ky' is whichever version the test file maps it to.)
import ky from 'ky'
import { createSession, type Session, type SessionOptions } from '../../src/index.js'
import { kyHooks } from '../../src/adapters/ky.js'
import { track } from '../helpers/sessions.js'
import { createStubServer, type StubServer } from '../helpers/stub-server.js'

export const BASE = 'http://app.test/api'

export interface Hit {
  method: string
  path: string
  auth: string | null
}

export interface Harness {
  server: StubServer
  session: Session
  /** Every /api request that reached the server, in order. */
  hits: Hit[]
  /** Resolves with the first request that reached /api/hang with a valid token. */
  hung: Promise<Request>
  /** Resolves when the next refresh call reaches the server. */
  nextRefresh(): Promise<void>
  api: typeof ky
}


export async function setup(kyOptions: Record<string, unknown> = {}, sessionOptions: SessionOptions = {}): Promise<Harness> {
  const server = createStubServer()
  const waiting: Array<() => void> = []
  const authFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/auth/refresh')) waiting.splice(0).forEach((notify) => notify())
    return server.fetch(input, init)
  }
  const nextRefresh = () => new Promise<void>((resolve) => waiting.push(resolve))
  const session = createSession({ credentials: 'bearer', crossTab: false, fetch: authFetch, ...sessionOptions })
  track(session)
  await session.start()
  const hits: Hit[] = []
  let reportHung!: (request: Request) => void
  const hung = new Promise<Request>((resolve) => (reportHung = resolve))
  let flaky = 0
  // In front of the stub server: /api/unavailable answers 503 to a valid token, /api/admin
  // answers 401 to every token, /api/flaky answers its first valid token 503 and then 401 to
  // every token, /api/busy answers 503 to anyone, /api/hang never answers a valid token (until aborted).
  const apiFetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request
    const path = new URL(request.url).pathname
    hits.push({ method: request.method, path, auth: request.headers.get('Authorization') })
    const signal = request.signal
    // Read the body off the Request ky sent, as a real fetch does (it cannot be sent twice).
    const body = request.body ? await request.arrayBuffer() : null
    if (path === '/api/busy') return new Response('busy', { status: 503 })
    if (path === '/api/admin' || (path === '/api/flaky' && flaky > 0)) return new Response('{"error":"forbidden"}', { status: 401 })
    const answer = await server.fetch(request.url, { method: request.method, headers: request.headers, body })
    if (path === '/api/unavailable' && answer.ok) return new Response('down', { status: 503 })
    if (path === '/api/flaky' && answer.ok) return flaky++, new Response('down', { status: 503 })
    if (path === '/api/hang' && answer.ok) {
      reportHung(request)
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
    }
    return answer
  }
  const api = ky.create({ fetch: apiFetch, hooks: kyHooks(session), ...kyOptions } as any)
  return { server, session, hits, hung, nextRefresh, api }
}

export const variants: Array<{ name: string; limit: number | undefined }> = [
  { name: 'retry: 0', limit: 0 },
  { name: 'default retry', limit: undefined },
  { name: 'retry: 5', limit: 5 },
]
/** ky's retry option for a variant, with extra retry settings. */
export const retryOf = (limit: number | undefined, extra?: Record<string, unknown>) => {
  if (!extra) return limit === undefined ? {} : { retry: limit }
  return { retry: { ...(limit === undefined ? {} : { limit }), ...extra } }
}

export type Method = 'get' | 'post'
/** One call: GET /api/item/<n> answers its path; POST /api/echo (JSON body) answers the body back. */
export function send(api: typeof ky, method: Method, n = 0, path?: string, options: Record<string, unknown> = {}) {
  if (method === 'get') return api.get(`${BASE}/${path ?? `item/${n}`}`, options)
  return api.post(`${BASE}/${path ?? 'echo'}`, { json: { draft: 'keep ✓', n }, ...options })
}
export const expected = (method: Method, n = 0) => (method === 'get' ? { ok: true, path: `/api/item/${n}` } : { draft: 'keep ✓', n })
