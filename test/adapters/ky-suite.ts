// The ky adapter's test matrix. Each ky*.test.ts file runs it against one ky major: the file
// maps the module 'ky' to that version, so both this suite and the adapter use it.
import ky, { HTTPError, TimeoutError } from 'ky'
import { describe, expect, it, vi } from 'vitest'
import { createSession } from '../../src/index.js'
import { extendKy, kyHooks } from '../../src/adapters/ky.js'
import { createStubServer } from '../helpers/stub-server.js'
import { track } from '../helpers/sessions.js'
import { BASE, expected, retryOf, send, setup, variants } from './ky-harness.js'

export interface KyVersion {
  label: string
  /** How ky calls beforeRequest/afterResponse: one state object (ky 2) or positional arguments (ky 1). */
  convention: 'object' | 'positional'
  /** How many times this ky sends a request that keeps failing with 503, given retry.limit. */
  attempts(limit: number): number
}

export function kySuite(version: KyVersion) {
  describe(`session-continuity/ky (${version.label}, under Node 20 + happy-dom)`, () => {
    it(`calls hooks with ${version.convention === 'object' ? 'one state object' : 'positional arguments'} (the case the adapter detects)`, async () => {
      const seen: unknown[][] = []
      const api = ky.create({ fetch: async () => new Response('{}'), hooks: { beforeRequest: [(...args: unknown[]) => void seen.push(args)] } } as any)
      await api.get('http://app.test/x')
      if (version.convention === 'object') {
        expect(seen[0]).toHaveLength(1)
        expect(seen[0][0]).toMatchObject({ request: expect.any(Request), options: expect.any(Object) })
      } else {
        expect(seen[0][0]).toBeInstanceOf(Request)
        expect(seen[0][1]).toMatchObject({ method: 'GET' })
      }
    })

    it('attaches the bearer token and returns the body', async () => {
      const { api, hits, server } = await setup()
      expect(await api.get(`${BASE}/me`).json()).toEqual({ ok: true, path: '/api/me' })
      expect(hits[0].auth).toBe(`Bearer ${server.token}`)
    })

    it('sends the token to allowed origins only', async () => {
      const seen: Record<string, string | null> = {}
      const server = createStubServer()
      const session = createSession({ credentials: 'bearer', crossTab: false, fetch: server.fetch, tokenOrigins: ['https://api.example.com'] })
      track(session)
      await session.start()
      const record = async (input: RequestInfo | URL) => {
        const request = input as Request
        seen[new URL(request.url).host] = request.headers.get('Authorization')
        return new Response('{}')
      }
      const api = ky.create({ fetch: record, hooks: kyHooks(session) } as any)
      await api.get('https://api.example.com/x')
      await api.get('https://evil.example.net/x')
      expect(seen['api.example.com']).toMatch(/^Bearer /)
      expect(seen['evil.example.net']).toBeNull()
    })

    it("follows the session's replay rule: a 401 it says no to is ky's HTTPError, with no refresh", async () => {
      const { api, server, hits } = await setup({ retry: 0 }, { replay: ({ method, url }) => method != 'POST' && !url.endsWith('/keep') })
      const refreshes = server.calls.refresh
      server.expire()
      const error = await send(api, 'post').json().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(HTTPError)
      expect((error as HTTPError).response.status).toBe(401)
      expect(await api.get(`${BASE}/keep`).catch((e: HTTPError) => e.response.status)).toBe(401)
      expect(server.calls.refresh).toBe(refreshes)
      // What the rule allows is refreshed and replayed as before.
      expect(await send(api, 'get', 3).json()).toEqual(expected('get', 3))
      expect(server.calls.refresh).toBe(refreshes + 1)
      expect(hits.map((h) => `${h.method} ${h.path}`)).toEqual(['POST /api/echo', 'GET /api/keep', 'GET /api/item/3', 'GET /api/item/3'])
    })

    it("a call's context: { replay: false } opts it out (ky 1.0.0 has no `context` but hands it to the hooks too)", async () => {
      const { api, server } = await setup({ retry: 0 })
      server.expire()
      const status = await send(api, 'get', 1, undefined, { context: { replay: false } }).then((r) => r.status, (e: HTTPError) => e.response.status)
      expect(status).toBe(401)
      expect(server.calls.refresh).toBe(1) // the one at start()
      // The same call without the opt-out is refreshed and replayed.
      expect(await send(api, 'get', 1).json()).toEqual(expected('get', 1))
      expect(server.calls.refresh).toBe(2)
    })

    it('extendKy adds the hooks to an instance', async () => {
      const { server, session, hits } = await setup()
      const api = extendKy(ky.create({ fetch: (input: RequestInfo | URL) => server.fetch(input).then((r) => (hits.push({ method: 'GET', path: '', auth: null }), r)) } as any), session)
      server.expire()
      expect(await api.get(`${BASE}/me`).json()).toEqual({ ok: true, path: '/api/me' })
      expect(hits).toHaveLength(2)
    })

    it("concurrent calls sharing one context option each get their replay, and the user's hooks still see it", async () => {
      class Context {
        tenant = 'acme'
      }
      const shared = new Context()
      const tenants: unknown[] = []
      const { api, server } = await setup({ context: shared })
      const seen = api.extend({ hooks: { beforeRequest: [(...args: any[]) => void tenants.push((args[0].options ?? args[1]).context?.tenant)] } })
      server.expire()
      const all = await Promise.all(Array.from({ length: 5 }, (_, n) => send(seen, 'get', n).json()))
      all.forEach((body, n) => expect(body).toEqual(expected('get', n)))
      if (version.convention === 'object') expect(tenants).toEqual(Array(5).fill('acme'))
    })

    for (const method of ['get', 'post'] as const) {
      for (const { name, limit } of variants) {
        describe(`${method.toUpperCase()}, ${name}`, () => {
          it('30 concurrent 401s: one refresh, every call resolves with the replayed 200, body intact', async () => {
            const { api, server, hits } = await setup(retryOf(limit))
            server.expire()
            const before = server.calls.refresh
            const all = await Promise.all(Array.from({ length: 30 }, (_, n) => send(api, method, n).json()))
            expect(server.calls.refresh - before).toBe(1)
            all.forEach((body, n) => expect(body).toEqual(expected(method, n)))
            expect(hits).toHaveLength(60)
            expect(hits.slice(30).every((hit) => hit.auth === `Bearer ${server.token}`)).toBe(true)
            if (method === 'post') {
              const bodies = server.echoed.map((bytes) => JSON.parse(new TextDecoder().decode(bytes)).n).sort((a, b) => a - b)
              expect(bodies).toEqual(Array.from({ length: 30 }, (_, n) => n))
            }
          })

          it("a caller's own Authorization goes out on the first attempt and on the replay (as with session.fetch)", async () => {
            const { api, server, hits } = await setup(retryOf(limit))
            const refreshes = server.calls.refresh
            const error: any = await send(api, method, 1, undefined, { headers: { Authorization: 'Bearer mine' } }).catch((e) => e)
            // The session refreshed, but the request is never sent as the user: its 401 stands.
            expect(error.response.status).toBe(401)
            expect(server.calls.refresh).toBe(refreshes + 1)
            expect(hits.map((hit) => hit.auth)).toEqual(['Bearer mine', 'Bearer mine'])
          })

          it("a caller's own Authorization is kept on ky's retries", async () => {
            const { api, hits } = await setup(retryOf(limit, { methods: ['get', 'post'], backoffLimit: 1 }))
            const error: any = await send(api, method, 0, 'busy', { headers: { Authorization: 'Bearer mine' } }).catch((e) => e)
            expect(error.response.status).toBe(503)
            expect(hits.map((hit) => hit.auth)).toEqual(Array(version.attempts(limit ?? 2)).fill('Bearer mine'))
          })

          it('a failed refresh is an HTTPError carrying the 401', async () => {
            const { api, server, session, hits } = await setup(retryOf(limit))
            server.expire()
            server.refreshAnswers.push(401)
            const error: any = await send(api, method).catch((e) => e)
            expect(error).toBeInstanceOf(HTTPError)
            expect(error.response.status).toBe(401)
            expect(session.getState().status).toBe('signedOut')
            expect(hits).toHaveLength(1)
          })

          it('a 401 to the replay is an HTTPError after one refresh, never a loop', async () => {
            const { api, server, hits } = await setup(retryOf(limit))
            const before = server.calls.refresh
            const first = server.token
            const error: any = await send(api, method, 0, 'admin').catch((e) => e)
            expect(error).toBeInstanceOf(HTTPError)
            expect(error.response.status).toBe(401)
            expect(server.calls.refresh - before).toBe(1)
            expect(hits.map((hit) => hit.auth)).toEqual([`Bearer ${first}`, `Bearer ${server.token}`])
          })

          it('a 401 to a retry after the replay is an HTTPError: still one refresh', async () => {
            const { api, server, hits } = await setup(retryOf(limit, { methods: ['get', 'post'], backoffLimit: 1 }))
            server.expire()
            const before = server.calls.refresh
            const error: any = await send(api, method, 0, 'flaky').catch((e) => e)
            expect(error).toBeInstanceOf(HTTPError)
            expect(server.calls.refresh - before).toBe(1)
            // The first attempt (401), the replay (503), then a retry if ky makes one (401, final).
            const retried = version.attempts(limit ?? 2) > 1
            expect(error.response.status).toBe(retried ? 401 : 503)
            expect(hits).toHaveLength(retried ? 3 : 2)
          })

          it("the user's beforeRetry hooks are not called for the replay", async () => {
            const { api, server } = await setup(retryOf(limit))
            const beforeRetry = vi.fn()
            server.expire()
            const extended = api.extend({ hooks: { beforeRetry: [beforeRetry] } })
            expect(await send(extended, method, 2).json()).toEqual(expected(method, 2))
            expect(beforeRetry).not.toHaveBeenCalled()
          })

          it("the user's retries are not spent by the replay: a 503 after it gets all of them, with their beforeRetry hooks", async () => {
            const beforeRetry = vi.fn()
            const { api, server, hits } = await setup(retryOf(limit, { methods: ['get', 'post'], backoffLimit: 1 }))
            const extended = api.extend({ hooks: { beforeRetry: [beforeRetry] } })
            const attempts = version.attempts(limit ?? 2)
            // Without a refresh: ky's own attempts.
            const plain: any = await send(extended, method, 0, 'unavailable').catch((e) => e)
            expect(plain.response.status).toBe(503)
            expect(hits).toHaveLength(attempts)
            expect(beforeRetry).toHaveBeenCalledTimes(attempts - 1)
            hits.length = 0
            beforeRetry.mockClear()
            // After a refresh: the first attempt (401), then the replay and as many attempts again.
            server.expire()
            const error: any = await send(extended, method, 0, 'unavailable').catch((e) => e)
            expect(error).toBeInstanceOf(HTTPError)
            expect(error.response.status).toBe(503)
            expect(hits).toHaveLength(1 + attempts)
            expect(hits.slice(1).every((hit) => hit.auth === `Bearer ${server.token}`)).toBe(true)
            expect(beforeRetry).toHaveBeenCalledTimes(attempts - 1)
          })

          it('a shouldRetry that returns false does not stop the replay', async () => {
            const shouldRetry = vi.fn(() => false)
            const { api, server } = await setup(retryOf(limit, { shouldRetry }))
            server.expire()
            expect(await send(api, method, 3).json()).toEqual(expected(method, 3))
            expect(shouldRetry).not.toHaveBeenCalled()
          })

          it('a retry.methods list without this method does not stop the replay', async () => {
            const { api, server } = await setup(retryOf(limit, { methods: [method === 'get' ? 'put' : 'get'] }))
            server.expire()
            expect(await send(api, method, 4).json()).toEqual(expected(method, 4))
          })

          it('the replay has its own timeout: a replay that hangs rejects with TimeoutError after `timeout` ms', async () => {
            const { api, server, hung } = await setup({ ...retryOf(limit), timeout: 1_000 })
            server.expire()
            vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
            let settled = false
            const result = send(api, method, 0, 'hang').then(
              () => null,
              (error) => error,
            )
            result.finally(() => (settled = true))
            const replay = await hung
            await vi.advanceTimersByTimeAsync(999)
            expect(settled).toBe(false)
            await vi.advanceTimersByTimeAsync(1)
            const error = await result
            expect(error).toBeInstanceOf(TimeoutError)
            expect(replay.signal.aborted).toBe(true)
          })

          it("the replay honours the caller's abort signal", async () => {
            const { api, server, hung } = await setup(retryOf(limit))
            server.expire()
            const controller = new AbortController()
            const result = send(api, method, 0, 'hang', { signal: controller.signal }).catch((e) => e)
            const replay = await hung
            controller.abort()
            const error = await result
            expect(error?.name).toBe('AbortError')
            expect(replay.signal.aborted).toBe(true)
          })

          it('an abort while the refresh is under way rejects at once', async () => {
            const { api, server, hits, nextRefresh } = await setup(retryOf(limit))
            server.expire()
            const release = server.holdRefresh()
            const refreshing = nextRefresh()
            const controller = new AbortController()
            const result = send(api, method, 0, undefined, { signal: controller.signal }).catch((e) => e)
            await refreshing
            controller.abort()
            const error = await result
            expect(error?.name).toBe('AbortError')
            release()
            expect(hits).toHaveLength(1)
          })
        })
      }
    }
  })
}
