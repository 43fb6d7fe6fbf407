// The rest of the server contract: logout, the API routes, the controls (see contract.ts).
import { describe, expect, it } from 'vitest'
import { JSON_HEADERS, type ContractKit } from './contract-kit.js'

export function moreContract(kit: ContractKit) {
  const { runtime, login, refresh, me, settle, until } = kit
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

      it('an /api route the mock does not know still needs access (401 without it)', async () => {
        const r = await runtime()
        const res = await r.fetch('/api/nope')
        expect(res.status).toBe(401)
        expect((await res.json()).error).toBe('invalid_token')
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
}
