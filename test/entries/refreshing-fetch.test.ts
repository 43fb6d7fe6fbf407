// session-continuity/fetch: the interceptor alone. One refresh for any number of concurrent
// 401s, one replay with the body, the token from the refresh result, credentials only to
// allowed origins, and every refresh failure handed back as the original 401.
import { describe, expect, it, vi } from 'vitest'
import { OptionError } from '../../src/index.js'
import { createRefreshingFetch } from '../../src/entries/fetch.js'
import { createStubServer } from '../helpers/stub-server.js'

const echo = 'http://app.test/api/echo'
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('createRefreshingFetch', () => {
  it('answers concurrent 401s with one refresh and replays each request once, body included', async () => {
    const server = createStubServer()
    const api = createRefreshingFetch({ fetch: server.fetch, accessToken: 'stale' })
    const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => api(echo, { method: 'POST', body: `order ${n}` })))
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(server.calls.refresh).toBe(1)
    // Five first attempts (401, no body kept by the server) and five replays with their bodies.
    expect(server.echoed.map(text).sort()).toEqual(['order 1', 'order 2', 'order 3', 'order 4', 'order 5'])
    expect(server.calls.api).toBe(10)
  })

  it('replays a Request object with its own body', async () => {
    const server = createStubServer()
    const api = createRefreshingFetch({ fetch: server.fetch })
    const res = await api(new Request(echo, { method: 'PUT', body: 'from a Request' }))
    expect(res.status).toBe(200)
    expect(server.echoed.map(text)).toEqual(['from a Request'])
  })

  it('uses the token of each refresh result from then on', async () => {
    const server = createStubServer()
    const api = createRefreshingFetch({ fetch: server.fetch })
    expect((await api('/api/a')).status).toBe(200)
    const calls = server.calls.api
    expect((await api('/api/b')).status).toBe(200) // the refreshed token is sent at once
    expect(server.calls.api).toBe(calls + 1)
    server.expire()
    expect((await api('/api/c')).status).toBe(200)
    expect(server.calls.refresh).toBe(2)
  })

  it.each([
    ['the refresh answers 401', 401],
    ['the refresh answers 503', 503],
    ['the network fails', 'network' as const],
    ['the reply is not JSON', { status: 200, body: '<html>' }],
  ])('returns the first 401 when %s', async (_case, answer) => {
    const server = createStubServer()
    server.refreshAnswers.push(answer)
    const api = createRefreshingFetch({ fetch: server.fetch })
    const res = await api('/api/orders')
    expect(res.status).toBe(401)
    expect(server.calls).toMatchObject({ refresh: 1, api: 1 })
  })

  it('a custom refresh that throws, or resolves with nothing usable, is "not refreshed" or a cookie refresh', async () => {
    const server = createStubServer()
    const failing = createRefreshingFetch({ fetch: server.fetch, refresh: () => Promise.reject(new Error('down')) })
    expect((await failing('/api/orders')).status).toBe(401)
    const empty = createRefreshingFetch({ fetch: server.fetch, accessToken: server.token, refresh: async () => null as never })
    server.expire()
    // No token in the result: the old one stays, the replay goes out once and its 401 is returned.
    expect((await empty('/api/orders')).status).toBe(401)
    expect(await empty.refresh()).toBe(true)
  })

  it('sends no credentials to other origins, and never refreshes for them', async () => {
    const seen: Array<{ url: string; auth: string | null; credentials?: RequestCredentials }> = []
    const api = createRefreshingFetch({
      accessToken: 'secret-token',
      tokenOrigins: ['https://api.example.com'],
      fetch: async (input, init) => {
        const request = new Request(input as string, init)
        seen.push({ url: request.url, auth: request.headers.get('Authorization'), credentials: init?.credentials })
        return new Response(null, { status: 401 })
      },
    })
    expect((await api('https://evil.example.net/x')).status).toBe(401)
    expect(seen).toEqual([{ url: 'https://evil.example.net/x', auth: null, credentials: undefined }])
    seen.length = 0
    await api('https://api.example.com/x')
    // Allowed: the bearer token, without cookies (there is a token); a 401 there is refreshed.
    expect(seen[0]).toEqual({ url: 'https://api.example.com/x', auth: 'Bearer secret-token', credentials: undefined })
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual(['/x', '/auth/refresh'])
  })

  it('api.refresh() joins the refresh in flight', async () => {
    const server = createStubServer()
    const release = server.holdRefresh()
    const api = createRefreshingFetch({ fetch: server.fetch })
    const both = Promise.all([api.refresh(), api.refresh()])
    release()
    expect(await both).toEqual([true, true])
    expect(server.calls.refresh).toBe(1)
  })
})

