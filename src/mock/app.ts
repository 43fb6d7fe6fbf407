// The mock auth server as one framework-free function, Request → Response. The msw handlers
// (handlers.ts) and the real HTTP server (server.ts) both call it, so the contract is the
// same in unit tests, in a service worker and over loopback. Browser-safe: Fetch API and
// Web Crypto only.
import { OptionError } from '../index.js'
import { parseCookieHeader, serializeCookie, type CookieAttributes } from './cookies.js'
import { controlRoute } from './control-routes.js'
import { abortError, fail, faultResponse, json, methodNotAllowed, positive, sleep, validFault, type ErrorBody } from './responses.js'
import { Store, type Family, type StoredUser } from './store.js'
import type { HandleContext, MockApp, MockControl, MockCounters, MockOptions, MockUser, RefreshFault } from './types.js'

export const DEFAULT_USERS: readonly MockUser[] = Object.freeze([{ username: 'demo', password: 'demo', name: 'Demo User' }])
export const REFRESH_COOKIE = 'sc_refresh'
export const ACCESS_COOKIE = 'sc_access'

export function createMockApp(options: MockOptions = {}): MockApp {
  if (options === null || typeof options !== 'object') throw new OptionError('options', 'an object', options)
  const credentials = options.credentials ?? 'cookie'
  if (credentials !== 'cookie' && credentials !== 'bearer') throw new OptionError('credentials', "'cookie' or 'bearer'", credentials)
  const ttl = {
    access: positive('accessTtl', options.accessTtl, 60),
    idle: positive('idleTtl', options.idleTtl, 30 * 60),
    absolute: positive('absoluteTtl', options.absoluteTtl, 8 * 3600),
  }
  const initialLatency = positive('latency', options.latency, 0, true)
  const secure = options.secureCookies ?? true
  if (typeof secure !== 'boolean') throw new OptionError('secureCookies', 'a boolean', secure)
  // Looked up per call, so a test may swap Date.now (or the injected clock's source) later.
  const nowOption = options.now
  if (nowOption !== undefined && typeof nowOption !== 'function') throw new OptionError('now', 'a function returning ms', nowOption)
  const now = () => (nowOption ? nowOption() : Date.now())
  const basePath = options.basePath ?? ''
  if (typeof basePath !== 'string' || (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/'))))
    throw new OptionError('basePath', "'' or a path like '/backend' (leading slash, no trailing slash)", basePath)
  const users = options.users ?? []
  if (!Array.isArray(users)) throw new OptionError('users', 'an array of { username, password, name }', users)

  const store = new Store(now, ttl)
  for (const user of [...DEFAULT_USERS, ...users]) {
    if (!user || typeof user.username !== 'string' || typeof user.password !== 'string' || typeof user.name !== 'string')
      throw new OptionError('users', 'an array of { username, password, name } strings', user)
    store.addUser(user)
  }

  let latency = initialLatency
  let refreshDelay = 0
  let counters: MockCounters = { logins: 0, logouts: 0, refreshCalls: 0, refreshSuccesses: 0, reuseDetections: 0 }
  const faults: Array<{ fault: RefreshFault; remaining: number }> = []
  /** Requests held by a 'hang' fault: each settles with an answer (reset) or an error (shutdown). */
  const hanging = new Set<(outcome: Response | Error) => void>()

  const cookie = (name: string, value: string, attributes: CookieAttributes) =>
    serializeCookie(name, value, { httpOnly: true, sameSite: 'Strict', secure, ...attributes })
  const refreshPath = `${basePath}/auth`
  const accessPath = basePath || '/'
  const clearCookies = () => [
    cookie(REFRESH_COOKIE, '', { path: refreshPath, maxAge: 0 }),
    cookie(ACCESS_COOKIE, '', { path: accessPath, maxAge: 0 }),
  ]

  /** The success body of login and refresh, plus the cookies that go with it. */
  function issue(family: Family, refreshToken: string, user: StoredUser): { body: Record<string, unknown>; cookies: string[] } {
    const access = store.issueAccessToken(family)
    // Rounded up: a lifetime under half a second must not become Max-Age=0 (deleted) or expiresIn 0 (refused).
    const remaining = Math.max(0, Math.ceil((family.absoluteExpiresAt - now()) / 1000))
    const expiresIn = Math.max(0, Math.ceil((access.expiresAt - now()) / 1000))
    const body: Record<string, unknown> = { expiresIn, absoluteExpiresIn: remaining, user: { id: user.id, username: user.username, name: user.name } }
    const cookies = [cookie(REFRESH_COOKIE, refreshToken, { path: refreshPath, maxAge: remaining })]
    if (credentials === 'bearer') {
      body.accessToken = access.token
      // A stale access cookie from an earlier cookie-mode session must not linger.
      cookies.push(cookie(ACCESS_COOKIE, '', { path: accessPath, maxAge: 0 }))
    } else {
      cookies.push(cookie(ACCESS_COOKIE, access.token, { path: accessPath, maxAge: expiresIn }))
    }
    return { body, cookies }
  }

  function withCookies(response: Response, cookies: string[], context: HandleContext | undefined): Response {
    for (const value of cookies) {
      response.headers.append('Set-Cookie', value)
      context?.onSetCookie?.(value)
    }
    return response
  }

  function bearerToken(request: Request): string | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '')
    return match ? match[1]! : null
  }

  /** Either credential is accepted whatever the mode: the mode decides what is issued, not what is read. */
  function authenticate(request: Request, cookies: Record<string, string>): StoredUser | null {
    return store.checkAccess(bearerToken(request)) ?? store.checkAccess(cookies[ACCESS_COOKIE] ?? null)
  }

  async function login(request: Request, cookies: Record<string, string>, context?: HandleContext): Promise<Response> {
    let input: unknown
    try {
      input = JSON.parse(await request.text())
    } catch {
      return fail(400, { error: 'invalid_request', message: 'body must be JSON {"username","password"}' })
    }
    const { username, password } = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password)
      return fail(400, { error: 'invalid_request', message: 'username and password are required strings' })
    const user = store.authenticate(username, password)
    if (!user) return fail(401, { error: 'invalid_credentials', message: 'unknown user or wrong password' })
    // Whatever session this client held before ends here; the new one shares nothing with it.
    const previous = store.familyOfRefreshToken(cookies[REFRESH_COOKIE] ?? null)
    if (previous) store.endFamily(previous, 'replaced')
    const { family, refreshToken } = store.createFamily(user.id)
    counters.logins++
    const issued = issue(family, refreshToken, user)
    return withCookies(json(issued.body), issued.cookies, context)
  }

  async function refresh(request: Request, cookies: Record<string, string>, context?: HandleContext): Promise<Response> {
    counters.refreshCalls++
    // The fault is taken when the call arrives: one queued during a slow refresh is for the next call.
    const pending = faults[0]
    if (pending && --pending.remaining <= 0) faults.shift()
    if (refreshDelay > 0) await sleep(refreshDelay, request.signal)
    if (pending) {
      const fault = pending.fault
      if (fault === 'network') return Response.error()
      if (fault === 'hang') {
        // Held until the client gives up (its signal aborts) or the runtime shuts down.
        return new Promise<Response>((resolve, reject) => {
          const release = (outcome: Response | Error) => {
            hanging.delete(release)
            if (outcome instanceof Response) resolve(outcome)
            else reject(outcome)
          }
          hanging.add(release)
          request.signal?.addEventListener('abort', () => release(abortError(request.signal) as Error), { once: true })
        })
      }
      return faultResponse(fault)
    }
    const outcome = store.refresh(cookies[REFRESH_COOKIE] ?? null)
    if (!outcome.ok) {
      if (outcome.error === 'token_reused') counters.reuseDetections++
      const body: ErrorBody = { error: outcome.error, ...(outcome.revoked ? { reason: 'revoked' } : {}) }
      // A dead refresh cookie is useless to the client; clearing it keeps its jar honest.
      return withCookies(fail(401, body), clearCookies(), context)
    }
    const user = store.userById(outcome.family.userId)
    if (!user) return fail(401, { error: 'invalid_grant', message: 'user no longer exists' })
    counters.refreshSuccesses++
    const issued = issue(outcome.family, outcome.refreshToken, user)
    return withCookies(json(issued.body), issued.cookies, context)
  }

  function logout(request: Request, cookies: Record<string, string>, context?: HandleContext): Response {
    counters.logouts++
    // Every session a presented credential belongs to ends: a stale refresh cookie must not shield the live one.
    const byAccess = [bearerToken(request), cookies[ACCESS_COOKIE] ?? null].map((token) => store.familyOfAccessToken(token))
    for (const family of [store.familyOfRefreshToken(cookies[REFRESH_COOKIE] ?? null), ...byAccess]) if (family) store.endFamily(family, 'logout')
    return withCookies(new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } }), clearCookies(), context)
  }

  async function api(route: string, request: Request, cookies: Record<string, string>): Promise<Response | null> {
    const user = authenticate(request, cookies)
    if (!user)
      return fail(401, { error: 'invalid_token', message: 'missing, expired or revoked access token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    if (route === '/me') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET')
      return json({ user: { id: user.id, username: user.username, name: user.name } })
    }
    if (route === '/echo') {
      if (request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return methodNotAllowed('POST')
      const bytes = await request.arrayBuffer()
      const type = request.headers.get('Content-Type')
      return new Response(bytes, { status: 200, headers: { 'Cache-Control': 'no-store', ...(type ? { 'Content-Type': type } : {}) } })
    }
    // Behind the access check, a route the mock does not know is the app's: under msw, its own
    // handlers listed after the mock's answer it; the HTTP server answers a JSON 404.
    return null
  }

  async function route(request: Request, path: string, context?: HandleContext): Promise<Response | null> {
    const cookies = parseCookieHeader(context?.cookie !== undefined ? context.cookie : request.headers.get('Cookie'))
    if (path.startsWith('/__mock/')) return controlRoute(path.slice('/__mock'.length), request, control)
    const auth = path.startsWith('/auth/')
    if (!auth && !path.startsWith('/api/')) return null
    if (latency > 0) await sleep(latency, request.signal)
    if (!auth) return api(path.slice('/api'.length), request, cookies)
    const action = path.slice('/auth'.length)
    if (action !== '/login' && action !== '/refresh' && action !== '/logout') return fail(404, { error: 'not_found', message: `no route /auth${action}` })
    if (request.method !== 'POST') return methodNotAllowed('POST')
    if (action === '/login') return login(request, cookies, context)
    if (action === '/refresh') return refresh(request, cookies, context)
    return logout(request, cookies, context)
  }

  const control: MockControl = {
    get counters() {
      return { ...counters }
    },
    expireAccessTokens() {
      store.expireAccessTokens()
    },
    revokeAll() {
      for (const family of store.liveFamilies()) store.endFamily(family, 'revoked')
      store.expireAccessTokens()
    },
    spendRefreshToken() {
      // The rotated successor goes nowhere: the client's copy is now a used token.
      for (const family of store.liveFamilies()) store.rotate(family)
    },
    failNextRefresh(fault: RefreshFault, count = 1) {
      if (!validFault(fault)) throw new OptionError('fault', "{ status: 200..599, body?: string, retryAfter?: seconds } | 'network' | 'hang'", fault)
      if (!Number.isInteger(count) || count < 1) throw new OptionError('count', 'an integer >= 1', count)
      faults.push({ fault, remaining: count })
    },
    setLatency(ms: number) {
      latency = positive('latency', ms, 0, true)
    },
    setRefreshDelay(ms: number) {
      refreshDelay = positive('refreshDelay', ms, 0, true)
    },
    reset() {
      store.clearSessions()
      counters = { logins: 0, logouts: 0, refreshCalls: 0, refreshSuccesses: 0, reuseDetections: 0 }
      faults.length = 0
      latency = initialLatency
      refreshDelay = 0
      // A request held from before the reset answers now: a test's next step must not inherit it.
      for (const release of [...hanging]) release(fail(503, { error: 'mock_reset', message: 'control.reset() released this held request' }))
    },
  }

  return {
    control,
    now,
    async handle(request: Request, context?: HandleContext): Promise<Response | null> {
      let path: string
      try {
        path = new URL(request.url).pathname
      } catch {
        return null
      }
      if (basePath) {
        if (!path.startsWith(basePath + '/')) return null
        path = path.slice(basePath.length)
      }
      try {
        const response = await route(request, path, context)
        // A HEAD answer has no body on the wire; msw would otherwise hand the GET body over.
        if (response?.body && request.method === 'HEAD') return new Response(null, { status: response.status, headers: response.headers })
        return response
      } catch (error) {
        // An aborted request (client gave up, runtime closing) has nobody to answer to.
        if (request.signal?.aborted || (error as Error)?.name === 'AbortError') throw error
        return fail(500, { error: 'server_error', message: 'the mock failed to handle this request' })
      }
    },
    dispose() {
      const error = new DOMException('The mock server is shutting down.', 'AbortError')
      for (const release of [...hanging]) release(error)
    },
  }
}
