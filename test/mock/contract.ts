// The server contract as one table of tests, run against every runtime of the mock (msw in
// Node, the real HTTP server over loopback). Each runtime file supplies `start`.
import { describe, expect, it } from 'vitest'
import { contractKit, JSON_HEADERS, type ContractKit, type StartRuntime } from './contract-kit.js'
import { edgeContract } from './contract-edge.js'
import { moreContract } from './contract-more.js'

export type { Runtime, StartRuntime } from './contract-kit.js'

export function defineContract(name: string, start: StartRuntime): void {
  const kit = contractKit(start)
  describe(`mock contract (${name})`, () => {
    sessionContract(kit)
    moreContract(kit)
    edgeContract(kit)
  })
}

/** Login, cookie attributes, refresh. */
function sessionContract(kit: ContractKit) {
  const { runtime, other, login, refresh, me, clock } = kit
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
}
