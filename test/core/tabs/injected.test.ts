// @vitest-environment node
// A channel and lock passed in are used outside a browser too (tests of an app under Node),
// and a lock that is not granted for the sign-out is reported and gone on without.
import { describe, expect, it, vi } from 'vitest'
import { createSession, LockTimeoutError } from '../../../src/index.js'
import type { TabLock } from '../../../src/index.js'
import { createLocalHub, createLocalLock } from '../../helpers/tabs.js'
import { createStubServer } from '../../helpers/stub-server.js'
import { track } from '../../helpers/sessions.js'

const BASE = 'http://app.test'

describe('crossTab: { channel, lock } under Node', () => {
  it('sign-in and sign-out reach the other session', async () => {
    expect(typeof window).toBe('undefined')
    const server = createStubServer()
    const hub = createLocalHub()
    const lock = createLocalLock()
    const make = () => track(createSession({ credentials: 'bearer', refreshUrl: `${BASE}/auth/refresh`, logoutUrl: `${BASE}/auth/logout`, fetch: server.fetch, crossTab: { channel: hub.channel(), lock } }))
    const [a, b] = [make(), make()]
    a.signIn({ expiresIn: 300, accessToken: 'tok', user: { id: 'u1' } })
    await vi.waitFor(() => expect(b.getState()).toMatchObject({ status: 'authenticated', user: { id: 'u1' } }))
    await a.signOut()
    await vi.waitFor(() => expect(b.getState()).toMatchObject({ status: 'signedOut', reason: 'logout', fromOtherTab: true }))
  })
})

describe('the end lock not granted', () => {
  it('is reported as lockTimeout and the sign-out goes on, telling the server once', async () => {
    const server = createStubServer()
    const inner = createLocalLock()
    const lock: TabLock = { ...inner, run: (name, fn, ms) => (name.endsWith(':end') ? Promise.reject(new LockTimeoutError(name, ms)) : inner.run(name, fn, ms)) }
    const session = track(createSession({ credentials: 'bearer', refreshUrl: `${BASE}/auth/refresh`, logoutUrl: `${BASE}/auth/logout`, fetch: server.fetch, crossTab: { channel: createLocalHub().channel(), lock } }))
    const timeouts: unknown[] = []
    session.on('lockTimeout', (e) => timeouts.push(e))
    await session.start()
    server.refreshAnswers.push(401)
    await session.refresh()
    await vi.waitFor(() => expect(session.getState()).toMatchObject({ status: 'signedOut', reason: 'refreshFailed' }))
    expect(timeouts).toEqual([{ lock: 'session-continuity:end', waitedMs: 20_000 }])
    await vi.waitFor(() => expect(server.calls.logout).toBe(1))
  })
})
