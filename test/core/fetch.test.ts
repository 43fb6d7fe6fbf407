import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import { bearerSession, events, signedIn, track } from '../helpers/sessions.js'
import { createStubServer } from '../helpers/stub-server.js'

describe('session.fetch: the 401 interceptor', () => {
  it('attaches the bearer token and passes the response through', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const res = await session.fetch('/api/me')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, path: '/api/me' })
    expect(server.calls.refresh).toBe(1) // the start() refresh only
  })

  it('100 concurrent 401s cause exactly one refresh, and all 100 succeed', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    server.expire()
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => session.fetch(`/api/item/${i}`)))
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200))
    expect(server.calls.refresh).toBe(2)
  })

  it('a 401 to a request sent with older credentials replays without another refresh', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    server.expire()
    const release = server.holdRefresh()
    const first = session.fetch('/api/a')
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2))
    const second = session.fetch('/api/b') // sent with the expired token while the refresh is held
    release()
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    expect(server.calls.refresh).toBe(2)
  })

  const bodies: Array<[string, () => BodyInit, string | null]> = [
    ['string', () => 'plain text ✓', 'text/plain;charset=UTF-8'],
    ['JSON string', () => JSON.stringify({ a: 1, b: [true, null] }), 'text/plain;charset=UTF-8'],
    ['URLSearchParams', () => new URLSearchParams({ q: 'a b&c', n: '1' }), 'application/x-www-form-urlencoded;charset=UTF-8'],
    ['Blob', () => new Blob([new Uint8Array([0, 1, 2, 255])], { type: 'application/x-bin' }), 'application/x-bin'],
    ['ArrayBuffer', () => new Uint8Array([9, 8, 7, 0, 255]).buffer, null],
    ['Uint8Array', () => new Uint8Array([1, 2, 3]), null],
  ]
  it.each(bodies)('replays a %s body byte-identical', async (_, make, type) => {
    const server = createStubServer()
    const session = await signedIn(server)
    const reference = new Uint8Array(await new Response(make()).arrayBuffer())
    server.expire()
    const res = await session.fetch('/api/echo', { method: 'POST', body: make() })
    expect(res.status).toBe(200)
    expect(server.echoed).toHaveLength(1) // only the replay reached the handler with valid auth
    expect([...server.echoed[0]!]).toEqual([...reference])
    if (type) expect(res.headers.get('Content-Type')).toContain(type.split(';')[0])
  })

  it('replays a FormData body with the same fields', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    server.expire()
    const form = new FormData()
    form.set('title', 'draft ✓')
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt')
    const res = await session.fetch('/api/echo', { method: 'POST', body: form })
    expect(res.status).toBe(200)
    const text = new TextDecoder().decode(server.echoed[0])
    expect(text).toContain('draft ✓')
    expect(text).toContain('name="file"') // (happy-dom's FormData drops the file name itself)
    expect(text).toContain('hello')
  })

  it('replays a Request object with a body', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    server.expire()
    const res = await session.fetch(new Request('http://app.test/api/echo', { method: 'POST', body: 'from a Request' }))
    expect(res.status).toBe(200)
    expect(new TextDecoder().decode(server.echoed[0])).toBe('from a Request')
  })

  it('returns the original 401 for a ReadableStream body (never an empty replay) and says why', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const skipped = events(session, 'replaySkipped')
    server.expire()
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('streamed'))
        c.close()
      },
    })
    const res = await session.fetch('/api/echo', { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid_token' })
    expect(skipped).toEqual([{ url: '/api/echo', reason: 'unreplayableBody' }])
    expect(server.echoed).toHaveLength(0)
    expect(server.calls.refresh).toBe(1)
  })

  it('a replay that gets 401 again is returned as it is: no second refresh, no loop', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const fetchSpy = vi.fn(server.fetch)
    const forbidden = createSession({
      credentials: 'bearer',
      crossTab: false,
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input)
        return url.includes('/api/admin') ? new Response('no', { status: 401 }) : fetchSpy(input, init)
      },
    })
    track(forbidden)
    await forbidden.start()
    const before = server.calls.refresh
    const res = await forbidden.fetch('/api/admin')
    expect(res.status).toBe(401)
    expect(server.calls.refresh).toBe(before + 1)
    expect(forbidden.getState().status).toBe('authenticated')
    void session
  })

  it('an AbortSignal aborts the request while it waits for the refresh', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    server.expire()
    const release = server.holdRefresh()
    const controller = new AbortController()
    const pending = session.fetch('/api/slow', { signal: controller.signal })
    await vi.waitFor(() => expect(server.calls.refresh).toBe(2))
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    release()
  })

  it('rejects like fetch on a network error', async () => {
    const session = bearerSession(createStubServer(), { fetch: async () => Promise.reject(new TypeError('Failed to fetch')) })
    await expect(session.fetch('/api/x')).rejects.toThrow('Failed to fetch')
  })

  it('refresh 401 signs out with refreshFailed; waiting requests get their original 401', async () => {
    const server = createStubServer()
    const session = await signedIn(server)
    const out = events(session, 'signedOut')
    server.expire()
    server.refreshAnswers.push(401)
    const res = await Promise.all([session.fetch('/api/a'), session.fetch('/api/b')])
    expect(res.map((r) => r.status)).toEqual([401, 401])
    await vi.waitFor(() => expect(session.getState().status).toBe('signedOut'))
    expect(session.getState().reason).toBe('refreshFailed')
    expect(out[0]!.reason).toBe('refreshFailed')
    expect(server.calls.refresh).toBe(2)
  })

  it.each([500, 503, 'network'] as const)('refresh failing with %s keeps the session signed in and retries later', async (answer) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const server = createStubServer()
    const session = await signedIn(server, { retry: { base: 1000, max: 8000 } })
    const failed = events(session, 'refreshFailed')
    server.expire()
    server.refreshAnswers.push(answer)
    const res = await session.fetch('/api/a')
    expect(res.status).toBe(401)
    expect(session.getState().status).toBe('authenticated')
    expect(failed).toHaveLength(1)
    expect(failed[0]!.transient).toBe(true)
    const retryAt = failed[0]!.retryAt!
    expect(retryAt - Date.now()).toBeGreaterThanOrEqual(500)
    expect(retryAt - Date.now()).toBeLessThanOrEqual(1000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.calls.refresh).toBe(3)
    expect(session.getState().status).toBe('authenticated')
    expect((await session.fetch('/api/b')).status).toBe(200)
  })

  it('bearer token goes to same-origin and tokenOrigins only, never to another origin', async () => {
    const seen: Record<string, string | null> = {}
    const server = createStubServer()
    const session = await signedIn(server, {
      tokenOrigins: ['https://api.example.com'],
      fetch: async (input, init) => {
        const request = new Request(input instanceof URL ? input.href : input, init)
        if (request.url.includes('/auth/')) return server.fetch(input, init)
        seen[request.url] = request.headers.get('Authorization')
        return new Response('ok')
      },
    })
    await session.fetch('/api/same')
    await session.fetch('http://app.test/api/abs')
    await session.fetch('https://api.example.com/v1')
    await session.fetch(new URL('https://evil.example.net/steal'))
    await session.fetch('//evil.example.net/x')
    await session.fetch(new Request('https://api.example.com.evil.net/x'))
    // URL parsers drop tabs and newlines: these are protocol-relative, not paths.
    await session.fetch('/\t/tab.example.net/x')
    await session.fetch('/\n\\newline.example.net/x')
    expect(seen['http://app.test/api/same']).toBe(`Bearer ${server.token}`)
    expect(seen['http://app.test/api/abs']).toBe(`Bearer ${server.token}`)
    expect(seen['https://api.example.com/v1']).toBe(`Bearer ${server.token}`)
    expect(seen['https://evil.example.net/steal']).toBeNull()
    expect(seen['http://evil.example.net/x']).toBeNull()
    expect(seen['https://api.example.com.evil.net/x']).toBeNull()
    expect(seen['http://tab.example.net/x']).toBeNull()
    expect(seen['http://newline.example.net/x']).toBeNull()
    expect(Object.keys(seen)).toHaveLength(8)
    expect(session.authorizationFor('https://evil.example.net/')).toBeNull()
    expect(session.authorizationFor('/api')).toBe(`Bearer ${server.token}`)
  })

  it("keeps the caller's own Authorization header, in a plain record or a Headers object", async () => {
    const seen: Array<string | null> = []
    const server = createStubServer()
    const session = await signedIn(server, {
      fetch: async (input, init) => {
        if (String(input).includes('/auth/')) return server.fetch(input, init)
        seen.push(new Headers(init?.headers).get('Authorization'))
        return new Response('ok')
      },
    })
    await session.fetch('/api/a', { headers: { authorization: 'Basic mine' } })
    await session.fetch('/api/b', { headers: new Headers({ Authorization: 'Basic mine' }) })
    await session.fetch('/api/c', { headers: [['X-Trace', '1']] })
    await session.fetch('/api/d', { headers: { 'X-Trace': '1' } })
    expect(seen).toEqual(['Basic mine', 'Basic mine', `Bearer ${server.token}`, `Bearer ${server.token}`])
  })

  it("cookie mode sends credentials 'include' to tokenOrigins only, and never refreshes for a foreign 401", async () => {
    const seen: Array<[string, RequestCredentials | undefined]> = []
    let refreshes = 0
    const session = createSession({
      crossTab: false,
      tokenOrigins: ['https://api.example.com'],
      fetch: async (input, init) => {
        const url = String(input)
        if (url === '/auth/refresh') return refreshes++, Response.json({ expiresIn: 300 })
        seen.push([url, init?.credentials])
        return new Response(null, { status: url.includes('foreign') ? 401 : 200 })
      },
    })
    track(session)
    await session.start()
    await session.fetch('/api/a')
    await session.fetch('https://api.example.com/b')
    const foreign = await session.fetch('https://other.example.org/foreign')
    expect(seen).toEqual([
      ['/api/a', undefined],
      ['https://api.example.com/b', 'include'],
      ['https://other.example.org/foreign', undefined],
    ])
    expect(foreign.status).toBe(401)
    expect(refreshes).toBe(1)
  })

  it('refresh and logout calls never pass through the interceptor', async () => {
    const server = createStubServer()
    const calls: string[] = []
    const session = await signedIn(server, {
      fetch: async (input, init) => {
        const url = String(input)
        calls.push(url)
        if (url === '/auth/logout') return new Response(null, { status: 401 })
        return server.fetch(input, init)
      },
    })
    await session.signOut()
    expect(calls).toEqual(['/auth/refresh', '/auth/logout'])
    expect(session.getState().status).toBe('signedOut')
  })
})
