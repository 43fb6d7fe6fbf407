// @vitest-environment node
// The framework-free app on its own (latency, routing, options), and the msw handlers'
// built-in cookie jar (what a browser under setupWorker relies on).
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { OptionError } from '../../src/base/errors.js'
import { MemoryCookieJar, parseCookieHeader, serializeCookie } from '../../src/mock/cookies.js'
import { createMockApp, createMockHandlers } from '../../src/mock/index.js'

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://app.test${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } })
const credentials = { username: 'demo', password: 'demo' }

describe('createMockApp', () => {
  afterEach(() => void vi.useRealTimers())

  it('latency delays /auth and /api answers by exactly the configured ms (fake timers), not /__mock', async () => {
    vi.useFakeTimers()
    const app = createMockApp({ latency: 500 })
    let answered = false
    const pending = app.handle(post('/auth/login', credentials)).then((res) => ((answered = true), res))
    await vi.advanceTimersByTimeAsync(499)
    expect(answered).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(answered).toBe(true)
    expect((await pending)!.status).toBe(200)
    // Control routes are never slowed: the test driving the server must not wait for it.
    const counters = await app.handle(new Request('http://app.test/__mock/counters'))
    expect(counters!.status).toBe(200)
    app.control.setLatency(0)
    expect((await app.handle(new Request('http://app.test/api/me')))!.status).toBe(401)
    app.control.setLatency(2000)
    app.control.reset()
    let again = false
    void app.handle(new Request('http://app.test/api/me')).then(() => (again = true))
    await vi.advanceTimersByTimeAsync(500)
    expect(again).toBe(true) // reset() restored the configured 500 ms
  })

  it('a request aborted while it waits out the latency rejects with the abort', async () => {
    vi.useFakeTimers()
    const app = createMockApp({ latency: 1000 })
    const controller = new AbortController()
    const pending = app.handle(new Request('http://app.test/api/me', { signal: controller.signal }))
    controller.abort()
    await expect(pending).rejects.toThrow(/abort/i)
  })

  it('answers null for URLs that are not its routes', async () => {
    const app = createMockApp()
    for (const path of ['/', '/index.html', '/authx', '/apifoo', '/auth', '/__mockx'])
      expect(await app.handle(new Request(`http://app.test${path}`))).toBeNull()
  })

  it('basePath moves every route, cookie paths included', async () => {
    const app = createMockApp({ basePath: '/backend' })
    expect(await app.handle(post('/auth/login', credentials))).toBeNull()
    const res = (await app.handle(post('/backend/auth/login', credentials)))!
    expect(res.status).toBe(200)
    const cookies = res.headers.getSetCookie()
    expect(cookies.find((c) => c.startsWith('sc_refresh='))).toMatch(/Path=\/backend\/auth/)
    expect(cookies.find((c) => c.startsWith('sc_access='))).toMatch(/Path=\/backend;/)
    expect((await app.handle(new Request('http://app.test/backend/__mock/counters')))!.status).toBe(200)
  })

  it.each([
    [{ credentials: 'jwt' }, 'credentials'],
    [{ accessTtl: 0 }, 'accessTtl'],
    [{ idleTtl: -1 }, 'idleTtl'],
    [{ absoluteTtl: Number.NaN }, 'absoluteTtl'],
    [{ latency: -5 }, 'latency'],
    [{ secureCookies: 'yes' }, 'secureCookies'],
    [{ now: 123 }, 'now'],
    [{ basePath: 'api/' }, 'basePath'],
    [{ users: 'demo' }, 'users'],
    [{ users: [{ username: 'x' }] }, 'users'],
  ])('rejects %o naming `%s`', (options, option) => {
    expect(() => createMockApp(options as never)).toThrow(OptionError)
    expect(() => createMockApp(options as never)).toThrow(new RegExp(`\`${option}\``))
  })

  it('reports Set-Cookie through onSetCookie and reads cookies from context.cookie', async () => {
    const app = createMockApp()
    const seen: string[] = []
    await app.handle(post('/auth/login', credentials), { onSetCookie: (c) => seen.push(c) })
    expect(seen.map((c) => c.split('=')[0])).toEqual(['sc_refresh', 'sc_access'])
    const refreshToken = seen[0]!.split(';')[0]!
    const res = (await app.handle(post('/auth/refresh'), { cookie: refreshToken }))!
    expect(res.status).toBe(200)
  })

  it('tokens are long and unique (>= 256 bits of CSPRNG output each)', async () => {
    const app = createMockApp({ credentials: 'bearer' })
    const tokens = new Set<string>()
    for (let i = 0; i < 50; i++) tokens.add((await (await app.handle(post('/auth/login', credentials)))!.json()).accessToken)
    expect(tokens.size).toBe(50)
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('a hanging refresh is released by dispose()', async () => {
    const app = createMockApp()
    app.control.failNextRefresh('hang')
    const pending = app.handle(post('/auth/refresh'))
    app.dispose()
    await expect(pending).rejects.toThrow(/shutting down/)
  })
})

describe('cookies', () => {
  it('serializes and parses', () => {
    expect(serializeCookie('a', 'b', { path: '/', maxAge: 5.9, httpOnly: true, secure: true, sameSite: 'Strict' })).toBe('a=b; Path=/; Max-Age=5; HttpOnly; Secure; SameSite=Strict')
    expect(() => serializeCookie('a;b', 'x')).toThrow()
    expect(() => serializeCookie('a', 'x; Path=/')).toThrow()
    expect(parseCookieHeader('a=1; b="2"; a=3; junk; =x')).toEqual({ a: '1', b: '2' })
    expect(parseCookieHeader(null)).toEqual({})
  })

  it('MemoryCookieJar honours Path, Max-Age and expiry', () => {
    let t = 0
    const jar = new MemoryCookieJar(() => t)
    jar.set('r=1; Path=/auth; Max-Age=10', '/auth/login')
    jar.set('a=2; Path=/; Max-Age=5', '/auth/login')
    expect(jar.header('/auth/refresh')).toBe('r=1; a=2')
    expect(jar.header('/authx')).toBe('a=2')
    t = 5000
    expect(jar.header('/auth/refresh')).toBe('r=1')
    jar.set('r=; Path=/auth; Max-Age=0')
    expect(jar.header('/auth/refresh')).toBeNull()
  })
})

describe('createMockHandlers with its own cookie jar (as under setupWorker)', () => {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())

  it('login → /api/me → refresh → logout with no cookie handling in the caller', async () => {
    const { handlers, control } = createMockHandlers({ cookieJar: true })
    server.use(...handlers)
    const login = await fetch('http://app.test/auth/login', { method: 'POST', body: JSON.stringify(credentials) })
    expect(login.status).toBe(200)
    expect((await fetch('http://app.test/api/me')).status).toBe(200)
    expect((await fetch('http://app.test/auth/refresh', { method: 'POST' })).status).toBe(200)
    control.expireAccessTokens()
    expect((await fetch('http://app.test/api/me')).status).toBe(401)
    expect((await fetch('http://app.test/auth/refresh', { method: 'POST' })).status).toBe(200)
    expect((await fetch('http://app.test/api/me')).status).toBe(200)
    expect((await fetch('http://app.test/auth/logout', { method: 'POST' })).status).toBe(204)
    expect((await fetch('http://app.test/api/me')).status).toBe(401)
    expect((await fetch('http://app.test/auth/refresh', { method: 'POST' })).status).toBe(401)
    expect(control.counters).toMatchObject({ logins: 1, logouts: 1, refreshSuccesses: 2 })
  })

  it('the jar keeps time by the clock the app reads (fake timers included): a cookie past its Max-Age is gone', async () => {
    const { handlers } = createMockHandlers({ absoluteTtl: 100, idleTtl: 1000 })
    server.use(...handlers)
    vi.useFakeTimers({ toFake: ['Date'] })
    expect((await fetch('http://app.test/auth/login', { method: 'POST', body: JSON.stringify(credentials) })).status).toBe(200)
    vi.setSystemTime(Date.now() + 101_000)
    const res = await fetch('http://app.test/auth/refresh', { method: 'POST' })
    vi.useRealTimers()
    expect(res.status).toBe(401)
    // A browser no longer sends the refresh cookie, so neither does the jar.
    expect(await res.json()).toEqual({ error: 'invalid_grant' })
  })

  it("a shared app's clock is the jar's clock too: its cookies expire when that clock says", async () => {
    let t = 1_700_000_000_000
    const app = createMockApp({ absoluteTtl: 100, idleTtl: 1000, now: () => t })
    server.use(...createMockHandlers({ app }).handlers)
    expect((await fetch('http://app.test/auth/login', { method: 'POST', body: JSON.stringify(credentials) })).status).toBe(200)
    t += 101_000
    const res = await fetch('http://app.test/auth/refresh', { method: 'POST' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid_grant' })
  })

  it('leaves other URLs to later handlers', async () => {
    const { handlers } = createMockHandlers()
    server.use(...handlers, http.get('http://app.test/other', () => HttpResponse.text('other handler')))
    expect(await (await fetch('http://app.test/other')).text()).toBe('other handler')
  })

  it("'network' makes fetch reject; a shared app gives one control to several runtimes", async () => {
    const app = createMockApp()
    const { handlers, control } = createMockHandlers({ app })
    expect(control).toBe(app.control)
    server.use(...handlers)
    control.failNextRefresh('network')
    await expect(fetch('http://app.test/auth/refresh', { method: 'POST' })).rejects.toThrow(TypeError)
  })
})