describe('createRefreshingFetch: a refresh that does not answer', () => {
  it('lets requests go with their 401 after refreshTimeout, and starts no second refresh until it settles', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const server = createStubServer()
      const release = server.holdRefresh()
      const api = createRefreshingFetch({ fetch: server.fetch, refreshTimeout: 5_000 })
      const first = api('/api/orders')
      await vi.advanceTimersByTimeAsync(4_999)
      let settled = false
      void first.then(() => (settled = true))
      await vi.advanceTimersByTimeAsync(0)
      expect(settled).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect((await first).status).toBe(401)
      // The refresh is still on its way: a new 401 joins it instead of starting another.
      const second = api('/api/orders')
      await vi.advanceTimersByTimeAsync(0)
      release()
      expect((await second).status).toBe(200)
      expect(server.calls.refresh).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts a new refresh once a hung one is twice refreshTimeout old', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const server = createStubServer()
      const release = server.holdRefresh()
      const api = createRefreshingFetch({ fetch: server.fetch, refreshTimeout: 1_000 })
      const first = api('/api/a')
      await vi.advanceTimersByTimeAsync(1_000)
      expect((await first).status).toBe(401)
      // Until twice the timeout has passed, the hung refresh is the one new 401s would join.
      await vi.advanceTimersByTimeAsync(999)
      expect(server.calls.refresh).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      // After it, a new 401 starts a new refresh (held too); then both replies land.
      const third = api('/api/c')
      await vi.advanceTimersByTimeAsync(0)
      expect(server.calls.refresh).toBe(2)
      release()
      expect((await third).status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })

  it.each([0, -1, Infinity, 2 ** 31, '5000'])('refreshTimeout %s is an OptionError', (refreshTimeout) => {
    expect(() => createRefreshingFetch({ refreshTimeout: refreshTimeout as number })).toThrow(OptionError)
    expect(() => createRefreshingFetch({ refreshTimeout: refreshTimeout as number })).toThrow(/refreshTimeout/)
  })
})

describe('createRefreshingFetch: tokenOrigins', () => {
  it('sends cookies to them while it has no access token (cookie sessions), not once it has one', async () => {
    const seen: Array<RequestCredentials | undefined> = []
    const api = createRefreshingFetch({
      tokenOrigins: ['https://api.example.com'],
      fetch: async (input, init) => (String(input).endsWith('/auth/refresh') ? Response.json({ accessToken: 'tok' }) : (seen.push(init?.credentials), new Response(null, { status: seen.length == 1 ? 401 : 200 }))),
    })
    await api('https://api.example.com/x')
    await api('https://api.example.com/y')
    expect(seen).toEqual(['include', undefined, undefined])
  })

  it("accepts an origin with a trailing slash as that origin", async () => {
    const seen: Array<string | null> = []
    const api = createRefreshingFetch({
      accessToken: 'tok',
      tokenOrigins: ['https://api.example.com/'],
      fetch: async (input, init) => (seen.push(new Request(input as string, init).headers.get('Authorization')), new Response('{}')),
    })
    await api('https://api.example.com/orders')
    expect(seen).toEqual(['Bearer tok'])
  })

  it.each([
    ['a path', ['https://api.example.com/v1'], /`tokenOrigins\[0\]` must be an absolute http\(s\) origin/],
    ['a relative URL', ['/api'], /`tokenOrigins\[0\]`/],
    ['another scheme', ['https://ok.example.com', 'ftp://files.example.com'], /`tokenOrigins\[1\]`/],
    ['not an array', 'https://api.example.com', /`tokenOrigins` must be an array/],
  ])('names a wrong entry (%s) with an OptionError', (_case, tokenOrigins, message) => {
    expect(() => createRefreshingFetch({ tokenOrigins: tokenOrigins as string[] })).toThrow(OptionError)
    expect(() => createRefreshingFetch({ tokenOrigins: tokenOrigins as string[] })).toThrow(message)
  })
})
