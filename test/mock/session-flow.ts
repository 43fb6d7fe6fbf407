// The msw handlers as an app's test would use them, with nothing configured: the SDK's own
// session against `createMockHandlers()` defaults. Run in plain Node and in happy-dom (the
// two files beside this one), so the defaults hold where there is no page as well as where
// there is one.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSession, type Session } from '../../src/index.js'
import { OptionError } from '../../src/index.js'
import { ACCESS_COOKIE, createMockHandlers, REFRESH_COOKIE } from '../../src/mock/index.js'

const DEMO = JSON.stringify({ username: 'demo', password: 'demo' })

/**
 * `expectedOrigin`: where relative URLs go. `pageHidesSetCookie`: the environment's Response
 * hides Set-Cookie from scripts, as a browser does (happy-dom), so only the jar can keep it.
 */
export function defineSessionFlow(environment: string, expectedOrigin: () => string, pageHidesSetCookie: boolean): void {
  describe(`createMockHandlers defaults with a real session (${environment})`, () => {
    const server = setupServer()
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
    afterEach(() => server.resetHandlers())
    afterAll(() => server.close())
    let sessions: Session[] = []
    afterEach(() => {
      for (const session of sessions) session.destroy()
      sessions = []
    })
    const start = (options: Parameters<typeof createMockHandlers>[0] = {}) => {
      const mock = createMockHandlers(options)
      server.use(...mock.handlers)
      return mock
    }
    const session = (options: Parameters<typeof createSession>[0]) => {
      const s = createSession({ crossTab: false, ...options })
      sessions.push(s)
      return s
    }

    it('the origin relative URLs go to: the page where there is one, else http://localhost', () => {
      const mock = start()
      expect(mock.origin).toBe(expectedOrigin())
      expect(start({ origin: 'http://api.test:8080/' }).origin).toBe('http://api.test:8080')
      for (const bad of ['localhost', 'ftp://x.test', 'http://x.test/path', 42])
        expect(() => createMockHandlers({ origin: bad as string })).toThrow(OptionError)
      expect(() => createMockHandlers({ cookieJar: 'yes' as never })).toThrow(OptionError)
    })

    it('an origin option is taken in any spelling of the same origin, and nothing else', () => {
      expect(start({ origin: 'http://localhost:80' }).origin).toBe('http://localhost')
      expect(start({ origin: 'HTTP://API.Test:8080' }).origin).toBe('http://api.test:8080')
      expect(start({ origin: 'https://api.test:443/' }).origin).toBe('https://api.test')
      for (const bad of ['http://api.test/?q', 'http://api.test/#x', 'http://user@api.test', 'http://api.test//'])
        expect(() => createMockHandlers({ origin: bad })).toThrow(OptionError)
    })

    it("an /api route the mock does not know goes to the app's own handler listed after it, behind the mock's access check", async () => {
      const mock = createMockHandlers()
      server.use(...mock.handlers, http.get('*/api/todos', () => HttpResponse.json(['write tests'])))
      expect((await mock.fetch('/api/todos')).status).toBe(401)
      await mock.fetch('/auth/login', { method: 'POST', body: DEMO })
      const res = await mock.fetch('/api/todos')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(['write tests'])
      expect((await mock.fetch('/api/me')).status).toBe(200)
    })

    it('plain fetch keeps the session by default: the jar carries the cookies, attributes intact', async () => {
      const mock = start()
      const login = await fetch(`${mock.origin}/auth/login`, { method: 'POST', body: DEMO })
      expect(login.status).toBe(200)
      const cookies = login.headers.getSetCookie()
      if (pageHidesSetCookie) expect(cookies).toEqual([])
      else {
        expect(cookies.find((c) => c.startsWith(`${REFRESH_COOKIE}=`))).toMatch(/; Path=\/auth; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/)
        expect(cookies.find((c) => c.startsWith(`${ACCESS_COOKIE}=`))).toMatch(/; Path=\/; Max-Age=60; HttpOnly; Secure; SameSite=Strict$/)
      }
      expect((await fetch(`${mock.origin}/api/me`)).status).toBe(200)
      mock.control.expireAccessTokens()
      expect((await fetch(`${mock.origin}/api/me`)).status).toBe(401)
      expect((await fetch(`${mock.origin}/auth/refresh`, { method: 'POST' })).status).toBe(200)
      expect((await fetch(`${mock.origin}/api/me`)).status).toBe(200)
    })

    it('cookieJar: false leaves the cookies to the caller (none sent here)', async () => {
      const mock = start({ cookieJar: false })
      expect((await fetch(`${mock.origin}/auth/login`, { method: 'POST', body: DEMO })).status).toBe(200)
      expect((await fetch(`${mock.origin}/api/me`)).status).toBe(401)
    })

    it('mock.fetch resolves relative URLs, so a session with relative URLs refreshes once and replays', async () => {
      const mock = start()
      const s = session({ refreshUrl: '/auth/refresh', fetch: mock.fetch })
      s.signIn(await (await mock.fetch('/auth/login', { method: 'POST', body: DEMO })).json())
      mock.control.expireAccessTokens()
      const [a, b] = await Promise.all([s.fetch('/api/me'), s.fetch('/api/echo', { method: 'POST', body: 'kept' })])
      expect(a.status).toBe(200)
      expect(await b.text()).toBe('kept')
      expect(mock.control.counters).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1, reuseDetections: 0 })
      expect(s.getState().status).toBe('authenticated')
    })

    it('absolute URLs on the mock origin, listed in tokenOrigins, work without mock.fetch', async () => {
      const mock = start({ origin: 'http://api.test' })
      const s = session({ refreshUrl: 'http://api.test/auth/refresh', tokenOrigins: ['http://api.test'] })
      s.signIn(await (await fetch('http://api.test/auth/login', { method: 'POST', body: DEMO })).json())
      mock.control.expireAccessTokens()
      expect((await s.fetch('http://api.test/api/me')).status).toBe(200)
      expect(mock.control.counters.refreshSuccesses).toBe(1)
    })

    it('rotation and reuse detection reach the session: a spent token signs it out as revoked', async () => {
      const mock = start()
      const s = session({ refreshUrl: '/auth/refresh', fetch: mock.fetch })
      s.signIn(await (await mock.fetch('/auth/login', { method: 'POST', body: DEMO })).json())
      expect(await s.refresh()).toBe(true)
      expect(await s.refresh()).toBe(true)
      mock.control.spendRefreshToken()
      expect(await s.refresh()).toBe(false)
      expect(s.getState()).toMatchObject({ status: 'signedOut', reason: 'revoked' })
      expect(mock.control.counters).toMatchObject({ refreshSuccesses: 2, reuseDetections: 1 })
      expect((await mock.fetch('/api/me')).status).toBe(401)
    })

    it('control.reset() between tests: the next session starts signed out', async () => {
      const mock = start()
      const first = session({ refreshUrl: '/auth/refresh', fetch: mock.fetch })
      first.signIn(await (await mock.fetch('/auth/login', { method: 'POST', body: DEMO })).json())
      mock.control.reset()
      const next = session({ refreshUrl: '/auth/refresh', fetch: mock.fetch })
      await next.start()
      expect(next.getState().status).toBe('signedOut')
      expect(mock.control.counters).toMatchObject({ logins: 0, refreshCalls: 1, refreshSuccesses: 0 })
    })
  })
}
