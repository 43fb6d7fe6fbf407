// Edges of the server contract that both runtimes must get the same way: null-body fault
// statuses, HEAD, logout with mixed credentials.
import { describe, expect, it } from 'vitest'
import type { ContractKit } from './contract-kit.js'

export function edgeContract(kit: ContractKit) {
  const { runtime, login, refresh, me } = kit
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
  })
}
