// The server contract as one table of tests, run against every runtime of the mock (msw in
// Node, the real HTTP server over loopback). Each runtime file supplies `start`.
import { afterEach, describe, expect, it } from 'vitest'
import type { MockControl, MockOptions } from '../../src/mock/index.js'
import { TestJar } from './cookie-jar.js'

export interface Runtime {
  control: MockControl
  /** A fetch through the test's cookie jar: sends matching cookies, stores Set-Cookie. */
  fetch(path: string, init?: RequestInit & { cookies?: boolean }): Promise<Response>
  /** A plain fetch to the runtime, without the jar. */
  raw(path: string, init?: RequestInit): Promise<Response>
  jar: TestJar
  close(): Promise<void>
}

export type StartRuntime = (options: MockOptions) => Promise<{ origin: string; control: MockControl; close(): Promise<void> }>

const JSON_HEADERS = { 'Content-Type': 'application/json' }

export function defineContract(name: string, start: StartRuntime): void {
  let open: Runtime[] = []
  afterEach(async () => {
    await Promise.all(open.map((r) => r.close()))
    open = []
  })

  async function runtime(options: MockOptions = {}): Promise<Runtime> {
    const started = await start(options)
    const jar = new TestJar()
    const r: Runtime = {
      control: started.control,
      jar,
      close: started.close,
      raw: (path, init) => fetch(new URL(path, started.origin), init),
      async fetch(path, init = {}) {
        const { cookies = true, ...rest } = init
        const headers = new Headers(rest.headers)
        const cookie = cookies ? jar.header(new URL(path, started.origin).pathname) : null
        if (cookie) headers.set('Cookie', cookie)
        const res = await fetch(new URL(path, started.origin), { ...rest, headers })
        jar.receive(res, new URL(path, started.origin).pathname)
        return res
      },
    }
    open.push(r)
    return r
  }

  /** A request by another party (an attacker, a stale copy): neither reads nor feeds the client's jar. */
  const other = (r: Runtime, path: string, cookie: string, init: RequestInit = {}) => r.raw(path, { method: 'POST', ...init, headers: { Cookie: cookie } })
  const login = (r: Runtime, username = 'demo', password = 'demo') =>
    r.fetch('/auth/login', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ username, password }) })
  const refresh = (r: Runtime, init: RequestInit = {}) => r.fetch('/auth/refresh', { method: 'POST', ...init })
  const me = (r: Runtime, init: RequestInit = {}) => r.fetch('/api/me', init)
  /** Reads the whole answer, so a truncated body counts as the failure it is. */
  const settle = async (promise: Promise<Response>) => {
    const res = await promise
    const text = await res.text()
    return { res, text }
  }
  /** A test clock for idle and absolute expiry. */
  const clock = () => {
    const c = { t: 1_700_000_000_000, now: () => c.t, advance: (s: number) => void (c.t += s * 1000) }
    return c
  }
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 5))
    expect(condition()).toBe(true)
  }

  describe(`mock contract (${name})`, () => {
    describe('login', () => {
      it('cookie mode: 200 with expiresIn, absoluteExpiresIn and user; cookies, no accessToken in JSON', async () => {
        const r = await runtime()
        const res = await login(r)
        expect(res.status).toBe(200)
        const body = await res.json()
        expect(body).toEqual({ expiresIn: 60, absoluteExpiresIn: 8 * 3600, user: { id: expect.any(String), username: 'demo', name: 'Demo User' } })
        expect(r.jar.get('sc_refresh')?.value).toMatch(/^[\w-]{43,}$/)
        expect(r.jar.get('sc_access')?.value).toMatch(/^[\w-]{43,}$/)
        expect(r.control.counters.logins).toBe(1)
      })

      it('bearer mode: accessToken in JSON, refresh cookie only', async () => {
        const r = await runtime({ credentials: 'bearer', accessTtl: 30 })
        const body = await (await login(r)).json()
        expect(body.accessToken).toMatch(/^[\w-]{43,}$/)
        expect(body.expiresIn).toBe(30)
        expect(r.jar.get('sc_refresh')).toBeDefined()
        expect(r.jar.get('sc_access')).toBeUndefined()
      })

      it('accepts extra users next to the demo user', async () => {
        const r = await runtime({ users: [{ username: 'ada', password: 'lovelace', name: 'Ada' }] })
        expect((await (await login(r, 'ada', 'lovelace')).json()).user.name).toBe('Ada')
        expect((await login(r)).status).toBe(200)
      })

      it.each([
        ['bad JSON', '{"username": "demo",', 400, 'invalid_request'],
        ['a JSON array', '[1,2]', 400, 'invalid_request'],
        ['null', 'null', 400, 'invalid_request'],
        ['missing password', '{"username":"demo"}', 400, 'invalid_request'],
        ['non-string fields', '{"username":1,"password":true}', 400, 'invalid_request'],
        ['an empty body', '', 400, 'invalid_request'],
        ['an unknown user', '{"username":"nobody","password":"demo"}', 401, 'invalid_credentials'],
        ['a wrong password', '{"username":"demo","password":"nope"}', 401, 'invalid_credentials'],
      ])('%s → %i %s, JSON, no cookies', async (_label, body, status, error) => {
        const r = await runtime()
        const res = await r.fetch('/auth/login', { method: 'POST', headers: JSON_HEADERS, body })
        expect(res.status).toBe(status)
        expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
        const json = await res.json()
        expect(json.error).toBe(error)
        if (status === 400) expect(typeof json.message).toBe('string')
        expect(res.headers.getSetCookie()).toEqual([])
        expect(r.control.counters.logins).toBe(0)
      })

      it('a pre-login cookie value never survives login (no session fixation)', async () => {
        const r = await runtime()
        r.jar.set('sc_refresh', 'attacker-chosen', '/auth')
        r.jar.set('sc_access', 'attacker-chosen', '/')
        expect((await login(r)).status).toBe(200)
        expect(r.jar.get('sc_refresh')?.value).not.toBe('attacker-chosen')
        expect(r.jar.get('sc_access')?.value).not.toBe('attacker-chosen')
        // The planted value (what an attacker would hold) opens nothing:
        const planted = await other(r, '/auth/refresh', 'sc_refresh=attacker-chosen')
        expect(planted.status).toBe(401)
        expect((await refresh(r)).status).toBe(200)
      })

      it('a second login ends the session the client held before', async () => {
        const r = await runtime()
        await login(r)
        const first = r.jar.get('sc_refresh')!.value
        await login(r)
        const second = r.jar.get('sc_refresh')!.value
        expect(second).not.toBe(first)
        const stale = await other(r, '/auth/refresh', `sc_refresh=${first}`)
        expect(stale.status).toBe(401)
        expect((await refresh(r)).status).toBe(200)
      })
    })

    describe('cookie attributes', () => {
      it('Secure by default: HttpOnly, SameSite=Strict, Path=/auth and Path=/, Max-Age', async () => {
        const r = await runtime({ accessTtl: 45 })
        const cookies = (await login(r)).headers.getSetCookie()
        const refreshCookie = cookies.find((c) => c.startsWith('sc_refresh='))!
        const accessCookie = cookies.find((c) => c.startsWith('sc_access='))!
        for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure']) {
          expect(refreshCookie.split('; ')).toContain(attribute)
          expect(accessCookie.split('; ')).toContain(attribute)
        }
        expect(refreshCookie.split('; ')).toContain('Path=/auth')
        expect(refreshCookie.split('; ')).toContain(`Max-Age=${8 * 3600}`)
        expect(accessCookie.split('; ')).toContain('Path=/')
        expect(accessCookie.split('; ')).toContain('Max-Age=45')
      })

      it('secureCookies: false drops Secure only', async () => {
        const r = await runtime({ secureCookies: false })
        const cookies = (await login(r)).headers.getSetCookie()
        expect(cookies).toHaveLength(2)
        for (const cookie of cookies) {
          expect(cookie).not.toMatch(/Secure/)
          expect(cookie).toMatch(/; HttpOnly/)
          expect(cookie).toMatch(/; SameSite=Strict/)
        }
      })

      it('the refresh cookie is only sent to /auth (Path)', async () => {
        const r = await runtime()
        await login(r)
        expect(r.jar.header('/api/me')).not.toMatch(/sc_refresh/)
        expect(r.jar.header('/auth/refresh')).toMatch(/sc_refresh=/)
      })
    })

    describe('refresh', () => {
      it('rotates: a new refresh cookie and access token each time, same body shape as login', async () => {
        const r = await runtime()
        await login(r)
        const seen = new Set([r.jar.get('sc_refresh')!.value])
        const access = new Set([r.jar.get('sc_access')!.value])
        for (let i = 0; i < 3; i++) {
          const res = await refresh(r)
          expect(res.status).toBe(200)
          expect(await res.json()).toEqual({ expiresIn: 60, absoluteExpiresIn: expect.any(Number), user: { id: expect.any(String), username: 'demo', name: 'Demo User' } })
          seen.add(r.jar.get('sc_refresh')!.value)
          access.add(r.jar.get('sc_access')!.value)
        }
        expect(seen.size).toBe(4)
        expect(access.size).toBe(4)
        expect((await me(r)).status).toBe(200)
        expect(r.control.counters).toMatchObject({ refreshCalls: 3, refreshSuccesses: 3, reuseDetections: 0 })
      })

      it('bearer mode: a new accessToken in JSON, the old one keeps working until it expires', async () => {
        const r = await runtime({ credentials: 'bearer' })
        const first = (await (await login(r)).json()).accessToken
        const second = (await (await refresh(r)).json()).accessToken
        expect(second).not.toBe(first)
        expect((await me(r, { headers: { Authorization: `Bearer ${second}` } })).status).toBe(200)
        expect(r.jar.get('sc_access')).toBeUndefined()
      })

      it('reuse of a rotated token revokes the whole family, new token included, and is counted', async () => {
        const r = await runtime()
        await login(r)
        const old = r.jar.get('sc_refresh')!.value
        expect((await refresh(r)).status).toBe(200)
        const current = r.jar.get('sc_refresh')!.value
        const reused = await other(r, '/auth/refresh', `sc_refresh=${old}`)
        expect(reused.status).toBe(401)
        expect(await reused.json()).toEqual({ error: 'token_reused', reason: 'revoked' })
        expect(r.control.counters.reuseDetections).toBe(1)
        // The token the legitimate client holds now is dead too, and so is its access token.
        const next = await refresh(r)
        expect(next.status).toBe(401)
        expect(await next.json()).toEqual({ error: 'invalid_grant', reason: 'revoked' })
        // A dead refresh cookie is cleared from the client that presented it.
        expect(r.jar.get('sc_refresh')).toBeUndefined()
        expect((await other(r, '/auth/refresh', `sc_refresh=${current}`)).status).toBe(401)
        expect((await me(r)).status).toBe(401)
        expect(r.control.counters.refreshSuccesses).toBe(1)
      })

      it('without a cookie, or with an unknown one → 401 invalid_grant', async () => {
        const r = await runtime()
        const none = await refresh(r)
        expect(none.status).toBe(401)
        expect(await none.json()).toEqual({ error: 'invalid_grant' })
        const unknown = await refresh(r, { headers: { Cookie: 'sc_refresh=not-a-token' } })
        expect(unknown.status).toBe(401)
        expect((await unknown.json()).error).toBe('invalid_grant')
        expect(r.control.counters).toMatchObject({ refreshCalls: 2, refreshSuccesses: 0 })
      })

      it('idle timeout: counted from the last login or refresh', async () => {
        const c = clock()
        const r = await runtime({ idleTtl: 10, now: c.now })
        await login(r)
        c.advance(9)
        expect((await refresh(r)).status).toBe(200)
        c.advance(9)
        expect((await refresh(r)).status).toBe(200)
        c.advance(10)
        const res = await refresh(r)
        expect(res.status).toBe(401)
        expect(await res.json()).toEqual({ error: 'session_expired' })
      })

      it('absolute timeout: cannot be extended; absoluteExpiresIn counts down; access never outlives it', async () => {
        const c = clock()
        const r = await runtime({ absoluteTtl: 100, idleTtl: 60, accessTtl: 60, now: c.now })
        expect((await (await login(r)).json()).absoluteExpiresIn).toBe(100)
        c.advance(50)
        const mid = await (await refresh(r)).json()
        expect(mid).toMatchObject({ absoluteExpiresIn: 50, expiresIn: 50 })
        c.advance(49)
        expect((await (await refresh(r)).json()).absoluteExpiresIn).toBe(1)
        c.advance(1)
        const res = await refresh(r)
        expect(res.status).toBe(401)
        expect(await res.json()).toEqual({ error: 'session_expired' })
        expect((await me(r)).status).toBe(401)
      })

      it('access tokens expire at issue + accessTtl', async () => {
        const c = clock()
        const r = await runtime({ accessTtl: 60, now: c.now })
        await login(r)
        c.advance(59)
        expect((await me(r)).status).toBe(200)
        c.advance(1)
        expect((await me(r)).status).toBe(401)
        expect((await refresh(r)).status).toBe(200)
        expect((await me(r)).status).toBe(200)
      })

      it('GET, unknown /auth routes → JSON 405/404', async () => {
        const r = await runtime()
        const get = await r.fetch('/auth/refresh')
        expect(get.status).toBe(405)
        expect(get.headers.get('Allow')).toBe('POST')
        expect((await get.json()).error).toBe('method_not_allowed')
        const unknown = await r.fetch('/auth/nope', { method: 'POST' })
        expect(unknown.status).toBe(404)
        expect((await unknown.json()).error).toBe('not_found')
      })
    })

    describe('logout', () => {
      it('clears both cookies (Max-Age=0), revokes the family, 204', async () => {
        const r = await runtime()
        await login(r)
        const refreshToken = r.jar.get('sc_refresh')!.value
        const accessToken = r.jar.get('sc_access')!.value
        const res = await r.fetch('/auth/logout', { method: 'POST' })
        expect(res.status).toBe(204)
        expect(await res.text()).toBe('')
        const cookies = res.headers.getSetCookie()
        expect(cookies.find((c) => c.startsWith('sc_refresh=;'))).toMatch(/Max-Age=0/)
        expect(cookies.find((c) => c.startsWith('sc_access=;'))).toMatch(/Max-Age=0/)
        expect(r.jar.cookies.size).toBe(0)
        expect((await r.fetch('/auth/refresh', { method: 'POST', headers: { Cookie: `sc_refresh=${refreshToken}` } })).status).toBe(401)
        expect((await r.fetch('/api/me', { headers: { Cookie: `sc_access=${accessToken}` } })).status).toBe(401)
        expect(r.control.counters.logouts).toBe(1)
      })

      it('bearer mode: the bearer token is revoked too', async () => {
        const r = await runtime({ credentials: 'bearer' })
        const { accessToken } = await (await login(r)).json()
        expect((await r.fetch('/auth/logout', { method: 'POST' })).status).toBe(204)
        expect((await me(r, { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(401)
      })

      it('204 without any session, and with garbage', async () => {
        const r = await runtime()
        expect((await r.fetch('/auth/logout', { method: 'POST' })).status).toBe(204)
        expect((await r.fetch('/auth/logout', { method: 'POST', headers: { Cookie: 'sc_refresh=%%%; sc_access=;;' }, body: '\u0000garbage' })).status).toBe(204)
        expect(r.control.counters.logouts).toBe(2)
      })
    })

    describe('/api/me', () => {
      it('cookie mode: 200 with the access cookie, 401 + WWW-Authenticate + JSON without', async () => {
        const r = await runtime()
        const anonymous = await me(r)
        expect(anonymous.status).toBe(401)
        expect(anonymous.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
        expect(anonymous.headers.get('Content-Type')).toMatch(/^application\/json/)
        expect((await anonymous.json()).error).toBe('invalid_token')
        await login(r)
        const res = await me(r)
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ user: { id: expect.any(String), username: 'demo', name: 'Demo User' } })
      })

      it('bearer mode: 200 with Authorization, 401 without or with a wrong token', async () => {
        const r = await runtime({ credentials: 'bearer' })
        const { accessToken } = await (await login(r)).json()
        expect((await me(r, { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(200)
        expect((await me(r)).status).toBe(401)
        const wrong = await me(r, { headers: { Authorization: 'Bearer nope' } })
        expect(wrong.status).toBe(401)
        expect(wrong.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
        expect((await me(r, { headers: { Authorization: 'Basic ZGVtbzpkZW1v' } })).status).toBe(401)
      })

      it('accepts either credential whatever the mode', async () => {
        const r = await runtime({ credentials: 'cookie' })
        await login(r)
        const token = r.jar.get('sc_access')!.value
        expect((await r.fetch('/api/me', { cookies: false, headers: { Authorization: `Bearer ${token}` } })).status).toBe(200)
      })

      it('unknown /api route: 401 without access, JSON 404 with', async () => {
        const r = await runtime()
        expect((await r.fetch('/api/nope')).status).toBe(401)
        await login(r)
        const res = await r.fetch('/api/nope')
        expect(res.status).toBe(404)
        expect((await res.json()).error).toBe('not_found')
      })
    })

    describe('/api/echo', () => {
      const binary = new Uint8Array(256).map((_, i) => i)
      const form = new FormData()
      form.append('title', 'résumé ✓')
      form.append('file', new Blob([binary], { type: 'application/octet-stream' }), 'bytes.bin')
      it.each([
        ['text', () => new Request('http://x/', { method: 'POST', body: 'plain text ✓', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } })],
        ['JSON', () => new Request('http://x/', { method: 'POST', body: JSON.stringify({ a: [1, 'two', null] }), headers: JSON_HEADERS })],
        ['urlencoded', () => new Request('http://x/', { method: 'POST', body: new URLSearchParams({ q: 'a b&c', n: '1' }) })],
        ['multipart form', () => new Request('http://x/', { method: 'POST', body: form })],
        ['binary', () => new Request('http://x/', { method: 'POST', body: binary, headers: { 'Content-Type': 'application/octet-stream' } })],
      ])('returns the same bytes and Content-Type: %s', async (_label, make) => {
        const r = await runtime()
        await login(r)
        const original = make()
        const type = original.headers.get('Content-Type')!
        const bytes = new Uint8Array(await original.arrayBuffer())
        expect(bytes.length).toBeGreaterThan(0)
        const res = await r.fetch('/api/echo', { method: 'POST', body: bytes, headers: { 'Content-Type': type } })
        expect(res.status).toBe(200)
        expect(res.headers.get('Content-Type')).toBe(type)
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
      })

      it('401 without access', async () => {
        const r = await runtime()
        const res = await r.fetch('/api/echo', { method: 'POST', body: 'x' })
        expect(res.status).toBe(401)
        expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
      })
    })

    describe('control', () => {
      it('expireAccessTokens → the next /api call 401s, refresh brings it back', async () => {
        const r = await runtime()
        await login(r)
        r.control.expireAccessTokens()
        expect((await me(r)).status).toBe(401)
        expect((await refresh(r)).status).toBe(200)
        expect((await me(r)).status).toBe(200)
      })

      it('revokeAll → refresh 401 {reason: revoked}, access gone', async () => {
        const r = await runtime()
        await login(r)
        r.control.revokeAll()
        expect((await me(r)).status).toBe(401)
        const res = await refresh(r)
        expect(res.status).toBe(401)
        expect(await res.json()).toEqual({ error: 'invalid_grant', reason: 'revoked' })
      })

      it('spendRefreshToken → the next refresh presents a rotated token: reuse, revoked', async () => {
        const r = await runtime()
        await login(r)
        r.control.spendRefreshToken()
        const res = await refresh(r)
        expect(res.status).toBe(401)
        expect(await res.json()).toEqual({ error: 'token_reused', reason: 'revoked' })
        expect(r.control.counters.reuseDetections).toBe(1)
        expect((await me(r)).status).toBe(401)
      })

      it('status faults: 500 once by default, then the real refresh (token not rotated by the fault)', async () => {
        const r = await runtime()
        await login(r)
        r.control.failNextRefresh({ status: 500 })
        const failed = await refresh(r)
        expect(failed.status).toBe(500)
        expect((await failed.json()).error).toBe('injected_fault')
        expect((await refresh(r)).status).toBe(200)
        expect(r.control.counters).toMatchObject({ refreshCalls: 2, refreshSuccesses: 1, reuseDetections: 0 })
      })

      it('503 with Retry-After, count applies', async () => {
        const r = await runtime()
        await login(r)
        r.control.failNextRefresh({ status: 503, retryAfter: 7 }, 2)
        for (let i = 0; i < 2; i++) {
          const res = await refresh(r)
          expect(res.status).toBe(503)
          expect(res.headers.get('Retry-After')).toBe('7')
          await res.text()
        }
        expect((await refresh(r)).status).toBe(200)
      })

      it('200 with an HTML body, and 200 with a bad JSON payload', async () => {
        const r = await runtime()
        await login(r)
        r.control.failNextRefresh({ status: 200, body: '<html>' })
        r.control.failNextRefresh({ status: 200, body: '{"expiresIn":-5}' })
        const html = await refresh(r)
        expect(html.status).toBe(200)
        expect(html.headers.get('Content-Type')).toMatch(/^text\/html/)
        expect(await html.text()).toBe('<html>')
        const bad = await refresh(r)
        expect(bad.headers.get('Content-Type')).toMatch(/^application\/json/)
        expect(await bad.text()).toBe('{"expiresIn":-5}')
        expect(r.jar.get('sc_refresh')).toBeDefined()
        expect((await refresh(r)).status).toBe(200)
      })

      it("'network' fails exactly the next `count` refreshes with a TypeError", async () => {
        const r = await runtime()
        await login(r)
        r.control.failNextRefresh('network', 2)
        await expect(settle(refresh(r))).rejects.toThrow(TypeError)
        await expect(settle(refresh(r))).rejects.toThrow(TypeError)
        expect(r.control.counters.refreshCalls).toBe(2)
        expect((await refresh(r)).status).toBe(200)
        expect(r.control.counters).toMatchObject({ refreshCalls: 3, refreshSuccesses: 1 })
      })

      it("'hang' never answers; the client's AbortSignal ends it and the server goes on", async () => {
        const r = await runtime()
        await login(r)
        r.control.failNextRefresh('hang')
        const controller = new AbortController()
        const pending = refresh(r, { signal: controller.signal })
        let settled = false
        pending.then(() => (settled = true), () => (settled = true))
        await until(() => r.control.counters.refreshCalls === 1)
        await new Promise((resolve) => setTimeout(resolve, 20))
        expect(settled).toBe(false)
        controller.abort()
        await expect(pending).rejects.toThrow(/abort/i)
        expect((await refresh(r)).status).toBe(200)
      })

      it('invalid faults are refused with an error naming the option', async () => {
        const r = await runtime()
        expect(() => r.control.failNextRefresh({ status: 42 })).toThrow(/fault/)
        expect(() => r.control.failNextRefresh('boom' as never)).toThrow(/fault/)
        expect(() => r.control.failNextRefresh({ status: 500 }, 0)).toThrow(/count/)
        expect(() => r.control.setLatency(-1)).toThrow(/latency/)
      })

      it('counters add up; reset() zeroes them and drops every session', async () => {
        const r = await runtime()
        await login(r)
        await login(r, 'demo', 'wrong')
        await refresh(r)
        r.control.spendRefreshToken()
        await refresh(r)
        await r.fetch('/auth/logout', { method: 'POST' })
        expect(r.control.counters).toEqual({ logins: 1, logouts: 1, refreshCalls: 2, refreshSuccesses: 1, reuseDetections: 1 })
        const snapshot = r.control.counters
        snapshot.logins = 99
        expect(r.control.counters.logins).toBe(1)
        await login(r)
        r.control.failNextRefresh({ status: 500 })
        r.control.reset()
        expect(r.control.counters).toEqual({ logins: 0, logouts: 0, refreshCalls: 0, refreshSuccesses: 0, reuseDetections: 0 })
        expect((await me(r)).status).toBe(401)
        expect((await refresh(r)).status).toBe(401)
        await login(r)
        expect((await refresh(r)).status).toBe(200)
      })

      it('over HTTP: /__mock/expire, revoke, spend, fail-refresh, latency, reset, counters', async () => {
        const r = await runtime()
        const post = (path: string, body?: unknown) =>
          r.fetch(`/__mock/${path}`, { method: 'POST', headers: JSON_HEADERS, body: body === undefined ? undefined : JSON.stringify(body) })
        await login(r)
        expect((await post('expire')).status).toBe(200)
        expect((await me(r)).status).toBe(401)
        expect((await refresh(r)).status).toBe(200)
        expect((await post('fail-refresh', { fault: { status: 503, retryAfter: 2 }, count: 2 })).status).toBe(200)
        expect((await refresh(r)).status).toBe(503)
        expect((await refresh(r)).status).toBe(503)
        expect((await refresh(r)).status).toBe(200)
        expect((await post('fail-refresh', { fault: 'network' })).status).toBe(200)
        await expect(settle(refresh(r))).rejects.toThrow(TypeError)
        expect((await post('spend')).status).toBe(200)
        expect((await (await refresh(r)).json()).error).toBe('token_reused')
        await login(r)
        expect((await post('revoke')).status).toBe(200)
        expect((await refresh(r)).status).toBe(401)
        expect((await post('latency', { ms: 0 })).status).toBe(200)
        const counters = await r.fetch('/__mock/counters')
        expect(await counters.json()).toEqual(r.control.counters)
        expect((await post('reset')).status).toBe(200)
        expect(r.control.counters.logins).toBe(0)
        // Bad control input is a JSON 400, never a crash.
        for (const bad of [{ fault: 'boom' }, { fault: { status: 700 } }, { fault: 'hang', count: 0 }]) {
          const res = await post('fail-refresh', bad)
          expect(res.status).toBe(400)
          expect((await res.json()).error).toBe('invalid_request')
        }
        const garbage = await r.fetch('/__mock/latency', { method: 'POST', body: '{nope' })
        expect(garbage.status).toBe(400)
        expect((await post('latency', { ms: 'slow' })).status).toBe(400)
        expect((await post('nope')).status).toBe(404)
        expect((await r.fetch('/__mock/counters', { method: 'POST' })).status).toBe(405)
      })
    })
  })
}
