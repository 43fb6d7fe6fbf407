// Edges of the server contract that both runtimes must get the same way: null-body fault
// statuses, HEAD, logout with mixed credentials, reset() with a request held, sub-second
// lifetimes, control routes refusing other sites, unknown /api routes behind the gate.
import { describe, expect, it } from 'vitest'
import type { ContractKit } from './contract-kit.js'

export function edgeContract(kit: ContractKit) {
  const { runtime, login, refresh, me, settle } = kit
  describe('edges', () => {
    it.each([204, 205, 304])('a %i fault without a body: that status, no body (not a 500)', async (status) => {
      const r = await runtime()
      await login(r)
      r.control.failNextRefresh({ status, retryAfter: 3 })
      const res = await refresh(r)
      expect(res.status).toBe(status)
      expect(res.headers.get('Retry-After')).toBe('3')
      expect(await res.text()).toBe('')
      expect((await refresh(r)).status).toBe(200)
    })

    it('HEAD /api/me: the GET headers and no body', async () => {
      const r = await runtime()
      await login(r)
      const res = await me(r, { method: 'HEAD' })
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
      expect(await res.text()).toBe('')
    })

    it('logout ends the session its access token proves, even next to a stale refresh cookie', async () => {
      const r = await runtime({ credentials: 'bearer' })
      await login(r)
      const stale = r.jar.get('sc_refresh')!.value
      const { accessToken } = await (await login(r)).json()
      const current = r.jar.get('sc_refresh')!.value
      const res = await r.raw('/auth/logout', { method: 'POST', headers: { Cookie: `sc_refresh=${stale}`, Authorization: `Bearer ${accessToken}` } })
      expect(res.status).toBe(204)
      expect((await me(r, { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(401)
      expect(r.jar.get('sc_refresh')!.value).toBe(current)
      expect((await refresh(r)).status).toBe(401)
    })

    it("reset() answers a refresh held by 'hang' (503 JSON) instead of leaving it open", async () => {
      const r = await runtime()
      await login(r)
      r.control.failNextRefresh('hang')
      const held = settle(refresh(r))
      await kit.until(() => r.control.counters.refreshCalls === 1)
      r.control.reset()
      const { res, text } = await held
      expect(res.status).toBe(503)
      expect(JSON.parse(text).error).toBe('mock_reset')
    })

    it('a sub-second lifetime never becomes Max-Age=0 or expiresIn 0 while the token still works', async () => {
      const r = await runtime({ accessTtl: 0.4, absoluteTtl: 0.4 })
      const res = await login(r)
      const body = await res.json()
      expect(body.expiresIn).toBe(1)
      expect(body.absoluteExpiresIn).toBe(1)
      const maxAges = res.headers.getSetCookie().map((c) => /Max-Age=(\d+)/i.exec(c)?.[1])
      expect(maxAges).toEqual(['1', '1'])
      expect((await me(r)).status).toBe(200)
    })

    it.each([
      ['a cross-site page', { 'Sec-Fetch-Site': 'cross-site' }],
      ['a same-site page on another origin', { 'Sec-Fetch-Site': 'same-site' }],
      ['another origin', { Origin: 'https://evil.example' }],
    ])('control routes refuse %s (JSON 403) and change nothing', async (_who, headers) => {
      const r = await runtime()
      await login(r)
      for (const path of ['/__mock/reset', '/__mock/revoke', '/__mock/expire']) {
        const res = await r.raw(path, { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' } })
        expect(res.status).toBe(403)
        expect((await res.json()).error).toBe('forbidden')
      }
      expect((await r.raw('/__mock/counters', { headers })).status).toBe(403)
      expect(r.control.counters.logins).toBe(1)
      expect((await me(r)).status).toBe(200)
    })

    it('control routes still take same-origin pages and callers without browser headers', async () => {
      const r = await runtime()
      await login(r)
      const origin = new URL((await r.raw('/__mock/counters')).url).origin
      expect((await r.raw('/__mock/expire', { method: 'POST', headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200)
      expect((await me(r)).status).toBe(401)
      expect((await r.raw('/__mock/reset', { method: 'POST', headers: { 'Sec-Fetch-Site': 'none' } })).status).toBe(200)
    })
  })
}
